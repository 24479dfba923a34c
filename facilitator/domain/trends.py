"""A participant's trends as plain data: what the Progress tab and the chart PDF plot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class TrendPoint:
    day: date
    value: float
    detail: str = ""  # "Moderate", "from a note" ...


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
