"""A participant's history of changes: each field of their details or goals changed, what it
was and is now, why, who and when (ParticipantChange rows). Written by every path that changes
them: Edit details, Edit goals, the recovery start date, a roster import's update."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.storage.models import Clinician, ParticipantChange

FIELD_LABELS = {
    "chart_number": "Chart number",
    "first_name": "Legal first name",
    "last_name": "Legal last name",
    "preferred_name": "Preferred name",
    "pronouns": "Pronouns",
    "date_of_birth": "Date of birth",
    "recovery_start": "Recovery start",
    "goal": "Treatment goal",
    "goal_order": "Order of the goals",
}


@dataclass(frozen=True)
class ChangeRow:
    """One field's change as the History table shows it."""

    field: str  # a FIELD_LABELS key
    label: str
    was: str
    now: str
    reason: str
    by: str
    at: datetime  # naive UTC, as stored


def record_change(
    session: Session,
    participant_id: uuid.UUID,
    field: str,
    was: object,
    now: object,
    reason: str,
    actor: uuid.UUID | None,
) -> None:
    """One history row: the field (a FIELD_LABELS key), its old and new value, why, who."""
    session.add(
        ParticipantChange(
            participant_id=participant_id,
            field=field,
            was=_shown(was),
            now=_shown(now),
            reason=reason,
            changed_by=actor,
        )
    )


def changes_of(session: Session, participant_id: uuid.UUID) -> list[ChangeRow]:
    """The participant's changes, the latest first."""
    rows = session.execute(
        select(ParticipantChange, Clinician.display_name)
        .outerjoin(Clinician, ParticipantChange.changed_by == Clinician.id)
        .where(ParticipantChange.participant_id == participant_id)
        .order_by(ParticipantChange.changed_at.desc(), ParticipantChange.field)
    )
    return [
        ChangeRow(
            c.field,
            FIELD_LABELS.get(c.field, c.field),
            c.was or "",
            c.now or "",
            c.reason,
            by or "",
            c.changed_at,
        )
        for c, by in rows
    ]


def _shown(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, date) else str(value)
