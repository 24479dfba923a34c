"""Participant notes and their blocks as document sections, read from the database."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from facilitator.documents.common import (
    AddendumSection,
    BlockContext,
    NoteField,
    NoteSection,
    SignatureLine,
)
from facilitator.documents.privacy import Member, redact_names
from facilitator.domain.attendance import AttendanceStatus, TimeSpan, minutes_attended
from facilitator.domain.notes import NoteStatus, NoteTemplate
from facilitator.domain.people import initials
from facilitator.services.note_templates import templates as note_templates
from facilitator.storage.models import (
    Addendum,
    Attendance,
    Block,
    BlockFacilitator,
    Clinician,
    GroupSession,
    Participant,
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
        item_id=addendum.id,
        content_hash=addendum.content_hash,
    )


def block_contexts(
    session: Session, participant_id: uuid.UUID, block_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, BlockContext]:
    """The blocks as a participant's documents show them: others by initials only."""
    blocks = session.scalars(
        select(Block)
        .where(Block.id.in_(block_ids))
        .options(
            selectinload(Block.session).selectinload(GroupSession.group),
            selectinload(Block.modality),
            selectinload(Block.topic),
            selectinload(Block.facilitators).selectinload(BlockFacilitator.clinician),
        )
    ).all()
    rows = session.execute(
        select(Attendance, Participant)
        .join(Participant, Attendance.participant_id == Participant.id)
        .where(Attendance.block_id.in_(block_ids))
    ).all()
    attendance: dict[uuid.UUID, list[tuple[Attendance, Participant]]] = {}
    for row, person in rows:
        attendance.setdefault(row.block_id, []).append((row, person))
    return {
        block.id: _block_context(block, participant_id, attendance.get(block.id, []))
        for block in blocks
    }


def _block_context(
    block: Block, participant_id: uuid.UUID, rows: Sequence[tuple[Attendance, Participant]]
) -> BlockContext:
    span = TimeSpan(
        block.actual_start or block.planned_start, block.actual_end or block.planned_end
    )
    own = next((a for a, p in rows if p.id == participant_id), None)
    others = [
        (a, p)
        for a, p in rows
        if p.id != participant_id
        and a.removed_reason is None
        and AttendanceStatus(a.status).attended
    ]
    members = {p.id: Member(p.legal_first, p.legal_last, p.preferred_name) for _, p in rows}
    reader = members.pop(participant_id, None)
    interventions = [*block.interventions]
    if block.other_interventions.strip():
        interventions.append(block.other_interventions.strip())
    return BlockContext(
        block_id=block.id,
        day=block.session.day,
        group=block.session.group.name,
        room=block.session.group.room,
        start=span.start,
        end=span.end,
        modality=block.modality.name,
        topic=block.topic.title if block.topic else (block.free_topic or ""),
        facilitators=", ".join(
            f"{f.clinician.display_name}, {f.clinician.credentials}".rstrip(", ")
            for f in block.facilitators
        ),
        interventions=redact_names(", ".join(interventions), members.values(), reader),
        group_note=redact_names(block.group_note, members.values(), reader),
        attendance=attendance_text(own),
        minutes=_minutes(own, span),
        co_participants=tuple(sorted(initials(p.legal_first, p.legal_last) for _, p in others)),
    )


def attendance_text(row: Attendance | None) -> str:
    if row is None:
        return "Attendance not taken"
    status = AttendanceStatus(row.status)
    parts = [status.label]
    if row.arrived:
        parts.append(f"arrived {_hm(row.arrived)}")
    if row.left:
        parts.append(f"left {_hm(row.left)}")
    if row.absence_reason:
        parts.append(row.absence_reason)
    if row.removed_reason:
        parts.append(f"removed from the block: {row.removed_reason}")
    return ", ".join(parts)


def _minutes(row: Attendance | None, span: TimeSpan) -> int:
    if row is None or row.removed_reason is not None:
        return 0
    return minutes_attended(AttendanceStatus(row.status), span, row.arrived, row.left)


def _hm(moment: time) -> str:
    return f"{moment:%H:%M}"
