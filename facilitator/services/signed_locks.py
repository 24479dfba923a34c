"""What a signed note locks, as the runner and the corrections ask it: the participant's
attendance in the block, and the block's service (times, topic, interventions, group note).
The database refuses the same changes (migration 0009's triggers)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus
from facilitator.storage.models import Attendance, ParticipantNote


def refuse_if_block_locked(session: Session, block_id: uuid.UUID) -> None:
    """A block with signed notes is changed only by a correction with signed addenda."""
    signed = session.scalar(
        select(ParticipantNote.id)
        .where(
            ParticipantNote.block_id == block_id,
            ParticipantNote.status != NoteStatus.DRAFT.value,
        )
        .limit(1)
    )
    if signed is not None:
        raise DomainError(
            "Notes of this block are signed, so its times, topic, interventions and group note "
            "are locked: correct them with Block > Correct block… (Ctrl+Shift+B), which adds a "
            "signed addendum to each note."
        )


def refuse_if_note_locked(session: Session, block_id: uuid.UUID, participant_id: uuid.UUID) -> None:
    """A signed note's attendance is changed only by a correction with a signed addendum."""
    note = note_in_block(session, block_id, participant_id)
    if note is not None and NoteStatus(note.status).locked:
        participant = note.participant
        first = participant.preferred_name or participant.legal_first
        raise DomainError(
            f"{first}'s note for this block is signed: correct the attendance with "
            "Attendance > Correct attendance… (it adds a signed addendum)."
        )


def note_in_block(
    session: Session, block_id: uuid.UUID, participant_id: uuid.UUID
) -> ParticipantNote | None:
    """The participant's note for the block, if one was started."""
    return session.scalar(
        select(ParticipantNote).where(
            ParticipantNote.block_id == block_id,
            ParticipantNote.participant_id == participant_id,
        )
    )


def attendance_in_block(
    session: Session, block_id: uuid.UUID, participant_id: uuid.UUID
) -> Attendance | None:
    """The participant's attendance row in the block, if one was taken."""
    return session.scalar(
        select(Attendance).where(
            Attendance.block_id == block_id, Attendance.participant_id == participant_id
        )
    )
