"""Minutes attended per block and the billable-day rule."""

from __future__ import annotations

from datetime import time

import pytest

from facilitator.domain.attendance import (
    BILLABLE_DAY_MINUTES,
    AttendanceStatus,
    TimeSpan,
    carried_over,
    is_billable_day,
    minutes_attended,
    over_capacity,
)
from facilitator.domain.errors import DomainError, InvalidTimesError

BLOCK = TimeSpan(time(10, 0), time(11, 0))


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (AttendanceStatus.PRESENT, 60),
        (AttendanceStatus.LATE, 60),
        (AttendanceStatus.LEFT_EARLY, 60),
        (AttendanceStatus.ABSENT_EXCUSED, 0),
        (AttendanceStatus.ABSENT_UNEXCUSED, 0),
    ],
)
def test_minutes_for_each_status_without_times(status: AttendanceStatus, expected: int) -> None:
    assert minutes_attended(status, BLOCK) == expected


@pytest.mark.parametrize(
    "status", [AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED]
)
def test_absence_counts_zero_even_with_times(status: AttendanceStatus) -> None:
    assert minutes_attended(status, BLOCK, arrived=time(10, 0), left=time(11, 0)) == 0
    assert not status.attended


def test_late_arrival_counts_from_arrival() -> None:
    assert minutes_attended(AttendanceStatus.LATE, BLOCK, arrived=time(10, 15)) == 45


def test_early_departure_counts_until_departure() -> None:
    assert minutes_attended(AttendanceStatus.LEFT_EARLY, BLOCK, left=time(10, 40)) == 40


def test_late_and_early_together() -> None:
    minutes = minutes_attended(
        AttendanceStatus.PRESENT, BLOCK, arrived=time(10, 10), left=time(10, 50)
    )
    assert minutes == 40


def test_times_outside_the_block_are_clipped() -> None:
    minutes = minutes_attended(
        AttendanceStatus.PRESENT, BLOCK, arrived=time(9, 30), left=time(11, 45)
    )
    assert minutes == 60


def test_early_arrival_only_is_clipped_to_block_start() -> None:
    assert minutes_attended(AttendanceStatus.PRESENT, BLOCK, arrived=time(9, 50)) == 60


def test_arrival_after_block_end_gives_zero() -> None:
    assert minutes_attended(AttendanceStatus.LATE, BLOCK, arrived=time(11, 5)) == 0


def test_departure_before_block_start_gives_zero() -> None:
    assert minutes_attended(AttendanceStatus.LEFT_EARLY, BLOCK, left=time(9, 55)) == 0


def test_left_before_arrived_raises() -> None:
    with pytest.raises(InvalidTimesError, match="before arrival"):
        minutes_attended(AttendanceStatus.PRESENT, BLOCK, arrived=time(10, 30), left=time(10, 20))


def test_left_before_arrived_raises_even_outside_the_block() -> None:
    with pytest.raises(InvalidTimesError):
        minutes_attended(AttendanceStatus.PRESENT, BLOCK, arrived=time(11, 30), left=time(11, 10))


def test_invalid_times_error_is_a_domain_error() -> None:
    assert issubclass(InvalidTimesError, DomainError)


def test_timespan_minutes() -> None:
    assert TimeSpan(time(9, 0), time(10, 30)).minutes == 90
    assert TimeSpan(time(9, 0), time(9, 0)).minutes == 0


def test_timespan_end_before_start_raises() -> None:
    with pytest.raises(InvalidTimesError, match="before the start time"):
        TimeSpan(time(11, 0), time(10, 59))


@pytest.mark.parametrize(
    ("minutes", "billable"),
    [(0, False), (179, False), (180, True), (181, True), (240, True)],
)
def test_is_billable_day_boundary(minutes: int, billable: bool) -> None:
    assert BILLABLE_DAY_MINUTES == 180
    assert is_billable_day(minutes) is billable


def test_three_one_hour_blocks_make_a_billable_day_but_one_late_arrival_does_not() -> None:
    blocks = [TimeSpan(time(h), time(h + 1)) for h in (9, 10, 11)]
    full = sum(minutes_attended(AttendanceStatus.PRESENT, b) for b in blocks)
    late = minutes_attended(AttendanceStatus.LATE, blocks[0], arrived=time(9, 1)) + sum(
        minutes_attended(AttendanceStatus.PRESENT, b) for b in blocks[1:]
    )
    assert (full, is_billable_day(full)) == (180, True)
    assert (late, is_billable_day(late)) == (179, False)


def test_every_status_has_a_label() -> None:
    labels = {status.label for status in AttendanceStatus}
    assert len(labels) == len(AttendanceStatus)
    assert AttendanceStatus.LEFT_EARLY.label == "Left early"


@pytest.mark.parametrize(
    ("before", "reason", "after"),
    [
        (AttendanceStatus.PRESENT, None, (AttendanceStatus.PRESENT, None)),
        (AttendanceStatus.LATE, None, (AttendanceStatus.PRESENT, None)),
        (
            AttendanceStatus.LEFT_EARLY,
            None,
            (AttendanceStatus.ABSENT_UNEXCUSED, "Left during the previous block"),
        ),
        (
            AttendanceStatus.ABSENT_EXCUSED,
            "Medical appointment",
            (AttendanceStatus.ABSENT_EXCUSED, "Medical appointment"),
        ),
        (AttendanceStatus.ABSENT_UNEXCUSED, None, (AttendanceStatus.ABSENT_UNEXCUSED, None)),
    ],
)
def test_attendance_carried_into_the_next_block(
    before: AttendanceStatus, reason: str | None, after: tuple[AttendanceStatus, str | None]
) -> None:
    assert carried_over(before, reason) == after


@pytest.mark.parametrize(
    ("present", "capacity", "over"),
    [(12, 12, False), (13, 12, True), (0, 1, False), (2, 1, True), (40, None, False)],
)
def test_over_capacity_only_above_a_set_cap(present: int, capacity: int | None, over: bool) -> None:
    assert over_capacity(present, capacity) is over
