"""Participant drafts: written only for those present, never over a signed note."""

from __future__ import annotations

from datetime import time

import pytest

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteProgress, NoteStatus
from facilitator.services.session_sheet import RiskFlags
from tests.integration.runner.session_run import GIRP_COMPLETE, Run, girp, note_rows


def test_save_draft_creates_then_updates_one_note(clinic: Clinic, today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.PRESENT)
    assert today.entry(1, person).progress is NoteProgress.DUE
    count_before = len(note_rows(clinic))

    first = today.runner.save_draft(block_id, person, None, girp({"goal": "Stay sober"}))
    entry = today.entry(1, person)
    assert entry.progress is NoteProgress.DRAFTED
    assert entry.note is not None
    assert (entry.note.note_id, entry.note.status) == (first, NoteStatus.DRAFT)
    assert entry.note.draft.fields == {"goal": "Stay sober"}

    second = today.runner.save_draft(block_id, person, None, girp(GIRP_COMPLETE))
    assert second == first
    assert len(note_rows(clinic)) == count_before + 1  # one row per block and participant
    entry = today.entry(1, person)
    assert entry.progress is NoteProgress.COMPLETE
    assert entry.note is not None and entry.note.draft.fields == GIRP_COMPLETE


def test_blank_required_field_leaves_the_draft_drafted(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.PRESENT)
    today.runner.save_draft(block_id, person, None, girp({**GIRP_COMPLETE, "plan": "   "}))
    assert today.entry(1, person).progress is NoteProgress.DRAFTED


def test_draft_round_trip_keeps_every_part(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    goal = today.start.blocks[0].entry(person).goals[0].goal_id
    today.runner.record_attendance(block_id, person, AttendanceStatus.LEFT_EARLY, left=time(9, 40))
    draft = girp(
        {**GIRP_COMPLETE, "additional": "Left for a medical appointment"},
        mood="Irritable",
        affect="Restricted",
        participation="Minimal",
        goals_addressed={str(goal): "Progressing"},
        risk=RiskFlags(use_since_last_session=True, craving=7),
    )
    today.runner.save_draft(block_id, person, None, draft)
    entry = today.entry(1, person)
    assert entry.note is not None
    assert entry.note.draft == draft
    assert entry.progress is NoteProgress.COMPLETE


@pytest.mark.parametrize(
    "status", [AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED]
)
def test_draft_for_an_absent_participant_is_refused(
    clinic: Clinic, today: Run, status: AttendanceStatus
) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, status, absence_reason="Sick")
    rows_before = note_rows(clinic)
    with pytest.raises(DomainError, match="only for participants marked present"):
        today.runner.save_draft(block_id, person, None, girp(GIRP_COMPLETE))
    assert note_rows(clinic) == rows_before
    assert today.entry(1, person).note is None


def test_draft_before_attendance_is_refused(clinic: Clinic, today: Run) -> None:
    person = today.member(0)
    rows_before = note_rows(clinic)
    with pytest.raises(DomainError, match="only for participants marked present"):
        today.runner.save_draft(today.block_id(1), person, None, girp(GIRP_COMPLETE))
    assert note_rows(clinic) == rows_before


def test_draft_over_a_signed_note_is_refused(clinic: Clinic, last_week: Run) -> None:
    block = last_week.block(1)
    signed = next(e for e in block.roster if e.note is not None)
    assert signed.note is not None and signed.note.status is NoteStatus.SIGNED
    rows_before = note_rows(clinic)
    with pytest.raises(DomainError, match="signed and cannot change"):
        last_week.runner.save_draft(
            block.block_id, signed.participant_id, None, girp({"goal": "Rewritten"})
        )
    assert note_rows(clinic) == rows_before
    assert last_week.entry(1, signed.participant_id).note == signed.note


def test_saving_one_draft_changes_no_other_note(clinic: Clinic, today: Run) -> None:
    writer, neighbour = today.member(0), today.member(1)
    block_id = today.block_id(1)
    today.runner.mark_all_present(block_id, today.session_id)
    today.runner.save_draft(block_id, neighbour, None, girp({"goal": "Neighbour's goal"}))
    mine = today.runner.save_draft(block_id, writer, None, girp({"goal": "First words"}))
    before = note_rows(clinic)

    today.runner.save_draft(block_id, writer, None, girp(GIRP_COMPLETE))

    after = note_rows(clinic)
    assert set(after) == set(before)
    assert after[mine] != before[mine]
    del after[mine], before[mine]
    assert after == before  # the neighbour's draft and every signed note, byte for byte
    assert len(after) > 500
