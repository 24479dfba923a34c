"""Milestone dates: month ends, leap years, weeks in the program, completion."""

from __future__ import annotations

from datetime import date
from itertools import islice

import pytest

from facilitator.domain.milestones import (
    MilestoneKind,
    add_months,
    milestones_between,
    program_milestones,
    recovery_milestones,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # Jan 31 + 1 month, non-leap year
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # ... in a leap year
        (date(2025, 8, 31), 6, date(2026, 2, 28)),  # Aug 31 + 6 months
        (date(2027, 8, 31), 6, date(2028, 2, 29)),  # ... landing in a leap year
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # Feb 29 + 1 year
        (date(2028, 2, 29), 48, date(2032, 2, 29)),  # Feb 29 + 4 years: a leap year again
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the year end
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 5, 17), 0, date(2026, 5, 17)),
    ],
)
def test_add_months_clamps_to_the_months_last_day(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_recovery_milestones() -> None:
    start = date(2027, 8, 31)
    found = [(m.day, m.label) for m in islice(recovery_milestones(start), 7)]
    assert found == [
        (date(2027, 9, 30), "30 days"),
        (date(2027, 10, 30), "60 days"),
        (date(2027, 11, 29), "90 days"),
        (date(2028, 2, 29), "6 months"),  # leap year
        (date(2028, 8, 31), "1 year"),
        (date(2029, 8, 31), "2 years"),
        (date(2030, 8, 31), "3 years"),
    ]


def test_days_of_recovery_cross_a_leap_day() -> None:
    days = [m.day for m in islice(recovery_milestones(date(2028, 2, 1)), 3)]
    assert days == [date(2028, 3, 2), date(2028, 4, 1), date(2028, 5, 1)]
    days = [m.day for m in islice(recovery_milestones(date(2027, 2, 1)), 1)]
    assert days == [date(2027, 3, 3)]


def test_program_milestones_with_a_length() -> None:
    admitted = date(2026, 9, 2)
    found = [(m.day, m.kind, m.label) for m in program_milestones(admitted, 12)]
    assert found == [
        (date(2026, 9, 9), MilestoneKind.PROGRAM_WEEKS, "1 week in the program"),
        (date(2026, 9, 30), MilestoneKind.PROGRAM_WEEKS, "4 weeks in the program"),
        (date(2026, 10, 28), MilestoneKind.PROGRAM_WEEKS, "8 weeks in the program"),
        (date(2026, 11, 25), MilestoneKind.COMPLETION, "Program completion"),
    ]
    assert [m.label for m in program_milestones(admitted, 1)] == ["Program completion"]


def test_program_weeks_go_on_without_a_length() -> None:
    labels = [m.label for m in islice(program_milestones(date(2026, 1, 5), None), 4)]
    assert labels == [
        "1 week in the program",
        "4 weeks in the program",
        "8 weeks in the program",
        "12 weeks in the program",
    ]


def test_milestones_in_a_week() -> None:
    admitted = date(2026, 10, 26)
    found = milestones_between(
        date(2026, 11, 23), date(2026, 11, 29), admitted, date(2026, 8, 25), 8
    )
    assert [(m.day, m.label) for m in found] == [  # recovery first on the same day
        (date(2026, 11, 23), "90 days of recovery"),
        (date(2026, 11, 23), "4 weeks in the program"),
    ]


def test_program_milestones_stop_at_discharge_but_recovery_goes_on() -> None:
    found = milestones_between(
        date(2026, 9, 28),
        date(2026, 10, 4),
        date(2026, 9, 2),
        recovery_start=date(2026, 9, 1),
        length_weeks=12,
        discharged=date(2026, 9, 20),
    )
    assert [m.label for m in found] == ["30 days of recovery"]


def test_completion_on_the_first_day_of_a_range_is_listed() -> None:
    found = milestones_between(date(2026, 11, 25), date(2026, 11, 25), date(2026, 9, 2), None, 12)
    assert [(m.kind, m.label) for m in found] == [(MilestoneKind.COMPLETION, "Program completion")]
