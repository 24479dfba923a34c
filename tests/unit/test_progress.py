"""Hours bucketed into ISO weeks, and the order of the curriculum topics still to cover."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from facilitator.domain.attendance import is_billable_day
from facilitator.domain.progress import (
    WeekBucket,
    bucket_weeks,
    is_zero_week,
    topics_to_cover,
    under_daily_minimum,
    week_of,
)


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (date(2026, 11, 23), date(2026, 11, 23)),  # a Monday is its own week
        (date(2026, 11, 29), date(2026, 11, 23)),  # Sunday ends the week
        (date(2027, 1, 1), date(2026, 12, 28)),  # New Year's Day falls in a December week
        (date(2024, 3, 1), date(2024, 2, 26)),  # across a leap day
    ],
)
def test_week_of_is_the_monday_that_starts_the_iso_week(day: date, monday: date) -> None:
    assert week_of(day) == monday
    assert monday.isocalendar()[:2] == day.isocalendar()[:2]


def test_a_partial_first_and_last_week_count_only_their_enrolled_days() -> None:
    admitted, today = date(2026, 11, 4), date(2026, 11, 17)  # a Wednesday, a Tuesday
    weeks = bucket_weeks({admitted: 180, date(2026, 11, 9): 120}, [(admitted, today)])
    assert weeks == [
        WeekBucket(date(2026, 11, 2), 180, enrolled_days=5, session_days=0),
        WeekBucket(date(2026, 11, 9), 120, enrolled_days=7, session_days=0),
        WeekBucket(date(2026, 11, 16), 0, enrolled_days=2, session_days=0),
    ]
    assert [w.partial for w in weeks] == [True, False, True]


def test_weeks_across_the_new_year_keep_their_days_together() -> None:
    days = {date(2026, 12, 31): 180, date(2027, 1, 1): 60, date(2027, 1, 4): 90}
    weeks = bucket_weeks(days, [(date(2026, 12, 28), date(2027, 1, 10))])
    assert [(w.monday, w.minutes) for w in weeks] == [
        (date(2026, 12, 28), 240),
        (date(2027, 1, 4), 90),
    ]
    assert sum(w.minutes for w in weeks) == sum(days.values())


def test_a_week_without_sessions_is_still_shown_and_counts_the_days_the_group_met() -> None:
    first = date(2026, 12, 14)
    held = {first + timedelta(days=n) for n in (0, 1, 2, 3, 14, 15)}  # the week between off
    weeks = bucket_weeks({first: 180}, [(first, first + timedelta(days=20))], held)
    assert [(w.minutes, w.session_days) for w in weeks] == [(180, 4), (0, 0), (0, 2)]


def test_minutes_outside_every_enrollment_still_count() -> None:
    drop_in = date(2026, 10, 7)
    weeks = bucket_weeks({drop_in: 60}, [(date(2026, 11, 2), date(2026, 11, 8))])
    assert [(w.monday, w.minutes, w.enrolled_days) for w in weeks] == [
        (date(2026, 10, 5), 60, 0),
        (date(2026, 11, 2), 0, 7),
    ]


def test_two_enrollments_in_one_week_are_one_week() -> None:
    windows = [(date(2026, 11, 2), date(2026, 11, 4)), (date(2026, 11, 5), date(2026, 11, 12))]
    weeks = bucket_weeks({}, windows)
    assert [(w.monday, w.enrolled_days) for w in weeks] == [
        (date(2026, 11, 2), 7),
        (date(2026, 11, 9), 4),
    ]


def test_topics_to_cover_start_after_the_last_covered_and_wrap_around() -> None:
    cycle = list(range(1, 9))
    assert topics_to_cover(cycle, covered={5, 6, 7}, last=7) == [8, 1, 2, 3, 4]
    assert topics_to_cover(cycle, covered={8, 1, 3}, last=3) == [4, 5, 6, 7, 2]


def test_topics_to_cover_skip_topics_covered_in_an_earlier_round() -> None:
    assert topics_to_cover(["a", "b", "c", "d"], covered={"d", "a", "b"}, last="b") == ["c"]
    assert topics_to_cover(["a", "b"], covered={"a", "b"}, last="a") == []


def test_topics_to_cover_start_at_the_beginning_without_a_known_last_topic() -> None:
    assert topics_to_cover([1, 2, 3], covered=set(), last=None) == [1, 2, 3]
    assert topics_to_cover([1, 2, 3], covered={2}, last=99) == [1, 3]


def test_the_billable_minimum_can_come_from_the_program() -> None:
    assert is_billable_day(150, minimum=150)
    assert not is_billable_day(179)


def test_a_closed_day_is_never_under_the_daily_minimum() -> None:
    assert under_daily_minimum(120, 180)
    assert not under_daily_minimum(180, 180)
    assert not under_daily_minimum(0, 180, closed=True)


def test_a_week_at_zero_inside_an_enrollment_is_flagged_once_it_is_over() -> None:
    monday = date(2026, 11, 2)
    whole = WeekBucket(monday, minutes=0, enrolled_days=7, session_days=4)
    assert is_zero_week(whole, monday + timedelta(days=7))
    assert is_zero_week(WeekBucket(monday, 0, 2, 0), monday + timedelta(days=30))  # partial
    assert not is_zero_week(whole, monday + timedelta(days=6))  # still in progress
    assert not is_zero_week(WeekBucket(monday, 60, 7, 4), monday + timedelta(days=7))
    assert not is_zero_week(WeekBucket(monday, 0, 0, 0), monday + timedelta(days=7))  # not enrolled
    assert WeekBucket(monday, 0, 6, 4).partial and not whole.partial
