"""Participant notes and their blocks as document sections, read from the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from facilitator.documents.common import (
    AddendumSection,
    NoteField,
    NoteSection,
    SignatureLine,
)
from facilitator.domain.notes import NoteStatus, NoteTemplate
from facilitator.services.note_templates import templates as note_templates
from facilitator.storage.models import (
    Addendum,
    Clinician,
    ParticipantNote,
    Signature,
    TreatmentGoal,
)

RISK_LABELS = {
    "suicidal_ideation": "Suicidal ideation",
    "homicidal_ideation": "Homicidal ideation",
    "use_since_last_session": "Use since the last session",
}
ADDENDUM_MEANING = "Author of this addendum"


def note_sections(
    session: Session, notes: Sequence[ParticipantNote], goals: Mapping[str, str]
) -> dict[uuid.UUID, NoteSection]:
    """Each note as a section, keyed by block id; `goals` maps goal ids to their text."""
    note_ids = [n.id for n in notes]
    addenda: dict[uuid.UUID, list[Addendum]] = {}
    for addendum in session.scalars(
        select(Addendum).where(Addendum.note_id.in_(note_ids)).order_by(Addendum.created_at)
    ):
        addenda.setdefault(addendum.note_id, []).append(addendum)
    authors = {
        c.id: c
        for c in session.scalars(
            select(Clinician).where(
                Clinician.id.in_({a.author_id for found in addenda.values() for a in found})
            )
        )
    }
    templates = note_templates(session)
    return {
        note.block_id: _note_section(note, goals, addenda.get(note.id, []), authors, templates)
        for note in notes
    }


def load_notes(session: Session, where: object) -> list[ParticipantNote]:
    """Notes matching `where`, with their signatures loaded."""
    return list(
        session.scalars(
            select(ParticipantNote)
            .where(where)  # type: ignore[arg-type]
            .options(selectinload(ParticipantNote.signatures))
        )
    )


def goal_texts(session: Session, participant_id: uuid.UUID) -> dict[str, str]:
    return {
        str(g.id): g.text
        for g in session.scalars(
            select(TreatmentGoal).where(TreatmentGoal.participant_id == participant_id)
        )
    }


def _note_section(
    note: ParticipantNote,
    goals: Mapping[str, str],
    addenda: Iterable[Addendum],
    authors: Mapping[uuid.UUID, Clinician],
    templates: Mapping[str, NoteTemplate],
) -> NoteSection:
    status = NoteStatus(note.status)
    template = templates.get(note.template)
    values = {k: str(v) for k, v in note.fields.items() if v is not None}
    fields = []
    if template is not None:
        for field in template.fields:
            text = values.pop(field.key, "")
            if text.strip() or field.required:
                fields.append(NoteField(field.label, text.strip() or "(not written)"))
    fields += [NoteField(key, text) for key, text in values.items() if text.strip()]
    signatures = tuple(signature_line(s) for s in note.signatures) if status.locked else ()
    zone = signatures[0].time_zone if signatures else "UTC"
    return NoteSection(
        note_id=note.id,
        status=status,
        template=f"{template.code}: {template.name}" if template else note.template,
        fields=tuple(fields),
        observations=tuple(
            NoteField(label, value)
            for label, value in (
                ("Mood", note.mood),
                ("Affect", note.affect),
                ("Participation", note.participation),
            )
            if value
        ),
        goals=tuple(
            NoteField(goals.get(str(g.get("goal_id")), "A goal no longer in the plan"), progress)
            for g in note.goals_addressed
            if isinstance(g, dict) and (progress := str(g.get("progress") or ""))
        ),
        risk=_risk(note.risk_flags),
        content_hash=note.content_hash,
        signatures=signatures,
        addenda=tuple(_addendum(a, authors.get(a.author_id), zone) for a in addenda),
    )


def _risk(flags: Mapping[str, object]) -> tuple[str, ...]:
    lines = [f"{label}: {'yes' if flags.get(key) else 'no'}" for key, label in RISK_LABELS.items()]
    craving = flags.get("craving")
    lines.append(f"Craving: {craving} of 10" if isinstance(craving, int) else "Craving: not rated")
    return tuple(lines)


def local_time(instant: datetime, zone: str) -> datetime:
    """`instant` in the IANA zone `zone` (UTC when the zone is unknown to this computer)."""
    aware = instant if instant.tzinfo else instant.replace(tzinfo=UTC)
    try:
        return aware.astimezone(ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        return aware.astimezone(UTC)


def signature_line(signature: Signature) -> SignatureLine:
    """A note's signature as documents show it, at the signer's local time."""
    return SignatureLine(
        role=signature.role,
        meaning=signature.meaning,
        printed_name=signature.printed_name,
        credentials=signature.credentials,
        signed_at=local_time(signature.signed_at, signature.time_zone),
        npi=signature.npi or "",
        license_number=signature.license_number or "",
        time_zone=signature.time_zone,
        item_id=signature.note_id,
        content_hash=signature.content_hash,
    )


def _addendum(addendum: Addendum, author: Clinician | None, note_zone: str) -> AddendumSection:
    """An addendum with its own signature (None while unsigned)."""
    return AddendumSection(
        addendum_id=addendum.id,
        text=addendum.text,
        written_at=local_time(addendum.created_at, addendum.time_zone or note_zone),
        signature=addendum_signature(addendum, author, note_zone),
    )


def addendum_signature(
    addendum: Addendum, author: Clinician | None, note_zone: str
) -> SignatureLine | None:
    """A signed addendum's signature: the printed name, credentials and time zone it was
    signed with (older rows without them: the author's current name, the note's zone)."""
    if addendum.signed_at is None or not addendum.content_hash:
        return None
    zone = addendum.time_zone or note_zone
    return SignatureLine(
        role="addendum",
        meaning=ADDENDUM_MEANING,
        printed_name=addendum.printed_name
        or (author.display_name if author else "(unknown clinician)"),
        credentials=addendum.credentials
        if addendum.credentials is not None
        else (author.credentials if author else ""),
        signed_at=local_time(addendum.signed_at, zone),
        time_zone=zone,
        npi=addendum.npi or "",
        license_number=addendum.license_number or "",
        item_id=addendum.id,
        content_hash=addendum.content_hash,
    )
