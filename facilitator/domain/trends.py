"""A participant's trends as plain data: what the Progress tab and the chart PDF plot."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta


@dataclass(frozen=True)
class TrendPoint:
    day: date
    value: float
    detail: str = ""  # "Moderate", "from a note" ...
    risk: bool = False  # a measure's risk item scored above zero (PHQ-9 item 9)


@dataclass(frozen=True)
class TrendSeries:
    name: str
    points: tuple[TrendPoint, ...]  # in date order
    low: float
    high: float  # the scale of the series: a measure's total range


@dataclass(frozen=True)
class TrendMarker:
    """A day marked on every plot: an admission, a discharge or a milestone."""

    day: date
    label: str


@dataclass(frozen=True)
class WeekBar:
    monday: date
    hours: float
    target_hours: float | None
    status: str = ""  # "Met", "Below target", "Partial week", "No sessions held" ...


@dataclass(frozen=True)
class Trends:
    first: date  # the span every plot shares
    last: date
    measures: tuple[TrendSeries, ...]  # one series per measure given, totals
    craving: tuple[TrendSeries, ...]  # from notes, from the craving measure
    weeks: tuple[WeekBar, ...]
    markers: tuple[TrendMarker, ...]

    @property
    def empty(self) -> bool:
        return not (any(s.points for s in (*self.measures, *self.craving)) or self.weeks)

    def clip(self, first: date, last: date) -> Trends:
        """The same trends on first..last only (one enrollment of several)."""

        def inside(day: date) -> bool:
            return first <= day <= last

        def series(found: tuple[TrendSeries, ...]) -> tuple[TrendSeries, ...]:
            return tuple(
                replace(s, points=tuple(p for p in s.points if inside(p.day))) for s in found
            )

        return Trends(
            first=first,
            last=last,
            measures=tuple(s for s in series(self.measures) if s.points),
            craving=series(self.craving),
            weeks=tuple(w for w in self.weeks if first - timedelta(days=6) <= w.monday <= last),
            markers=tuple(m for m in self.markers if inside(m.day)),
        )
