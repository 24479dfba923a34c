"""A group's weekly schedule of block templates, and its expansion into dated blocks."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta

from facilitator.domain.attendance import TimeSpan
from facilitator.domain.errors import DomainError

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class BlockTemplate:
    """One recurring block: a weekday (0 = Monday), its times and its modality code."""

    weekday: int
    start: time
    end: time
    modality: str

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise DomainError(f"Weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}.")
        if self.end <= self.start:
            raise DomainError(
                f"A block must end after it starts ({self.start:%H:%M}-{self.end:%H:%M})."
            )

    @property
    def span(self) -> TimeSpan:
        return TimeSpan(self.start, self.end)


@dataclass(frozen=True)
class PlannedBlock:
    """A block template placed on a date; its sequence is its order within that day."""

    day: date
    sequence: int
    template: BlockTemplate


def check_no_overlap(templates: Iterable[BlockTemplate]) -> None:
    """Raise if two templates on the same weekday overlap in time."""
    by_day: dict[int, list[BlockTemplate]] = {}
    for template in templates:
        by_day.setdefault(template.weekday, []).append(template)
    for weekday, day_templates in by_day.items():
        ordered = sorted(day_templates, key=lambda t: t.start)
        for earlier, later in itertools.pairwise(ordered):
            if later.start < earlier.end:
                raise DomainError(
                    f"{WEEKDAY_NAMES[weekday]} blocks overlap: "
                    f"{earlier.start:%H:%M}-{earlier.end:%H:%M} and "
                    f"{later.start:%H:%M}-{later.end:%H:%M}."
                )


def expand_schedule(
    templates: Iterable[BlockTemplate], first: date, last: date
) -> Iterator[PlannedBlock]:
    """Every block the schedule plans from `first` through `last`, in date and time order."""
    if last < first:
        raise DomainError(f"The range ends ({last}) before it starts ({first}).")
    by_day: dict[int, list[BlockTemplate]] = {}
    for template in templates:
        by_day.setdefault(template.weekday, []).append(template)
    for day_templates in by_day.values():
        day_templates.sort(key=lambda t: t.start)
    day = first
    while day <= last:
        for sequence, template in enumerate(by_day.get(day.weekday(), []), start=1):
            yield PlannedBlock(day, sequence, template)
        day += timedelta(days=1)
