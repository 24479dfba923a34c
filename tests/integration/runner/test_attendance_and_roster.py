"""Taking attendance, and adding people to or removing them from a block's roster."""

from __future__ import annotations

import uuid
from datetime import time

import pytest
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError, InvalidTimesError
from facilitator.domain.notes import NoteProgress
from facilitator.services.session_sheet import RiskFlags
from facilitator.storage.models import Enrollment, Group
from tests.integration.runner.session_run import EVENING, GIRP_COMPLETE, Run, girp, note_rows, taken

# Attendance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "arrived", "left", "minutes"),
    [
        (AttendanceStatus.PRESENT, None, None, 60),
        (AttendanceStatus.LATE, time(9, 20), None, 40),
        (AttendanceStatus.LEFT_EARLY, None, time(9, 45), 45),
        (AttendanceStatus.PRESENT, time(9, 10), time(9, 50), 40),
    ],
)
def test_attended_statuses_keep_their_times(
    today: Run, status: AttendanceStatus, arrived: time | None, left: time | None, minutes: int
) -> None:
    person = today.member(0)
    today.runner.record_attendance(
        today.block_id(1), person, status, arrived, left, absence_reason="ignored"
    )
    entry = today.entry(1, person)
    assert entry.attendance is not None
    assert entry.attendance.status is status
    assert (entry.attendance.arrived, entry.attendance.left) == (arrived, left)
    assert entry.attendance.absence_reason is None  # only an absence has a reason
    assert entry.attendance.minutes == minutes
    assert entry.progress is NoteProgress.DUE


@pytest.mark.parametrize(
    "status", [AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED]
)
def test_absence_clears_times_and_keeps_the_reason(today: Run, status: AttendanceStatus) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.LATE, time(9, 15))
    today.runner.record_attendance(
        block_id, person, status, time(9, 15), time(9, 30), absence_reason="Court date"
    )
    entry = today.entry(1, person)
    assert entry.attendance is not None
    assert entry.attendance.status is status
    assert (entry.attendance.arrived, entry.attendance.left) == (None, None)
    assert entry.attendance.absence_reason == "Court date"
    assert entry.attendance.minutes == 0
    assert entry.progress is None  # no note due


def test_late_minutes_count_from_the_actual_start(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.start_block(block_id, time(9, 10))
    today.runner.record_attendance(block_id, person, AttendanceStatus.LATE, time(9, 25))
    entry = today.entry(1, person)
    assert entry.attendance is not None
    assert entry.attendance.minutes == 35  # 9:25 to the planned end at 10:00
    today.runner.record_attendance(block_id, person, AttendanceStatus.LATE, time(9, 5))
    assert taken(today.entry(1, person)).minutes == 50


def test_departure_before_arrival_is_refused(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    with pytest.raises(InvalidTimesError):
        today.runner.record_attendance(
            block_id, person, AttendanceStatus.LATE, time(9, 30), time(9, 10)
        )
    assert today.entry(1, person).attendance is None  # nothing recorded


def test_mark_all_present_fills_only_untaken_entries(today: Run) -> None:
    late, away = today.member(0), today.member(1)
    block_id = today.block_id(1)
    today.runner.record_attendance(block_id, late, AttendanceStatus.LATE, time(9, 15))
    today.runner.record_attendance(
        block_id, away, AttendanceStatus.ABSENT_EXCUSED, absence_reason="Medical appointment"
    )
    roster_size = len(today.start.blocks[0].roster)
    assert today.runner.mark_all_present(block_id, today.session_id) == roster_size - 2
    sheet = today.sheet()
    block = sheet.blocks[0]
    statuses = {e.participant_id: e.attendance.status for e in block.roster if e.attendance}
    assert len(statuses) == roster_size
    assert statuses.pop(late) is AttendanceStatus.LATE
    assert statuses.pop(away) is AttendanceStatus.ABSENT_EXCUSED
    assert set(statuses.values()) == {AttendanceStatus.PRESENT}
    assert taken(block.entry(late)).arrived == time(9, 15)
    assert taken(block.entry(away)).absence_reason == "Medical appointment"
    assert block.present == roster_size - 1
    assert all(e.attendance is None for e in sheet.blocks[1].roster)  # other blocks untouched
    assert today.runner.mark_all_present(block_id, today.session_id) == 0  # nothing left


def test_copy_previous_attendance(today: Run) -> None:
    first, second = today.block_id(1), today.block_id(2)
    present, late, left_early, excused, unexcused, removed = (today.member(i) for i in range(6))
    record = today.runner.record_attendance
    record(first, present, AttendanceStatus.PRESENT)
    record(first, late, AttendanceStatus.LATE, arrived=time(9, 20))
    record(first, left_early, AttendanceStatus.LEFT_EARLY, left=time(9, 40))
    record(first, excused, AttendanceStatus.ABSENT_EXCUSED, absence_reason="Medical appointment")
    record(first, unexcused, AttendanceStatus.ABSENT_UNEXCUSED)
    record(first, removed, AttendanceStatus.PRESENT)
    today.runner.remove_participant(first, removed, "Sent home unwell")
    assert len(today.start.blocks[0].roster) > 6  # the rest stay untaken in the first block

    assert today.runner.copy_previous_attendance(second, today.session_id) == 5

    copied = {
        e.participant_id: e.attendance for e in today.block(2).roster if e.attendance is not None
    }
    assert set(copied) == {present, late, left_early, excused, unexcused}  # not removed, untaken
    expected = {
        present: (AttendanceStatus.PRESENT, None),
        late: (AttendanceStatus.PRESENT, None),
        left_early: (AttendanceStatus.ABSENT_UNEXCUSED, "Left during the previous block"),
        excused: (AttendanceStatus.ABSENT_EXCUSED, "Medical appointment"),
        unexcused: (AttendanceStatus.ABSENT_UNEXCUSED, None),
    }
    for person, (status, reason) in expected.items():
        row = copied[person]
        assert (row.status, row.absence_reason) == (status, reason), person
        assert (row.arrived, row.left) == (None, None)  # times belong to the earlier block
        assert row.removed_reason is None and row.added_reason is None


def test_copy_previous_attendance_keeps_what_is_already_taken(today: Run) -> None:
    first, second = today.block_id(1), today.block_id(2)
    person, other = today.member(0), today.member(1)
    today.runner.record_attendance(first, person, AttendanceStatus.PRESENT)
    today.runner.record_attendance(first, other, AttendanceStatus.PRESENT)
    today.runner.record_attendance(second, person, AttendanceStatus.LATE, arrived=time(10, 15))

    assert today.runner.copy_previous_attendance(second, today.session_id) == 1

    kept = today.entry(2, person).attendance
    assert kept is not None and (kept.status, kept.arrived) == (AttendanceStatus.LATE, time(10, 15))
    copied = today.entry(2, other).attendance
    assert copied is not None and copied.status is AttendanceStatus.PRESENT


def test_copy_previous_attendance_is_refused_for_the_first_block(today: Run) -> None:
    today.runner.mark_all_present(today.block_id(1), today.session_id)
    with pytest.raises(DomainError, match="first block"):
        today.runner.copy_previous_attendance(today.block_id(1), today.session_id)


# Adding and removing people ---------------------------------------------------------------


def evening_member(clinic: Clinic) -> uuid.UUID:
    """Someone enrolled in the evening group, not the morning one."""
    with clinic.database.sessions() as session:
        found = session.scalars(
            select(Enrollment.participant_id)
            .join(Group)
            .where(Group.name == EVENING, Enrollment.discharged.is_(None))
        ).first()
    assert found is not None
    return found


def test_add_someone_from_the_other_group(clinic: Clinic, today: Run) -> None:
    guest = evening_member(clinic)
    assert guest not in {e.participant_id for e in today.start.blocks[0].roster}
    today.runner.add_participant(today.block_id(1), guest, "  Drop-in from evening group ")
    sheet = today.sheet()
    entry = sheet.blocks[0].entry(guest)
    assert entry.attendance is not None
    assert entry.attendance.status is AttendanceStatus.PRESENT
    assert entry.attendance.added_reason == "Drop-in from evening group"
    assert not entry.removed
    assert entry.progress is NoteProgress.DUE
    assert guest not in {e.participant_id for e in sheet.blocks[1].roster}  # just this block
    today.runner.save_draft(today.block_id(1), guest, None, girp({"goal": "Stay sober"}))
    assert today.entry(1, guest).progress is NoteProgress.DRAFTED


def test_adding_twice_is_refused(clinic: Clinic, today: Run) -> None:
    guest, block_id = evening_member(clinic), today.block_id(1)
    today.runner.add_participant(block_id, guest, "Drop-in")
    with pytest.raises(DomainError, match="already on the block's roster"):
        today.runner.add_participant(block_id, guest, "Drop-in again")
    assert taken(today.entry(1, guest)).added_reason == "Drop-in"


def test_adding_someone_already_marked_is_refused(today: Run) -> None:
    member, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, member, AttendanceStatus.LATE, time(9, 20))
    with pytest.raises(DomainError, match="already on the block's roster"):
        today.runner.add_participant(block_id, member, "Drop-in")
    attendance = today.entry(1, member).attendance
    assert attendance is not None
    assert (attendance.status, attendance.arrived) == (AttendanceStatus.LATE, time(9, 20))


def test_adding_an_enrolled_member_not_yet_marked_is_refused(today: Run) -> None:
    member, block_id = today.member(0), today.block_id(1)
    assert today.entry(1, member).attendance is None  # on the roster, attendance not taken
    with pytest.raises(DomainError, match="already on the block's roster"):
        today.runner.add_participant(block_id, member, "Drop-in")


@pytest.mark.parametrize("reason", ["", "   "])
def test_adding_without_a_reason_is_refused(clinic: Clinic, today: Run, reason: str) -> None:
    guest = evening_member(clinic)
    with pytest.raises(DomainError, match="Say why"):
        today.runner.add_participant(today.block_id(1), guest, reason)
    assert guest not in {e.participant_id for e in today.block(1).roster}


def test_removing_keeps_the_draft_exactly(clinic: Clinic, today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.LATE, time(9, 10))
    draft = girp(GIRP_COMPLETE, mood="Anxious", risk=RiskFlags(craving=4))
    note_id = today.runner.save_draft(block_id, person, None, draft)
    present_before = today.block(1).present
    rows_before = note_rows(clinic)

    today.runner.remove_participant(block_id, person, "  Left for a medical emergency ")

    assert note_rows(clinic) == rows_before  # every note, byte for byte, updated_at included
    block = today.block(1)
    entry = block.entry(person)
    assert entry.removed
    assert entry.attendance is not None
    assert entry.attendance.removed_reason == "Left for a medical emergency"
    assert (entry.attendance.status, entry.attendance.arrived) == (
        AttendanceStatus.LATE,
        time(9, 10),
    )
    assert entry.progress is None  # no note due
    assert entry.note is not None
    assert (entry.note.note_id, entry.note.draft) == (note_id, draft)
    assert block.present == present_before - 1
    assert block.minutes == 0  # the only attendee was removed


def test_removed_participant_gets_no_new_draft(clinic: Clinic, today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.PRESENT)
    today.runner.remove_participant(block_id, person, "Wrong group")
    rows_before = note_rows(clinic)
    with pytest.raises(DomainError, match="only for participants marked present"):
        today.runner.save_draft(block_id, person, None, girp(GIRP_COMPLETE))
    assert note_rows(clinic) == rows_before


def test_removing_and_adding_back_brings_the_note_back(clinic: Clinic, today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.PRESENT)
    today.runner.save_draft(block_id, person, None, girp(GIRP_COMPLETE))
    today.runner.remove_participant(block_id, person, "Removed by mistake")
    rows_before = note_rows(clinic)
    today.runner.add_participant(block_id, person, "Back after the mistake")
    assert note_rows(clinic) == rows_before
    entry = today.entry(1, person)
    assert not entry.removed
    assert entry.progress is NoteProgress.COMPLETE


def test_adding_back_someone_removed_while_absent_leaves_no_absence_reason(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(
        block_id, person, AttendanceStatus.ABSENT_EXCUSED, absence_reason="Medical appointment"
    )
    today.runner.remove_participant(block_id, person, "Marked in the wrong block")
    today.runner.add_participant(block_id, person, "Arrived after all")
    attendance = today.entry(1, person).attendance
    assert attendance is not None
    assert attendance.status is AttendanceStatus.PRESENT
    assert attendance.absence_reason is None  # as record_attendance keeps it for attendees


def test_removing_someone_not_yet_marked(today: Run) -> None:
    person = today.member(0)
    today.runner.remove_participant(today.block_id(1), person, "Discharged this morning")
    sheet = today.sheet()
    entry = sheet.blocks[0].entry(person)
    assert entry.removed
    assert entry.attendance is not None and entry.attendance.minutes == 0
    assert entry.progress is None
    assert sheet.blocks[1].entry(person).attendance is None  # only that block


@pytest.mark.parametrize("reason", ["", "  "])
def test_removing_without_a_reason_is_refused(today: Run, reason: str) -> None:
    person = today.member(0)
    with pytest.raises(DomainError, match="Say why"):
        today.runner.remove_participant(today.block_id(1), person, reason)
    assert today.entry(1, person).attendance is None
