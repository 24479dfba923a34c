"""Milestones a facilitator marks in group: days and months of recovery, weeks in the program.

Date rules:
- "N days of recovery" falls N days after the recovery start date (the start is day 0).
- "N months" falls on the same day of the month N months later; when that month is shorter,
  on its last day: 1 month after Jan 31 is Feb 28 (Feb 29 in a leap year), 6 months after
  Aug 31 is Feb 28/29, and 1 year after Feb 29 is Feb 28.
- "N weeks in the program" falls N x 7 days after admission, for the first week and every
  fourth week (4, 8, 12 ...); program completion falls the program length in weeks after
  admission and replaces a week milestone on or after it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

RECOVERY_DAYS = (30, 60, 90)
RECOVERY_MONTHS = ((6, "6 months"), (12, "1 year"))
PROGRAM_WEEK_STEP = 4


class MilestoneKind(StrEnum):
    RECOVERY = "recovery"
    PROGRAM_WEEKS = "program_weeks"
    COMPLETION = "completion"


@dataclass(frozen=True)
class Milestone:
    day: date
    kind: MilestoneKind
    label: str  # "90 days of recovery", "4 weeks in the program", "Program completion"


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later, or that month's last day if it is shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recovery_milestones(start: date) -> Iterator[Milestone]:
    """30, 60 and 90 days, 6 months, 1 year, then each further year, in order (endless)."""
    for days in RECOVERY_DAYS:
        yield Milestone(start + timedelta(days=days), MilestoneKind.RECOVERY, f"{days} days")
    for months, label in RECOVERY_MONTHS:
        yield Milestone(add_months(start, months), MilestoneKind.RECOVERY, label)
    years = 2
    while True:
        yield Milestone(add_months(start, 12 * years), MilestoneKind.RECOVERY, f"{years} years")
        years += 1


def program_milestones(admitted: date, length_weeks: int | None) -> Iterator[Milestone]:
    """The first week, every fourth week and, with a program length, completion, in order.

    Without a program length the weeks go on without end.
    """
    week = 1
    while length_weeks is None or week < length_weeks:
        label = "1 week in the program" if week == 1 else f"{week} weeks in the program"
        yield Milestone(admitted + timedelta(weeks=week), MilestoneKind.PROGRAM_WEEKS, label)
        week = 4 if week == 1 else week + PROGRAM_WEEK_STEP
    if length_weeks is not None:
        yield Milestone(
            admitted + timedelta(weeks=length_weeks), MilestoneKind.COMPLETION, "Program completion"
        )


def milestones_between(
    first: date,
    last: date,
    admitted: date,
    recovery_start: date | None = None,
    length_weeks: int | None = None,
    discharged: date | None = None,
) -> list[Milestone]:
    """Milestones on first..last (inclusive), in date order.

    Program milestones stop at discharge; recovery milestones do not, but a caller lists only
    people enrolled in the range.
    """
    found: list[Milestone] = []
    program_end = discharged or last
    for milestone in program_milestones(admitted, length_weeks):
        if milestone.day > min(last, program_end):
            break
        if milestone.day >= first:
            found.append(milestone)
    if recovery_start is not None:
        for milestone in recovery_milestones(recovery_start):
            if milestone.day > last:
                break
            if milestone.day >= first:
                found.append(
                    Milestone(milestone.day, milestone.kind, f"{milestone.label} of recovery")
                )
    return sorted(found, key=lambda m: (m.day, m.kind != MilestoneKind.RECOVERY))
