"""Weekly block templates and their expansion into dated blocks."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from facilitator.domain.errors import DomainError
from facilitator.domain.schedule import (
    BlockTemplate,
    PlannedBlock,
    check_no_overlap,
    expand_schedule,
)

MONDAY = date(2026, 11, 23)
CODES = {9: "CBT", 10: "RP", 11: "PSYED"}


def mon_to_thu() -> list[BlockTemplate]:
    """Three one-hour blocks Monday to Thursday, deliberately listed out of time order."""
    return [
        BlockTemplate(weekday, time(hour), time(hour + 1), CODES[hour])
        for weekday in (3, 0, 2, 1)
        for hour in (11, 9, 10)
    ]


def as_tuples(blocks: list[PlannedBlock]) -> list[tuple[date, int, time, str]]:
    return [(b.day, b.sequence, b.template.start, b.template.modality) for b in blocks]


def test_expand_across_a_week_boundary() -> None:
    first, last = MONDAY - timedelta(days=4), MONDAY + timedelta(days=1)  # Thursday to Tuesday
    planned = list(expand_schedule(mon_to_thu(), first, last))

    days = [date(2026, 11, 19), date(2026, 11, 23), date(2026, 11, 24)]
    expected = [
        (day, seq, time(hour), CODES[hour])
        for day in days
        for seq, hour in enumerate((9, 10, 11), start=1)
    ]
    assert as_tuples(planned) == expected
    assert all(b.day.weekday() <= 3 for b in planned)


def test_nothing_planned_friday_to_sunday() -> None:
    friday = MONDAY - timedelta(days=3)
    assert list(expand_schedule(mon_to_thu(), friday, friday + timedelta(days=2))) == []


def test_sequences_follow_time_order_within_each_day() -> None:
    planned = list(expand_schedule(mon_to_thu(), MONDAY, MONDAY + timedelta(days=13)))
    assert len(planned) == 8 * 3
    by_day: dict[date, list[PlannedBlock]] = {}
    for block in planned:
        by_day.setdefault(block.day, []).append(block)
    assert len(by_day) == 8
    for blocks in by_day.values():
        assert [b.sequence for b in blocks] == [1, 2, 3]
        starts = [b.template.start for b in blocks]
        assert starts == sorted(starts)
    assert [b.day for b in planned] == sorted(b.day for b in planned)


def test_single_day() -> None:
    planned = list(expand_schedule(mon_to_thu(), MONDAY, MONDAY))
    assert as_tuples(planned) == [
        (MONDAY, 1, time(9), "CBT"),
        (MONDAY, 2, time(10), "RP"),
        (MONDAY, 3, time(11), "PSYED"),
    ]


def test_single_day_off_schedule_is_empty() -> None:
    saturday = MONDAY - timedelta(days=2)
    assert list(expand_schedule(mon_to_thu(), saturday, saturday)) == []


def test_last_before_first_raises() -> None:
    with pytest.raises(DomainError, match="before it starts"):
        list(expand_schedule(mon_to_thu(), MONDAY, MONDAY - timedelta(days=1)))


def test_month_and_year_boundary() -> None:
    planned = list(expand_schedule(mon_to_thu(), date(2026, 12, 28), date(2027, 1, 5)))
    days = sorted({b.day for b in planned})
    # 1-3 January 2027 are Friday to Sunday.
    assert days == [
        date(2026, 12, 28),
        date(2026, 12, 29),
        date(2026, 12, 30),
        date(2026, 12, 31),
        date(2027, 1, 4),
        date(2027, 1, 5),
    ]
    assert len(planned) == 6 * 3


def test_empty_schedule_plans_nothing() -> None:
    assert list(expand_schedule([], MONDAY, MONDAY + timedelta(days=30))) == []


def test_adjacent_blocks_do_not_overlap() -> None:
    check_no_overlap(
        [
            BlockTemplate(0, time(10), time(11), "CBT"),
            BlockTemplate(0, time(11), time(12), "RP"),
        ]
    )


def test_same_times_on_different_days_do_not_overlap() -> None:
    check_no_overlap(
        [
            BlockTemplate(0, time(10), time(11), "CBT"),
            BlockTemplate(1, time(10), time(11), "RP"),
        ]
    )


def test_overlapping_blocks_are_rejected() -> None:
    with pytest.raises(DomainError, match="Monday blocks overlap: 10:00-11:00 and 10:30-11:30"):
        check_no_overlap(
            [
                BlockTemplate(0, time(10), time(11), "CBT"),
                BlockTemplate(0, time(10, 30), time(11, 30), "RP"),
            ]
        )


def test_overlap_is_found_regardless_of_input_order() -> None:
    with pytest.raises(DomainError, match="Thursday"):
        check_no_overlap(
            [
                BlockTemplate(3, time(13), time(14), "MI"),
                BlockTemplate(3, time(9), time(10), "CBT"),
                BlockTemplate(3, time(12, 30), time(13, 30), "RP"),
            ]
        )


def test_block_inside_another_is_rejected() -> None:
    with pytest.raises(DomainError):
        check_no_overlap(
            [
                BlockTemplate(2, time(9), time(12), "CBT"),
                BlockTemplate(2, time(10), time(11), "RP"),
            ]
        )


@pytest.mark.parametrize("weekday", [-1, 7])
def test_block_template_rejects_bad_weekday(weekday: int) -> None:
    with pytest.raises(DomainError, match="Weekday"):
        BlockTemplate(weekday, time(10), time(11), "CBT")


def test_block_template_accepts_sunday() -> None:
    assert BlockTemplate(6, time(10), time(11), "CBT").span.minutes == 60


@pytest.mark.parametrize("end", [time(10), time(9, 59)])
def test_block_template_rejects_end_not_after_start(end: time) -> None:
    with pytest.raises(DomainError, match="must end after it starts"):
        BlockTemplate(0, time(10), end, "CBT")
