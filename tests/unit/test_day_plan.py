"""Schedule entries in force on a day, and the day's plan with its exceptions applied."""

from __future__ import annotations

import uuid
from datetime import date, time

import pytest

from facilitator.domain.attendance import AttendanceMode
from facilitator.domain.errors import DomainError
from facilitator.domain.schedule import (
    BlockTemplate,
    DayException,
    ExceptionKind,
    Facilitator,
    check_day_overlap,
    entries_on,
    plan_group_day,
)

TUESDAY = date(2026, 12, 15)
LEAD = Facilitator(uuid.uuid4(), "lead")
CO = Facilitator(uuid.uuid4(), "co-facilitator")
SUB = uuid.uuid4()
IDS = {hour: uuid.uuid4() for hour in (9, 10, 11)}
CODES = {9: "CBT", 10: "RP", 11: "PSYED"}


def schedule(**dates: date | None) -> list[BlockTemplate]:
    """Three one-hour blocks on Tuesdays, listed out of time order."""
    return [
        BlockTemplate(1, time(hour), time(hour + 1), CODES[hour], template_id=IDS[hour], **dates)
        for hour in (11, 9, 10)
    ]


def plan(*exceptions: DayException, templates: list[BlockTemplate] | None = None):  # type: ignore[no-untyped-def]
    return plan_group_day(TUESDAY, templates or schedule(), exceptions, "Room 2", (LEAD, CO))


@pytest.mark.parametrize(
    ("effective_from", "effective_until", "in_force"),
    [
        (None, None, True),
        (TUESDAY, None, True),  # from the first day itself
        (date(2026, 12, 16), None, False),  # not yet
        (None, TUESDAY, False),  # until is exclusive
        (None, date(2026, 12, 16), True),  # the last day
        (date(2026, 12, 1), date(2026, 12, 16), True),
    ],
)
def test_an_entry_is_in_force_between_its_dates(
    effective_from: date | None, effective_until: date | None, in_force: bool
) -> None:
    entry = BlockTemplate(1, time(9), time(10), "CBT", None, effective_from, effective_until)
    assert entry.in_force(TUESDAY) is in_force
    assert (entries_on([entry], TUESDAY) == [entry]) is in_force


def test_entries_on_other_weekdays_are_not_planned() -> None:
    assert entries_on(schedule(), date(2026, 12, 14)) == []  # a Monday
    assert [e.start for e in entries_on(schedule(), TUESDAY)] == [time(9), time(10), time(11)]


def test_an_entry_must_end_after_it_takes_effect() -> None:
    with pytest.raises(DomainError, match="must end"):
        BlockTemplate(1, time(9), time(10), "CBT", None, TUESDAY, TUESDAY)


def test_a_schedule_change_replaces_entries_from_its_date() -> None:
    old = BlockTemplate(1, time(9), time(10), "CBT", effective_until=TUESDAY)
    new = BlockTemplate(1, time(13), time(14), "DBT", effective_from=TUESDAY)
    assert entries_on([old, new], date(2026, 12, 8)) == [old]
    assert entries_on([old, new], TUESDAY) == [new]


def test_a_plain_day_lists_the_blocks_in_time_order_with_room_and_leaders() -> None:
    day = plan()
    assert day.closed is None
    assert [(b.start, b.modality, b.room) for b in day.blocks] == [
        (time(9), "CBT", "Room 2"),
        (time(10), "RP", "Room 2"),
        (time(11), "PSYED", "Room 2"),
    ]
    assert all(b.facilitators == (LEAD, CO) and b.runs for b in day.blocks)


def test_an_entry_with_its_own_room_keeps_it() -> None:
    entry = BlockTemplate(1, time(9), time(10), "CBT", room="Gym")
    assert plan(templates=[entry]).blocks[0].room == "Gym"


def test_a_closed_day_marks_every_block_closed() -> None:
    day = plan(DayException(ExceptionKind.CLOSED, "Snow", clinic_wide=True))
    assert day.closed == "Snow"
    assert day.running == ()
    assert {b.marker for b in day.blocks} == {"closed: Snow"}


def test_a_cancelled_block_is_marked_and_the_others_run() -> None:
    day = plan(DayException(ExceptionKind.CANCELLED, "Staff training", template_id=IDS[10]))
    assert [b.marker for b in day.blocks] == [None, "cancelled: Staff training", None]
    assert [b.modality for b in day.running] == ["CBT", "PSYED"]


def test_a_moved_block_takes_its_new_time_and_room_and_stays_in_order() -> None:
    moved = DayException(
        ExceptionKind.MOVED,
        "Room booked",
        template_id=IDS[9],
        start=time(12),
        end=time(13),
        room="Room 5",
    )
    day = plan(moved)
    assert [(b.start, b.modality, b.room) for b in day.blocks] == [
        (time(10), "RP", "Room 2"),
        (time(11), "PSYED", "Room 2"),
        (time(12), "CBT", "Room 5"),
    ]
    assert day.blocks[-1].changes == ("moved from 09:00-10:00: Room booked",)


def test_a_substitute_for_the_day_leads_every_block_with_the_co_facilitator() -> None:
    day = plan(DayException(ExceptionKind.SUBSTITUTE, "Leave", clinician_id=SUB))
    assert {b.facilitators for b in day.blocks} == {(Facilitator(SUB, "lead"), CO)}


def test_a_substitute_for_one_block_wins_over_the_day_substitute() -> None:
    other = uuid.uuid4()
    day = plan(
        DayException(ExceptionKind.SUBSTITUTE, "Leave", clinician_id=SUB),
        DayException(ExceptionKind.SUBSTITUTE, "Expert", template_id=IDS[11], clinician_id=other),
    )
    assert [b.facilitators[0].clinician_id for b in day.blocks] == [SUB, SUB, other]


def test_an_extra_block_joins_the_day_without_a_template() -> None:
    extra = DayException(
        ExceptionKind.EXTRA, "Family night", start=time(12), end=time(13), modality="FAM"
    )
    day = plan(extra)
    assert [(b.modality, b.template_id) for b in day.blocks][-1] == ("FAM", None)
    check_day_overlap(day)


def test_overlapping_extra_or_moved_blocks_are_refused() -> None:
    extra = DayException(
        ExceptionKind.EXTRA, "Guest", start=time(10, 30), end=time(11, 30), modality="FAM"
    )
    with pytest.raises(DomainError, match=r"overlap: 10:00-11:00 \(RP\) and 10:30-11:30"):
        check_day_overlap(plan(extra))
    moved = DayException(
        ExceptionKind.MOVED, "Later", template_id=IDS[9], start=time(10), end=time(11)
    )
    with pytest.raises(DomainError, match="overlap"):
        check_day_overlap(plan(moved))


def test_a_cancelled_block_does_not_overlap() -> None:
    check_day_overlap(
        plan(
            DayException(ExceptionKind.CANCELLED, "Off", template_id=IDS[10]),
            DayException(ExceptionKind.EXTRA, "Swap", start=time(10), end=time(11), modality="FAM"),
        )
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": ExceptionKind.CLOSED, "reason": "  "}, "Give a reason"),
        ({"kind": ExceptionKind.CANCELLED, "reason": "x"}, "needs its template"),
        ({"kind": ExceptionKind.MOVED, "reason": "x", "template_id": IDS[9]}, "start and end"),
        ({"kind": ExceptionKind.SUBSTITUTE, "reason": "x"}, "needs its clinician"),
        (
            {
                "kind": ExceptionKind.EXTRA,
                "reason": "x",
                "start": time(9),
                "end": time(8),
                "modality": "CBT",
            },
            "must end after",
        ),
    ],
)
def test_incomplete_exceptions_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(DomainError, match=message):
        DayException(**kwargs)  # type: ignore[arg-type]


def test_attendance_modes_cycle_and_have_labels() -> None:
    assert AttendanceMode("in_person").following is AttendanceMode.VIDEO
    assert AttendanceMode.TELEPHONE.following is AttendanceMode.IN_PERSON
    assert [m.label for m in AttendanceMode] == ["In person", "Video", "Telephone"]
