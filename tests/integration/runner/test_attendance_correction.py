"""Attendance behind a signed note: refused in the runner, corrected only with a signed addendum."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import content_hash
from facilitator.domain.users import SignedInUser
from facilitator.services.attendance_correction import AttendanceCorrection
from facilitator.services.notes_content import canonical_addendum_content
from facilitator.services.session_sheet import RosterEntry
from facilitator.services.signing import Stamp, sign_note
from facilitator.storage.models import (
    Addendum,
    AuditEvent,
    BlockFacilitator,
    Clinician,
    ParticipantNote,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.integration.runner.session_run import GIRP_COMPLETE, Run, girp, taken
from tests.users import signed_in

PASSWORD = "correct horse battery staple"
SIGNED_AT = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)


class PasswordBook:
    """Stands in for Accounts.confirm_password: one password for everyone."""

    def confirm_password(self, user: SignedInUser, password: str) -> None:
        if password != PASSWORD:
            raise DomainError("The password is not correct.")


@pytest.fixture
def correction(clinic: Clinic) -> AttendanceCorrection:
    return AttendanceCorrection(
        clinic.database, PasswordBook(), clinic.audit, lambda: SIGNED_AT, "America/New_York"
    )


def signed_entry(run: Run) -> RosterEntry:
    """Someone present in last week's first block whose note is signed."""
    return next(
        e
        for e in run.block(1).roster
        if e.note is not None and e.note.status.locked and taken(e).status.attended
    )


def author(clinic: Clinic, note_id: uuid.UUID) -> SignedInUser:
    with unit_of_work(clinic.database) as session:
        note = session.get(ParticipantNote, note_id)
        assert note is not None and note.author_id is not None
        clinician = session.get(Clinician, note.author_id)
        assert clinician is not None
        return signed_in(clinic.database, clinician.username)


def addenda(clinic: Clinic, note_id: uuid.UUID) -> list[Addendum]:
    with unit_of_work(clinic.database) as session:
        found = session.scalars(select(Addendum).where(Addendum.note_id == note_id)).all()
        session.expunge_all()
        return list(found)


# The rule in the runner --------------------------------------------------------------------


def test_a_signed_participants_attendance_is_refused(last_week: Run) -> None:
    entry = signed_entry(last_week)
    block_id = last_week.block_id(1)
    first = entry.name.split()[0]
    with pytest.raises(DomainError, match=f"{first}'s note for this block is signed.*Correct"):
        last_week.runner.record_attendance(
            block_id, entry.participant_id, AttendanceStatus.LEFT_EARLY, None, time(9, 30)
        )
    with pytest.raises(DomainError, match="Correct attendance"):
        last_week.runner.remove_participant(block_id, entry.participant_id, "Left the program")
    assert last_week.entry(1, entry.participant_id).attendance == entry.attendance


def test_a_draft_and_an_absence_stay_editable(today: Run) -> None:
    block_id, member, other = today.block_id(1), today.member(0), today.member(1)
    today.runner.record_attendance(block_id, member, AttendanceStatus.PRESENT)
    today.runner.save_draft(block_id, member, None, girp(GIRP_COMPLETE))
    today.runner.record_attendance(block_id, member, AttendanceStatus.LEFT_EARLY, None, time(9, 40))
    today.runner.record_attendance(block_id, other, AttendanceStatus.ABSENT_EXCUSED)
    today.runner.record_attendance(block_id, other, AttendanceStatus.PRESENT)
    assert taken(today.entry(1, member)).minutes == 40
    assert taken(today.entry(1, other)).status is AttendanceStatus.PRESENT


def test_bulk_attendance_never_touches_a_signed_participant(last_week: Run) -> None:
    before = last_week.block(2).roster
    assert last_week.runner.mark_all_present(last_week.block_id(2), last_week.session_id) == 0
    assert last_week.runner.copy_previous_attendance(
        last_week.block_id(2), last_week.session_id
    ) in (0, sum(1 for e in before if e.attendance is None))
    after = {e.participant_id: e.attendance for e in last_week.block(2).roster}
    assert all(after[e.participant_id] == e.attendance for e in before if e.attendance)


def test_bulk_attendance_from_a_stale_sheet_keeps_what_was_taken(
    today: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = today.start
    block_id, member = today.block_id(1), today.member(0)
    today.runner.record_attendance(block_id, member, AttendanceStatus.LATE, time(9, 20))
    monkeypatch.setattr(today.runner, "sheet", lambda _session_id: stale)
    added = today.runner.mark_all_present(block_id, today.session_id)
    monkeypatch.undo()
    assert added == len(stale.blocks[0].roster) - 1
    assert taken(today.entry(1, member)).status is AttendanceStatus.LATE


# The correction ----------------------------------------------------------------------------


def test_correction_changes_the_row_and_signs_an_addendum(
    clinic: Clinic, last_week: Run, correction: AttendanceCorrection
) -> None:
    entry = signed_entry(last_week)
    assert entry.note is not None
    note_id, block_id = entry.note.note_id, last_week.block_id(1)
    span = last_week.block(1).span
    user = author(clinic, note_id)
    was = taken(entry)
    correction.correct_attendance(
        user,
        PASSWORD,
        block_id,
        entry.participant_id,
        AttendanceStatus.LEFT_EARLY,
        None,
        time(span.start.hour, 40),
        "Sign-in sheet shows departure",
    )
    now = taken(last_week.entry(1, entry.participant_id))
    assert now.status is AttendanceStatus.LEFT_EARLY and now.minutes == 40 - span.start.minute
    (addendum,) = [a for a in addenda(clinic, note_id) if a.text.startswith("Attendance")]
    assert addendum.text == (
        f"Attendance corrected: was {was.status.label} "
        f"{was.arrived or span.start:%H:%M}–{was.left or span.end:%H:%M}, {was.minutes} min; "
        f"now Left early {span.start:%H:%M}–{span.start.hour:02d}:40, {now.minutes} min. "
        "Reason: Sign-in sheet shows departure"
    )
    assert addendum.author_id == user.id and addendum.signed_at is not None
    with unit_of_work(clinic.database) as session:
        note = session.get(ParticipantNote, note_id)
        assert note is not None
        stored = session.get(Addendum, addendum.id)
        assert stored is not None
        assert stored.content_hash == content_hash(canonical_addendum_content(stored, note))
        kinds = {
            (e.action, e.object_type)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.clinician_id == user.id))
        }
    assert {("edit", "attendance"), ("addendum", "participant_note")} <= kinds


def test_a_co_facilitator_of_the_block_may_correct(
    clinic: Clinic, today: Run, correction: AttendanceCorrection
) -> None:
    """The co-facilitator joins before the note is signed: afterwards the block's
    facilitators are locked with it."""
    block_id, member = today.block_id(1), today.member(0)
    with unit_of_work(clinic.database) as session:
        lead = session.scalars(
            select(BlockFacilitator.clinician_id).where(BlockFacilitator.block_id == block_id)
        ).first()
        other = session.scalars(
            select(Clinician).where(Clinician.id != lead, Clinician.role == "facilitator")
        ).first()
        assert lead is not None and other is not None
        session.add(
            BlockFacilitator(block_id=block_id, clinician_id=other.id, role="co-facilitator")
        )
        username = other.username
    today.runner.record_attendance(block_id, member, AttendanceStatus.PRESENT)
    note_id = today.runner.save_draft(block_id, member, lead, girp(GIRP_COMPLETE))
    with unit_of_work(clinic.database) as session:
        lead_name = session.get_one(Clinician, lead).username
        sign_note(
            session,
            session.get_one(ParticipantNote, note_id),
            signed_in(clinic.database, lead_name),
            Stamp(SIGNED_AT, "America/New_York"),
        )
    correction.correct_attendance(
        signed_in(clinic.database, username),
        PASSWORD,
        block_id,
        member,
        AttendanceStatus.ABSENT_EXCUSED,
        None,
        None,
        "Was not there",
    )
    assert taken(today.entry(1, member)).minutes == 0


@pytest.mark.parametrize(
    ("password", "reason", "message"),
    [
        ("wrong", "Sign-in sheet", "password is not correct"),
        (PASSWORD, "  ", "Say why"),
    ],
)
def test_a_refused_correction_changes_nothing(
    clinic: Clinic,
    last_week: Run,
    correction: AttendanceCorrection,
    password: str,
    reason: str,
    message: str,
) -> None:
    entry = signed_entry(last_week)
    assert entry.note is not None
    user = author(clinic, entry.note.note_id)
    before = addenda(clinic, entry.note.note_id)
    with pytest.raises(DomainError, match=message):
        correction.correct_attendance(
            user,
            password,
            last_week.block_id(1),
            entry.participant_id,
            AttendanceStatus.ABSENT_UNEXCUSED,
            None,
            None,
            reason,
        )
    assert last_week.entry(1, entry.participant_id).attendance == entry.attendance
    assert len(addenda(clinic, entry.note.note_id)) == len(before)


def test_someone_neither_author_nor_facilitator_is_refused(
    clinic: Clinic, last_week: Run, correction: AttendanceCorrection
) -> None:
    entry = signed_entry(last_week)
    assert entry.note is not None
    block_id = last_week.block_id(1)
    with unit_of_work(clinic.database) as session:
        note = session.get(ParticipantNote, entry.note.note_id)
        assert note is not None
        involved = set(
            session.scalars(
                select(BlockFacilitator.clinician_id).where(BlockFacilitator.block_id == block_id)
            )
        ) | {note.author_id}
        outsider = session.scalars(
            select(Clinician.username).where(Clinician.id.not_in(involved))
        ).first()
    assert outsider is not None
    with pytest.raises(DomainError, match="author or a facilitator"):
        correction.correct_attendance(
            signed_in(clinic.database, outsider),
            PASSWORD,
            block_id,
            entry.participant_id,
            AttendanceStatus.ABSENT_UNEXCUSED,
            None,
            None,
            "Mistake",
        )
    assert last_week.entry(1, entry.participant_id).attendance == entry.attendance


def test_a_draft_is_not_corrected_but_changed_in_the_table(
    clinic: Clinic, today: Run, correction: AttendanceCorrection
) -> None:
    block_id, member = today.block_id(1), today.member(0)
    today.runner.record_attendance(block_id, member, AttendanceStatus.PRESENT)
    with pytest.raises(DomainError, match="not signed"):
        correction.correct_attendance(
            signed_in(clinic.database, "mreyes"),
            PASSWORD,
            block_id,
            member,
            AttendanceStatus.LATE,
            time(9, 20),
            None,
            "Late",
        )
