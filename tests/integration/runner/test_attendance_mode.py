"""How each person attended a block (in person, video, telephone): recorded per row, kept
across status changes, carried to the next block, refused behind a signed note."""

from __future__ import annotations

import pytest

from facilitator.domain.attendance import AttendanceMode, AttendanceStatus
from facilitator.domain.errors import DomainError
from tests.integration.runner.session_run import Run, taken


def test_mode_is_recorded_kept_and_does_not_change_minutes(today: Run) -> None:
    block, person = today.block_id(1), today.member(0)
    today.runner.record_attendance(block, person, AttendanceStatus.PRESENT)
    assert taken(today.entry(1, person)).mode is AttendanceMode.IN_PERSON
    minutes = taken(today.entry(1, person)).minutes
    today.runner.record_attendance(
        block, person, AttendanceStatus.PRESENT, mode=AttendanceMode.VIDEO
    )
    assert taken(today.entry(1, person)).mode is AttendanceMode.VIDEO
    assert taken(today.entry(1, person)).minutes == minutes == 60
    today.runner.record_attendance(block, person, AttendanceStatus.LATE)  # mode not given: kept
    assert taken(today.entry(1, person)).mode is AttendanceMode.VIDEO


def test_mark_all_present_is_in_person_and_the_next_block_copies_the_mode(today: Run) -> None:
    first, second = today.block_id(1), today.block_id(2)
    today.runner.mark_all_present(first, today.session_id)
    assert {taken(e).mode for e in today.block(1).roster} == {AttendanceMode.IN_PERSON}
    person = today.member(1)
    today.runner.record_attendance(
        first, person, AttendanceStatus.PRESENT, mode=AttendanceMode.TELEPHONE
    )
    today.runner.copy_previous_attendance(second, today.session_id)
    assert taken(today.entry(2, person)).mode is AttendanceMode.TELEPHONE


def test_changing_the_mode_behind_a_signed_note_is_refused(last_week: Run) -> None:
    entry = next(
        e
        for e in last_week.block(1).roster
        if e.note is not None and e.note.status.locked and taken(e).status.attended
    )
    before = taken(entry)
    with pytest.raises(DomainError, match="note for this block is signed"):
        last_week.runner.record_attendance(
            last_week.block_id(1),
            entry.participant_id,
            before.status,
            before.arrived,
            before.left,
            mode=AttendanceMode.VIDEO,
        )
    assert taken(last_week.entry(1, entry.participant_id)) == before
