"""Compare the content hashes a document claims with the signed records in the database:
notes, addenda and discharge summaries; and find the SHA-256 of the file an export wrote.

Reads ids, statuses and hashes only: nothing here touches note text or names.
"""

from __future__ import annotations

import hmac
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.discharge import SummaryStatus
from facilitator.domain.notes import NoteStatus, content_hash
from facilitator.security.audit import AuditAction
from facilitator.services.notes_content import canonical_note_content
from facilitator.storage.models import Addendum, AuditEvent, Discharge, ParticipantNote


class RecordState(StrEnum):
    MATCHES = "matches"  # signed in the database with exactly this hash
    DIFFERS = "differs"  # signed in the database with another hash: the document was altered
    UNSIGNED = "unsigned"  # a draft (or an unsigned addendum): its content may still change
    UNKNOWN = "unknown"  # no such signed item in this database
    BROKEN = "broken"  # the stored record no longer hashes to its own signature


@dataclass(frozen=True)
class RecordCheck:
    record_id: str
    kind: str | None  # "note", "addendum", "discharge_summary", or None when unknown
    state: RecordState


def check_records(session: Session, claimed: Iterable[tuple[str, str]]) -> list[RecordCheck]:
    """Check each (record id, content hash) a document claims against the database."""
    pairs = list(claimed)
    ids = [_uuid(record_id) for record_id, _ in pairs]
    known = [i for i in ids if i is not None]
    notes = {
        note.id: (note.status, note.content_hash, content_hash(canonical_note_content(note)))
        for note in session.scalars(select(ParticipantNote).where(ParticipantNote.id.in_(known)))
    }
    addenda = {
        row.id: (row.signed_at is not None, row.content_hash)
        for row in session.execute(
            select(Addendum.id, Addendum.signed_at, Addendum.content_hash).where(
                Addendum.id.in_(known)
            )
        )
    }
    summaries = {
        row.id: (SummaryStatus(row.status).locked, row.content_hash)
        for row in session.execute(
            select(Discharge.id, Discharge.status, Discharge.content_hash).where(
                Discharge.id.in_(known)
            )
        )
    }
    results = []
    for (record_id, claimed_hash), key in zip(pairs, ids, strict=True):
        if key in notes:
            status, stored, recomputed = notes[key]
            signed = NoteStatus(status).locked
            state = _state(signed, stored, claimed_hash)
            if signed and stored is not None and not hmac.compare_digest(stored, recomputed):
                state = RecordState.BROKEN
            results.append(RecordCheck(record_id, "note", state))
        elif key in addenda:
            signed, stored = addenda[key]
            results.append(RecordCheck(record_id, "addendum", _state(signed, stored, claimed_hash)))
        elif key in summaries:
            signed, stored = summaries[key]
            state = _state(signed, stored, claimed_hash)
            results.append(RecordCheck(record_id, "discharge_summary", state))
        else:
            results.append(RecordCheck(record_id, None, RecordState.UNKNOWN))
    return results


def signed_records(session: Session) -> list[tuple[str, str]]:
    """The id and content hash of every record whose signed content can never change again:
    signed notes and addenda, and discharge summaries signed for good (one awaiting its
    co-signature may be returned to a draft and signed anew)."""
    locked_notes = [s.value for s in NoteStatus if s.locked]
    locked_summaries = [SummaryStatus.SIGNED.value]
    rows = [
        *session.execute(
            select(ParticipantNote.id, ParticipantNote.content_hash).where(
                ParticipantNote.status.in_(locked_notes)
            )
        ),
        *session.execute(
            select(Addendum.id, Addendum.content_hash).where(Addendum.signed_at.is_not(None))
        ),
        *session.execute(
            select(Discharge.id, Discharge.content_hash).where(
                Discharge.status.in_(locked_summaries)
            )
        ),
    ]
    return [(str(record_id), content_hash) for record_id, content_hash in rows if content_hash]


def later_addenda(
    session: Session, note_ids: Iterable[uuid.UUID], listed: Iterable[uuid.UUID]
) -> dict[uuid.UUID, int]:
    """For each note, how many signed addenda (corrections included) the records hold that
    are not in `listed` (the ones a document shows): the record changed since it was made."""
    shown = set(listed)
    counts: dict[uuid.UUID, int] = {}
    for note_id, addendum_id in session.execute(
        select(Addendum.note_id, Addendum.id).where(
            Addendum.note_id.in_(list(note_ids)), Addendum.signed_at.is_not(None)
        )
    ):
        if addendum_id not in shown:
            counts[note_id] = counts.get(note_id, 0) + 1
    return counts


def exported_file_hash(session: Session, document_id: uuid.UUID) -> str | None:
    """The SHA-256 of the PDF file the export of `document_id` wrote, as its audit entry
    records it; None when no export of it here recorded one (another clinic's, older)."""
    details = session.scalars(
        select(AuditEvent.detail).where(
            AuditEvent.action == AuditAction.EXPORT.value,
            AuditEvent.detail["document_id"].as_string() == str(document_id),
        )
    )
    return next((d["sha256"] for d in details if isinstance(d.get("sha256"), str)), None)


def _state(signed: bool, stored: str | None, claimed: str) -> RecordState:
    if not signed or stored is None:
        return RecordState.UNSIGNED
    if hmac.compare_digest(stored, claimed.lower()):
        return RecordState.MATCHES
    return RecordState.DIFFERS


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
