"""Correct the attendance behind a signed note: the row changes and the note gets a signed
addendum saying what changed and why, in one transaction, after the password is asked again."""

from __future__ import annotations

import uuid
from datetime import time

from sqlalchemy.orm import Session

from facilitator.domain.attendance import (
    AttendanceMode,
    AttendanceStatus,
    TimeSpan,
    minutes_attended,
    mode_label,
    span_text,
)
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from facilitator.services.session_runner import attendance_detail
from facilitator.services.signed_locks import attendance_in_block, note_in_block
from facilitator.services.signing import NOTE, PasswordSigned, add_addendum
from facilitator.services.signing_review import facilitates
from facilitator.storage.models import Attendance, Block, ParticipantNote
from facilitator.storage.models import AttendanceCorrection as AttendanceCorrectionRow
from facilitator.storage.unit_of_work import unit_of_work


def describe(
    status: AttendanceStatus,
    arrived: time | None,
    left: time | None,
    span: TimeSpan,
    mode: str = "in_person",
) -> str:
    """'Present 09:00–10:00, 60 min' ('…, Video' when not in person) or 'Absent (excused)':
    attendance as an addendum says it."""
    if not status.attended:
        return status.label
    start, end = arrived or span.start, left or span.end
    minutes = minutes_attended(status, span, arrived, left)
    how = f", {mode_label(mode)}" if mode != AttendanceMode.IN_PERSON else ""
    return f"{status.label} {span_text(start, end)}, {minutes} min{how}"


class AttendanceCorrection(PasswordSigned):
    """The one way to change attendance once the participant's note for the block is signed."""

    def correct_attendance(
        self,
        user: SignedInUser,
        password: str,
        block_id: uuid.UUID,
        participant_id: uuid.UUID,
        status: AttendanceStatus,
        arrived: time | None,
        left: time | None,
        reason: str,
        mode: str | None = None,
    ) -> uuid.UUID:
        """Change the row and sign an addendum stating the change; returns the addendum's id.
        `mode` (in_person, video, telephone): how they attended; None keeps it.

        Only the note's author or a facilitator of the block may; a reason is required; with a
        wrong password nothing changes.
        """
        if not reason.strip():
            raise DomainError("Say why the attendance is corrected.")
        if mode is not None and mode not in list(AttendanceMode):
            raise DomainError(f"Attendance is in person, by video or by telephone, not {mode!r}.")
        if not status.attended:
            arrived = left = None
        elif arrived is not None and left is not None:
            TimeSpan(arrived, left)  # raises when departure precedes arrival
        with unit_of_work(self._database) as session:
            _locked_note(session, block_id, participant_id, user)
        self._confirm(user, password, AuditAction.ADDENDUM, detail={"kind": "attendance"})
        with unit_of_work(self._database) as session:
            note, row = _locked_note(session, block_id, participant_id, user)
            block = session.get(Block, block_id)
            assert block is not None  # the note's block
            span = TimeSpan(
                block.actual_start or block.planned_start, block.actual_end or block.planned_end
            )
            new_mode = mode or row.mode
            was = describe(AttendanceStatus(row.status), row.arrived, row.left, span, row.mode)
            now = describe(status, arrived, left, span, new_mode)
            if was == now:
                raise DomainError("The attendance is already recorded like that.")
            before = attendance_detail(row, "was")
            correction = AttendanceCorrectionRow(
                attendance_id=row.id,
                status=status.value,
                mode=new_mode,
                arrived=arrived,
                left=left,
                absence_reason=None if status.attended else row.absence_reason,
                added_reason=row.added_reason,
                removed_reason=row.removed_reason,
                reason=reason.strip(),
                clinician_id=user.id,
            )
            session.add(correction)
            session.flush()  # the correction first: the trigger admits a change equal to it
            row.status, row.mode = correction.status, new_mode
            row.arrived, row.left = arrived, left
            row.absence_reason = correction.absence_reason
            text = f"Attendance corrected: was {was}; now {now}. Reason: {reason.strip()}"
            addendum = add_addendum(session, note, user, text, self.stamp(), by_facilitator=True)
            session.flush()
            detail = {"block_id": str(block_id), "participant_id": str(participant_id)}
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.EDIT,
                object_type="attendance",
                object_id=str(row.id),
                detail={
                    **detail,
                    "status": status.value,
                    "kind": "corrected",
                    "correction": str(correction.id),
                    **before,
                    **attendance_detail(row, "now"),
                },
            )
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.ADDENDUM,
                object_type=NOTE,
                object_id=str(note.id),
                detail={"addendum": str(addendum.id), "kind": "attendance"},
            )
            return addendum.id


def _locked_note(
    session: Session, block_id: uuid.UUID, participant_id: uuid.UUID, user: SignedInUser
) -> tuple[ParticipantNote, Attendance]:
    """The signed note and its attendance row, provided `user` may correct them."""
    note = note_in_block(session, block_id, participant_id)
    row = attendance_in_block(session, block_id, participant_id)
    if note is None or row is None or not NoteStatus(note.status).locked:
        raise DomainError(
            "This participant's note for the block is not signed: change the attendance in "
            "the table."
        )
    if note.author_id != user.id and not facilitates(session, user.id, block_id):
        raise DomainError(
            "Only the note's author or a facilitator of the block can correct the attendance."
        )
    return note, row
