"""Correct a block whose notes are signed: its times, topic, interventions or group note.

The one way to change them once a note of the block is locked: the password again, a reason,
and in one transaction a correction row holding the block's new state (the database admits the
change only when it equals that row: migration 0009), the change, and on every locked note of
the block a signed addendum saying what was and what is now, as that participant's documents
show it (other members by initials). The notes keep the context they were signed with.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.documents.common import BlockContext
from facilitator.documents.service_context import block_contexts
from facilitator.domain.attendance import TimeSpan, span_text
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, DetailValue
from facilitator.services.signing import NOTE, PasswordSigned, add_addendum
from facilitator.services.signing_review import facilitates
from facilitator.storage.models import Block, BlockCorrection, CurriculumTopic, ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work

TIME_FIELDS = ("actual_start", "actual_end")
TEXT_FIELDS = ("free_topic", "interventions", "other_interventions", "group_note")


@dataclass(frozen=True)
class BlockChange:
    """What a correction sets; None leaves that part as it is. A topic is a curriculum topic
    (`topic_id`) or a free title (`free_topic`), not both."""

    actual_start: time | None = None
    actual_end: time | None = None
    topic_id: uuid.UUID | None = None
    free_topic: str | None = None
    interventions: Sequence[str] | None = None
    other_interventions: str | None = None
    group_note: str | None = None


class BlockCorrectionService(PasswordSigned):
    """Correct the service of a block whose notes are signed."""

    def correct_block(
        self,
        user: SignedInUser,
        password: str,
        block_id: uuid.UUID,
        change: BlockChange,
        reason: str,
    ) -> list[uuid.UUID]:
        """Apply `change`, adding a signed addendum to each locked note; returns their ids.

        A facilitator of the block or a supervisor may; a reason is required; with a wrong
        password, or a change that changes nothing, nothing is written.
        """
        if not reason.strip():
            raise DomainError("Say why the block is corrected.")
        with unit_of_work(self._database) as session:
            _check(session, block_id, user)
        self._confirm(user, password, AuditAction.EDIT, detail={"kind": "block_correction"})
        with unit_of_work(self._database) as session:
            block, notes = _check(session, block_id, user)
            before = _contexts(session, notes)
            old = {field: getattr(block, field) for field in _COLUMNS}
            row = _correction(session, block, change, user, reason.strip())
            session.add(row)
            session.flush()  # the correction first: the trigger admits a change equal to it
            for field in _COLUMNS:
                setattr(block, field, getattr(row, field))
            session.flush()
            session.expire_all()
            after = _contexts(session, notes)
            stamp = self.stamp()
            ids = []
            for note in notes:
                text = correction_text(before[note.id], after[note.id], reason.strip())
                addendum = add_addendum(session, note, user, text, stamp, by_facilitator=True)
                session.flush()
                ids.append(addendum.id)
                self._audit.record(
                    session,
                    actor=user.id,
                    action=AuditAction.ADDENDUM,
                    object_type=NOTE,
                    object_id=str(note.id),
                    detail={"addendum": str(addendum.id), "kind": "block_correction"},
                )
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.EDIT,
                object_type="block",
                object_id=str(block_id),
                detail={
                    "kind": "corrected",
                    "correction": str(row.id),
                    "notes": len(notes),
                    **change_detail(old, row),
                },
            )
            return ids


_COLUMNS = (
    "actual_start",
    "actual_end",
    "topic_id",
    "free_topic",
    "interventions",
    "other_interventions",
    "group_note",
)


def _check(
    session: Session, block_id: uuid.UUID, user: SignedInUser
) -> tuple[Block, list[ParticipantNote]]:
    """The block and its locked notes, provided `user` may correct it."""
    block = session.get(Block, block_id)
    if block is None:
        raise DomainError("That block no longer exists.")
    notes = [
        n
        for n in session.scalars(
            select(ParticipantNote)
            .where(ParticipantNote.block_id == block_id)
            .order_by(ParticipantNote.id)
        )
        if NoteStatus(n.status).locked
    ]
    if not notes:
        raise DomainError(
            "No note of this block is signed: change its times, topic and group note in the runner."
        )
    if not user.can_cosign and not facilitates(session, user.id, block_id):
        raise DomainError("Only a facilitator of the block or a supervisor can correct it.")
    return block, notes


def _correction(
    session: Session, block: Block, change: BlockChange, user: SignedInUser, reason: str
) -> BlockCorrection:
    """The block's state after `change`, checked; refused when it changes nothing."""
    start = change.actual_start or block.actual_start
    end = change.actual_end or block.actual_end
    TimeSpan(start or block.planned_start, end or block.planned_end)  # end before start: refused
    topic_id, free_topic = block.topic_id, block.free_topic
    if change.topic_id is not None:
        topic = session.get(CurriculumTopic, change.topic_id)
        if topic is None or topic.modality_id != block.modality_id:
            raise DomainError("That topic is not in this block's curriculum.")
        topic_id, free_topic = topic.id, None
    elif change.free_topic is not None:
        if not change.free_topic.strip():
            raise DomainError("Give the topic a title, or pick one from the curriculum.")
        topic_id, free_topic = None, change.free_topic.strip()
    row = BlockCorrection(
        id=uuid.uuid4(),
        block_id=block.id,
        session_id=block.session_id,
        modality_id=block.modality_id,
        topic_id=topic_id,
        free_topic=free_topic,
        planned_start=block.planned_start,
        planned_end=block.planned_end,
        actual_start=start,
        actual_end=end,
        interventions=list(
            block.interventions if change.interventions is None else change.interventions
        ),
        other_interventions=block.other_interventions
        if change.other_interventions is None
        else change.other_interventions.strip(),
        group_note=block.group_note if change.group_note is None else change.group_note.strip(),
        room=block.room,
        reason=reason,
        clinician_id=user.id,
    )
    row.fields = [f for f in _COLUMNS if getattr(row, f) != getattr(block, f)]
    if not row.fields:
        raise DomainError("The block already reads like that: nothing to correct.")
    return row


def _contexts(session: Session, notes: Sequence[ParticipantNote]) -> dict[uuid.UUID, BlockContext]:
    """Each note's block as its participant's documents show it now, by note id."""
    return {
        n.id: block_contexts(session, n.participant_id, [n.block_id])[n.block_id] for n in notes
    }


_SHOWN: tuple[
    tuple[str, Callable[[BlockContext], str]], ...
] = (  # what a correction can change, as a participant's documents show it
    ("Time", lambda c: f"{span_text(c.start, c.end)} ({c.times_basis})"),
    ("Minutes attended", lambda c: str(c.minutes)),
    ("Topic", lambda c: c.topic or "(none recorded)"),
    ("Interventions", lambda c: c.interventions or "(none recorded)"),
    ("Group note", lambda c: c.group_note or "(none)"),
    ("Service code", lambda c: "; ".join(s.text for s in c.services) or "none configured"),
)


def correction_text(before: BlockContext, after: BlockContext, reason: str) -> str:
    """'Block corrected: Time was 09:00–10:00 (actual); now 09:00–10:30 (actual). Reason: …'"""
    changes = [
        f"{label} was {shown(before)}; now {shown(after)}"
        for label, shown in _SHOWN
        if shown(before) != shown(after)
    ]
    body = ". ".join(changes) if changes else "nothing this participant's note shows changed"
    return f"Block corrected: {body}. Reason: {reason}"


def change_detail(old: dict[str, object], row: BlockCorrection) -> dict[str, DetailValue]:
    """The audit detail of a block's change: was and now for times and topic ids; for text
    (free topic, interventions, group note) only that it changed, never the text."""
    detail: dict[str, DetailValue] = {}
    for field in row.fields:
        new = getattr(row, field)
        if field in TEXT_FIELDS:
            detail[field] = "changed"
        else:
            detail[f"{field}_was"] = _token(old[field])
            detail[f"{field}_now"] = _token(new)
    return detail


def _token(value: object) -> str | None:
    if value is None:
        return None
    return f"{value:%H:%M}" if isinstance(value, time) else str(value)
