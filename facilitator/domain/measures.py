"""Outcome measures as data: items, score ranges, totals and severity bands, and when one is due.

A measure's items carry short descriptors of our own; the clinic administers its licensed paper
form and enters the item scores here. Scoring and banding happen only in this module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from facilitator.domain.errors import DomainError
from facilitator.domain.progress import week_of

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9_-]{0,19}$")


class MeasureDefinitionError(DomainError):
    """A measure definition that cannot be scored: the message says what to fix."""


class MeasureScoreError(DomainError):
    """Item scores that do not fit the measure: missing, unknown or out of range."""


@dataclass(frozen=True)
class MeasureItem:
    """One item: a short descriptor of our own and its score range (inclusive)."""

    key: str
    label: str
    low: int
    high: int
    risk: bool = False  # a score above `low` raises the risk highlight (PHQ-9 item 9)


@dataclass(frozen=True)
class SeverityBand:
    """A named range of totals, inclusive at both ends."""

    label: str
    low: int
    high: int

    def holds(self, total: int) -> bool:
        return self.low <= total <= self.high


@dataclass(frozen=True)
class MeasureDefinition:
    """A measure: its items, the range of its total and the bands that cover that range."""

    code: str
    name: str
    description: str
    items: tuple[MeasureItem, ...]
    bands: tuple[SeverityBand, ...]

    def __post_init__(self) -> None:
        validate_definition(self)

    @property
    def low(self) -> int:
        return sum(item.low for item in self.items)

    @property
    def high(self) -> int:
        return sum(item.high for item in self.items)

    @property
    def risk_items(self) -> tuple[MeasureItem, ...]:
        return tuple(item for item in self.items if item.risk)

    def band_of(self, total: int) -> SeverityBand:
        if not self.low <= total <= self.high:
            raise MeasureScoreError(
                f"A {self.name} total of {total} is outside {self.low}-{self.high}."
            )
        return next(band for band in self.bands if band.holds(total))

    def score(self, item_scores: Mapping[str, int]) -> MeasureScore:
        """Total, band and risk of a complete set of item scores; anything else is refused."""
        keys = {item.key for item in self.items}
        unknown = sorted(set(item_scores) - keys)
        if unknown:
            raise MeasureScoreError(f"{self.name} has no item {', '.join(unknown)}.")
        missing = [item.label for item in self.items if item.key not in item_scores]
        if missing:
            raise MeasureScoreError(f"{self.name}: score every item; missing {'; '.join(missing)}.")
        for number, item in enumerate(self.items, start=1):
            value = item_scores[item.key]
            if isinstance(value, bool) or not isinstance(value, int):
                raise MeasureScoreError(
                    f"{self.name} item {number} ({item.label}) must be a whole number."
                )
            if not item.low <= value <= item.high:
                raise MeasureScoreError(
                    f"{self.name} item {number} ({item.label}) scores {item.low}-{item.high}, "
                    f"not {value}."
                )
        total = sum(item_scores[item.key] for item in self.items)
        risk = any(item_scores[item.key] > item.low for item in self.risk_items)
        return MeasureScore(total, self.band_of(total), risk)

    def as_dict(self) -> dict[str, Any]:
        """The definition as plain data, the shape of resources/measures/*.toml."""
        return {
            "code": self.code,
            "name": self.name,
            "description": self.description,
            "item": [
                {"key": i.key, "label": i.label, "low": i.low, "high": i.high, "risk": i.risk}
                for i in self.items
            ],
            "band": [{"label": b.label, "low": b.low, "high": b.high} for b in self.bands],
        }


@dataclass(frozen=True)
class MeasureScore:
    total: int
    band: SeverityBand
    risk: bool  # a risk item scored above its lowest value


def validate_definition(definition: MeasureDefinition) -> None:
    """Refuse a definition that cannot be scored, saying exactly what is wrong."""
    name = definition.name.strip() or definition.code
    if not CODE_PATTERN.match(definition.code):
        raise MeasureDefinitionError(
            f"Measure code {definition.code!r} must start with a capital letter and use only "
            "capitals, digits, '-' or '_' (at most 20 characters)."
        )
    if not definition.name.strip():
        raise MeasureDefinitionError(f"Measure {definition.code} needs a name.")
    if not definition.items:
        raise MeasureDefinitionError(f"{name} needs at least one item.")
    seen: set[str] = set()
    for number, item in enumerate(definition.items, start=1):
        if not item.key.strip() or not item.label.strip():
            raise MeasureDefinitionError(f"{name} item {number} needs a key and a label.")
        if item.key in seen:
            raise MeasureDefinitionError(f"{name} has two items keyed {item.key!r}.")
        seen.add(item.key)
        if item.high <= item.low:
            raise MeasureDefinitionError(
                f"{name} item {number} ({item.label}): the highest score {item.high} must be "
                f"above the lowest {item.low}."
            )
    _validate_bands(name, definition.bands, definition.low, definition.high)


def _validate_bands(name: str, bands: Sequence[SeverityBand], low: int, high: int) -> None:
    """Bands in order cover low..high exactly: no gap, no overlap, nothing outside."""
    if not bands:
        raise MeasureDefinitionError(f"{name} needs at least one severity band.")
    expected = low
    for band in bands:
        if not band.label.strip():
            raise MeasureDefinitionError(f"{name}: every severity band needs a label.")
        if band.high < band.low:
            raise MeasureDefinitionError(
                f"{name} band {band.label!r} ends ({band.high}) before it starts ({band.low})."
            )
        if band.low > expected:
            raise MeasureDefinitionError(
                f"{name} bands leave a gap: no band holds {expected}-{band.low - 1}."
            )
        if band.low < expected:
            raise MeasureDefinitionError(
                f"{name} band {band.label!r} starts at {band.low}, overlapping or out of order; "
                f"the next band must start at {expected}."
            )
        expected = band.high + 1
    if expected - 1 != high:
        raise MeasureDefinitionError(
            f"{name} bands must end at the highest total {high}, not {expected - 1}."
        )


def definition_from_dict(data: Mapping[str, Any]) -> MeasureDefinition:
    """Read a definition from plain data (TOML or stored JSON), refusing what does not fit."""
    for section in ("item", "band"):
        found = data.get(section)
        if found is not None and not (
            isinstance(found, list) and all(isinstance(entry, Mapping) for entry in found)
        ):
            raise MeasureDefinitionError(
                f"{section!r} must be a list of tables: write each as [[{section}]] followed by "
                "its keys."
            )
    try:
        items = tuple(
            MeasureItem(
                key=str(i["key"]),
                label=str(i["label"]),
                low=_whole(i["low"]),
                high=_whole(i["high"]),
                risk=bool(i.get("risk", False)),
            )
            for i in data["item"]
        )
        bands = tuple(
            SeverityBand(str(b["label"]), _whole(b["low"]), _whole(b["high"])) for b in data["band"]
        )
        return MeasureDefinition(
            code=str(data["code"]),
            name=str(data["name"]),
            description=str(data.get("description", "")),
            items=items,
            bands=bands,
        )
    except KeyError as error:
        raise MeasureDefinitionError(
            f"A measure definition is missing {error.args[0]!r}; it needs code, name, item "
            "(key, label, low, high) and band (label, low, high)."
        ) from error
    except TypeError as error:
        raise MeasureDefinitionError(f"A measure definition is malformed: {error}") from error


def _whole(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MeasureDefinitionError(f"Scores must be whole numbers, not {value!r}.")
    return value


# --- when a measure is due ------------------------------------------------------------------


@dataclass(frozen=True)
class MeasureSchedule:
    """A program's setting: which measures, at admission, every N weeks, at discharge."""

    measures: tuple[str, ...] = ()
    at_admission: bool = True
    every_weeks: int | None = None
    at_discharge: bool = True

    def __post_init__(self) -> None:
        if self.every_weeks is not None and not 1 <= self.every_weeks <= 52:
            raise DomainError("Measures repeat every 1 to 52 weeks.")

    def as_dict(self) -> dict[str, Any]:
        return {
            "measures": list(self.measures),
            "at_admission": self.at_admission,
            "every_weeks": self.every_weeks,
            "at_discharge": self.at_discharge,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> MeasureSchedule:
        every = values.get("every_weeks")
        return cls(
            measures=tuple(str(code) for code in values.get("measures", ())),
            at_admission=bool(values.get("at_admission", True)),
            every_weeks=every if isinstance(every, int) else None,
            at_discharge=bool(values.get("at_discharge", True)),
        )


@dataclass(frozen=True)
class DuePoint:
    """A day on which a measure is scheduled, and why."""

    day: date
    reason: str  # "admission", "week 4", "discharge"


@dataclass(frozen=True)
class MeasureDue:
    code: str
    point: DuePoint
    overdue: bool  # the point fell in an earlier week and no result followed it


def due_points(
    schedule: MeasureSchedule, admitted: date, ends: date | None, until: date
) -> list[DuePoint]:
    """Scheduled days from admission through `until`, in order.

    `ends` is the discharge day if recorded, else the planned completion (admission plus the
    program length), else None. Repeats fall on admission + k x N weeks, before `ends`.
    """
    points: list[DuePoint] = []
    if schedule.at_admission:
        points.append(DuePoint(admitted, "admission"))
    if schedule.every_weeks:
        step = schedule.every_weeks
        week = step
        while (day := admitted + timedelta(weeks=week)) <= until and (ends is None or day < ends):
            points.append(DuePoint(day, f"week {week}"))
            week += step
    if schedule.at_discharge and ends is not None:
        points.append(DuePoint(ends, "discharge"))
    return sorted((p for p in points if p.day <= until), key=lambda p: p.day)


def measures_due(
    schedule: MeasureSchedule,
    admitted: date,
    ends: date | None,
    taken: Mapping[str, Sequence[date]],
    day: date,
) -> list[MeasureDue]:
    """The measures due in the week (Monday to Sunday) that holds `day`, for an enrollment
    active during that week.

    For each measure, the latest scheduled point up to that Sunday counts: it is due unless a
    result was recorded on or after the Monday of that point's week. A point in an earlier week
    with no result since is overdue; an older missed point is superseded by a newer one.
    """
    monday = week_of(day)
    sunday = monday + timedelta(days=6)
    points = due_points(schedule, admitted, ends, sunday)
    if not points:
        return []
    latest = points[-1]
    found = []
    for code in schedule.measures:
        window = week_of(latest.day)
        if any(taken_on >= window for taken_on in taken.get(code, ())):
            continue
        found.append(MeasureDue(code, latest, overdue=window < monday))
    return found
