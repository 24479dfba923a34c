"""The demo clinic's audit entries, so its log holds what a clinic's log would for its records.

Every account and signature of a real clinic has its entry; a demo without them would show
an audit log that contradicts its records. Entries are written when the demo is made, in the
demo's transaction: first one for the demo's creation with its counts (no actor: nobody signs
in to make a demo), then each account's creation, then each signature, co-signature, return
and addendum in the order the demo dated them, with the clinician in whose name the demo made
it as actor. Each carries `demo: true`, and its time is when it was written (an audit log is
never back-dated), so nobody mistakes the demo's history for work done in this clinic.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.security.audit import AuditAction, AuditTrail, DetailValue
from facilitator.services.discharge import OBJECT as DISCHARGE
from facilitator.services.signing import NOTE
from facilitator.storage.models import (
    Addendum,
    Clinician,
    Discharge,
    Enrollment,
    NoteReview,
    Signature,
)

CLINIC = "clinic"
DEMO: dict[str, DetailValue] = {"demo": True}


@dataclass(frozen=True, slots=True)
class _Entry:
    at: datetime
    actor: uuid.UUID
    action: AuditAction
    object_type: str
    object_id: uuid.UUID
    detail: Mapping[str, DetailValue]


def record_demo_audit(session: Session, audit: AuditTrail, counts: Mapping[str, int]) -> None:
    """Write the demo's entries, after its records and in the same transaction."""
    audit.record(
        session,
        actor=None,
        action=AuditAction.CREATE,
        object_type=CLINIC,
        detail={**DEMO, **counts},
    )
    for clinician in session.scalars(select(Clinician).order_by(Clinician.username)):
        audit.record(
            session,
            actor=None,
            action=AuditAction.ACCOUNT_CHANGE,
            object_type="clinician",
            object_id=str(clinician.id),
            detail={"change": "created", "role": clinician.role, **DEMO},
        )
    for entry in sorted(_signing_entries(session), key=lambda e: (e.at, str(e.object_id))):
        audit.record(
            session,
            actor=entry.actor,
            action=entry.action,
            object_type=entry.object_type,
            object_id=str(entry.object_id),
            detail={**entry.detail, **DEMO},
        )


def _signing_entries(session: Session) -> list[_Entry]:
    """Each signature, co-signature, return, addendum and signed discharge summary."""
    entries = [
        _Entry(
            s.signed_at,
            s.clinician_id,
            AuditAction.COSIGN if s.role == "cosigner" else AuditAction.SIGN,
            NOTE,
            s.note_id,
            {},
        )
        for s in session.scalars(select(Signature))
    ]
    entries += [
        _Entry(r.created_at, r.clinician_id, AuditAction.RETURN, NOTE, r.note_id, {})
        for r in session.scalars(select(NoteReview).where(NoteReview.action == "returned"))
    ]
    entries += [
        _Entry(
            a.signed_at,
            a.author_id,
            AuditAction.ADDENDUM,
            NOTE,
            a.note_id,
            {"addendum": str(a.id), "resubmitted": False},
        )
        for a in session.scalars(select(Addendum).where(Addendum.signed_at.is_not(None)))
        if a.signed_at is not None
    ]
    signed = select(Discharge, Enrollment.participant_id).join(Enrollment)
    entries += [
        _Entry(
            d.signed_at,
            d.signed_by,
            AuditAction.SIGN,
            DISCHARGE,
            d.id,
            {"participant_id": str(participant_id)},
        )
        for d, participant_id in session.execute(signed.where(Discharge.signed_at.is_not(None)))
        if d.signed_at is not None and d.signed_by is not None
    ]
    return entries
