"""What the review screen and the co-sign queue show: notes, their state, and their record."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from facilitator import content
from facilitator.documents.common import BlockContext
from facilitator.documents.privacy import Member, members_named
from facilitator.documents.service_context import note_contexts
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError
from facilitator.domain.late_entry import block_ended_at, is_late_entry
from facilitator.domain.notes import NoteStatus, NoteTemplate, risk_raised
from facilitator.domain.people import display_name
from facilitator.domain.users import SignedInUser
from facilitator.services.clinic_profile import load_profile
from facilitator.services.note_templates import template_code_for_group
from facilitator.services.note_templates import templates as note_templates
from facilitator.storage.models import (
    Attendance,
    Block,
    BlockFacilitator,
    Clinician,
    GroupSession,
    Participant,
    ParticipantNote,
    TreatmentGoal,
)

SUMMARY_LENGTH = 110
ATTENDED = [s.value for s in AttendanceStatus if s.attended]


@dataclass(frozen=True)
class ReviewRow:
    """One note due in a block: where it stands and whether this user can sign it now."""

    note_id: uuid.UUID | None  # None: not started
    block_id: uuid.UUID
    session_id: uuid.UUID
    day: date
    start: time
    end: time
    group: str
    modality: str
    participant: str
    chart_number: str
    summary: str
    status: NoteStatus | None
    missing: tuple[str, ...]  # labels of empty required fields
    author: str
    ready: bool  # complete, unsigned, and this user may sign it
    reason: str  # why it is not ready ("" when it is)
    risk: bool
    late_entry: str  # signed late ("Late entry — signed ..."), or late if signed now; or ""

    @property
    def ready_id(self) -> uuid.UUID | None:
        """The note's id when it can be signed now, else None."""
        return self.note_id if self.ready else None


@dataclass(frozen=True)
class CosignRow:
    """A note in a supervisor's queue: awaiting co-signature, or returned to its author."""

    note_id: uuid.UUID
    day: date
    start: time
    group: str
    modality: str
    participant: str
    chart_number: str
    author: str
    status: NoteStatus
    signed_at: datetime | None  # the author's signature, aware UTC
    summary: str
    comment: str  # the latest return comment
    addenda: int
    risk: bool


@dataclass(frozen=True)
class SignatureLine:
    printed_name: str
    credentials: str
    role: str
    meaning: str
    signed_at: datetime
    time_zone: str
    utc_offset: str
    attestation: str
    content_hash: str
    npi: str = ""  # as signed (revision 0009 on)
    license_number: str = ""

    @property
    def identifiers(self) -> str:
        """'NPI 1234567890 · License LC-123', or '' when none was recorded."""
        parts = [f"NPI {self.npi}"] if self.npi else []
        parts += [f"License {self.license_number}"] if self.license_number else []
        return " · ".join(parts)

    @property
    def when(self) -> str:
        """'2026-11-23 14:05 America/New_York (UTC-05:00)'."""
        local = self.signed_at.astimezone(ZoneInfo(self.time_zone))
        return f"{local:%Y-%m-%d %H:%M} {self.time_zone} (UTC{self.utc_offset})"


@dataclass(frozen=True)
class AddendumLine:
    text: str
    signature: SignatureLine


@dataclass(frozen=True)
class ReviewStep:
    action: str  # returned, resubmitted
    by: str
    at: datetime
    comment: str


@dataclass(frozen=True)
class NoteRecord:
    """A note as the record holds it: content, then signatures, addenda and review steps."""

    note_id: uuid.UUID
    participant: str
    chart_number: str
    context: BlockContext  # the service, as signed once signed: as the documents show it
    template: str
    fields: tuple[tuple[str, str], ...]  # (label, text) in template order
    mood: str
    affect: str
    participation: str
    goals: tuple[tuple[str, str], ...]  # (goal, progress)
    risk: tuple[str, ...]
    status: NoteStatus
    content_hash: str | None
    signatures: tuple[SignatureLine, ...]
    addenda: tuple[AddendumLine, ...]  # oldest first, after the original
    reviews: tuple[ReviewStep, ...]

    @property
    def day(self) -> date:
        return self.context.day

    @property
    def start(self) -> time:
        return self.context.start

    @property
    def end(self) -> time:
        return self.context.end

    @property
    def modality(self) -> str:
        return self.context.modality

    @property
    def topic(self) -> str:
        return self.context.topic


def facilitates(session: Session, clinician_id: uuid.UUID, block_id: uuid.UUID) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    BlockFacilitator.block_id == block_id,
                    BlockFacilitator.clinician_id == clinician_id,
                )
            )
        )
    )


def review_rows(
    session: Session, user: SignedInUser, day: date, now: datetime | None = None
) -> list[ReviewRow]:
    """Notes due on `day` in the blocks the user facilitates or wrote a note in; `now`
    (aware) tells which unsigned notes would be late entries if signed now."""
    zone = load_profile(session).time_zone
    led = select(BlockFacilitator.block_id).where(BlockFacilitator.clinician_id == user.id)
    wrote = select(ParticipantNote.block_id).where(ParticipantNote.author_id == user.id)
    blocks = session.scalars(
        select(Block)
        .join(GroupSession)
        .where(GroupSession.day == day, or_(Block.id.in_(led), Block.id.in_(wrote)))
        .options(
            selectinload(Block.session).selectinload(GroupSession.group),
            selectinload(Block.modality),
            selectinload(Block.facilitators),
        )
    ).all()
    by_id = {b.id: b for b in blocks}
    attended = session.execute(
        select(Attendance.block_id, Participant)
        .join(Participant, Attendance.participant_id == Participant.id)
        .where(
            Attendance.block_id.in_(by_id),
            Attendance.status.in_(ATTENDED),
            Attendance.removed_reason.is_(None),
        )
    ).all()
    notes = {
        (n.block_id, n.participant_id): n
        for n in session.scalars(select(ParticipantNote).where(ParticipantNote.block_id.in_(by_id)))
    }
    authors = _clinician_names(session)
    templates = note_templates(session)
    members: dict[uuid.UUID, dict[uuid.UUID, Member]] = {}
    for block_id, participant in attended:
        members.setdefault(block_id, {})[participant.id] = _member(participant)
    rows = []
    for block_id, participant in attended:
        block = by_id[block_id]
        note = notes.get((block_id, participant.id))
        others = [m for pid, m in members[block_id].items() if pid != participant.id]
        row = _review_row(block, participant, note, user, authors, others, templates)
        rows.append(dataclasses.replace(row, late_entry=_late(block, note, now, zone)))
    rows.sort(key=lambda r: (r.start, r.group, r.participant))
    return rows


def _review_row(
    block: Block,
    participant: Participant,
    note: ParticipantNote | None,
    user: SignedInUser,
    authors: dict[uuid.UUID, str],
    others: list[Member],
    templates: Mapping[str, NoteTemplate],
) -> ReviewRow:
    template = templates[note.template if note else template_code_for_group(block.session.group)]
    fields = dict(note.fields) if note else {}
    missing = tuple(f.label for f in template.missing_required(fields))
    written = "\n".join(v for v in fields.values() if isinstance(v, str))
    named = members_named(written, others, _member(participant))
    status = NoteStatus(note.status) if note else None
    author_id = note.author_id if note else None
    leads = {f.clinician_id for f in block.facilitators}
    may_sign = author_id == user.id or (author_id is None and user.id in leads)
    if status is None:
        reason = "Not started"
    elif status.locked:
        reason = status.label
    elif not may_sign:
        reason = f"Written by {authors.get(author_id, 'another clinician') if author_id else '?'}"
    elif missing:
        reason = "Missing: " + ", ".join(missing)
    elif named:
        reason = f"Names {', '.join(named)}: other members go by initials"
    else:
        reason = ""
    return ReviewRow(
        note_id=note.id if note else None,
        block_id=block.id,
        session_id=block.session_id,
        day=block.session.day,
        start=block.actual_start or block.planned_start,
        end=block.actual_end or block.planned_end,
        group=block.session.group.name,
        modality=block.modality.name,
        participant=_name(participant),
        chart_number=participant.chart_number,
        summary=summary(template, fields),
        status=status,
        missing=missing,
        author=authors.get(author_id, "") if author_id else "",
        ready=status is NoteStatus.DRAFT and may_sign and not missing,
        reason=reason,
        risk=bool(note and risk_raised(note.risk_flags)),
        late_entry="",
    )


def _late(block: Block, note: ParticipantNote | None, now: datetime | None, zone: str) -> str:
    """The signed note's late-entry mark; for one not signed yet, whether signing it `now`
    would make it a late entry (the program's limit after the block's end)."""
    if note is not None and NoteStatus(note.status).locked:
        signed = note.signed_context or {}
        return str(signed.get("late_entry") or "")
    end = block.actual_end or block.planned_end
    limit = block.session.group.program.late_entry_hours
    if now is None or not is_late_entry(block_ended_at(block.session.day, end, zone), now, limit):
        return ""
    return f"Late entry if signed now (service {block.session.day:%Y-%m-%d})"


def summary(template: NoteTemplate, fields: dict[str, str]) -> str:
    """The note's fields run together on one line, cut to a glance."""
    text = " · ".join(
        " ".join(fields[f.key].split()) for f in template.fields if fields.get(f.key, "").strip()
    )
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"


def cosign_queue(session: Session, user: SignedInUser) -> list[CosignRow]:
    """Notes awaiting this supervisor's co-signature, and those they returned to the author."""
    if not user.can_cosign:
        return []
    notes = session.scalars(
        select(ParticipantNote)
        .join(Clinician, ParticipantNote.author_id == Clinician.id)
        .where(
            ParticipantNote.status.in_(
                [NoteStatus.AWAITING_COSIGN.value, NoteStatus.RETURNED.value]
            ),
            ParticipantNote.author_id != user.id,
            or_(Clinician.supervisor_id == user.id, Clinician.supervisor_id.is_(None)),
        )
        .options(
            selectinload(ParticipantNote.block).options(
                selectinload(Block.session).selectinload(GroupSession.group),
                selectinload(Block.modality),
            ),
            selectinload(ParticipantNote.participant),
            selectinload(ParticipantNote.signatures),
            selectinload(ParticipantNote.addenda),
            selectinload(ParticipantNote.reviews),
        )
    ).all()
    authors = _clinician_names(session)
    templates = note_templates(session)
    rows = []
    for note in notes:
        block = note.block
        author_signature = next((s for s in note.signatures if s.role == "author"), None)
        returns = [r for r in note.reviews if r.action == "returned"]
        rows.append(
            CosignRow(
                note_id=note.id,
                day=block.session.day,
                start=block.actual_start or block.planned_start,
                group=block.session.group.name,
                modality=block.modality.name,
                participant=_name(note.participant),
                chart_number=note.participant.chart_number,
                author=authors.get(note.author_id, "") if note.author_id else "",
                status=NoteStatus(note.status),
                signed_at=author_signature.signed_at if author_signature else None,
                summary=summary(templates[note.template], dict(note.fields)),
                comment=returns[-1].comment if returns else "",
                addenda=len(note.addenda),
                risk=risk_raised(note.risk_flags),
            )
        )
    rows.sort(key=lambda r: (r.status is NoteStatus.RETURNED, r.day, r.start, r.participant))
    return rows


def load_note_record(session: Session, note_id: uuid.UUID) -> NoteRecord:
    note = session.get(
        ParticipantNote,
        note_id,
        options=[
            selectinload(ParticipantNote.block).options(
                selectinload(Block.session), selectinload(Block.modality), selectinload(Block.topic)
            ),
            selectinload(ParticipantNote.participant),
            selectinload(ParticipantNote.signatures),
            selectinload(ParticipantNote.addenda),
            selectinload(ParticipantNote.reviews),
        ],
    )
    if note is None:
        raise DomainError("That note is no longer in the records.")
    template = note_templates(session)[note.template]
    block = note.block
    goal_texts = {
        str(g.id): g.text
        for g in session.scalars(
            select(TreatmentGoal).where(TreatmentGoal.participant_id == note.participant_id)
        )
    }
    names = _clinician_names(session)
    flags = note.risk_flags
    risk = [label for key, label in _RISK_LABELS.items() if flags.get(key)]
    if isinstance(flags.get("craving"), int):
        risk.append(f"Craving {flags['craving']}/10")
    return NoteRecord(
        note_id=note.id,
        participant=_name(note.participant),
        chart_number=note.participant.chart_number,
        context=note_contexts(session, note.participant_id, [block.id], [note])[block.id],
        template=f"{template.code} ({template.name})",
        fields=tuple((f.label, note.fields.get(f.key, "")) for f in template.fields),
        mood=note.mood or "",
        affect=note.affect or "",
        participation=note.participation or "",
        goals=tuple(
            (
                goal_texts.get(str(g.get("goal_id")), "(goal no longer listed)"),
                g.get("progress", ""),
            )
            for g in note.goals_addressed
        ),
        risk=tuple(risk),
        status=NoteStatus(note.status),
        content_hash=note.content_hash,
        signatures=tuple(
            SignatureLine(
                s.printed_name,
                s.credentials,
                s.role,
                s.meaning,
                s.signed_at,
                s.time_zone,
                s.utc_offset,
                s.attestation,
                s.content_hash,
                s.npi or "",
                s.license_number or "",
            )
            for s in note.signatures
        ),
        addenda=tuple(
            AddendumLine(
                a.text,
                SignatureLine(
                    a.printed_name or "",
                    a.credentials or "",
                    "addendum",
                    content.signature_texts()["addendum"].meaning,
                    a.signed_at or a.created_at,
                    a.time_zone or "UTC",
                    a.utc_offset or "+00:00",
                    a.attestation or "",
                    a.content_hash or "",
                    a.npi or "",
                    a.license_number or "",
                ),
            )
            for a in note.addenda
        ),
        reviews=tuple(
            ReviewStep(r.action, names.get(r.clinician_id, ""), r.created_at, r.comment)
            for r in note.reviews
        ),
    )


_RISK_LABELS = {
    "suicidal_ideation": "Suicidal ideation",
    "homicidal_ideation": "Homicidal ideation",
    "use_since_last_session": "Use since last session",
}


def _clinician_names(session: Session) -> dict[uuid.UUID, str]:
    """'Sam Okafor, LAC' by clinician id (a clinic has a handful)."""
    return {
        c.id: f"{c.display_name}, {c.credentials}" if c.credentials else c.display_name
        for c in session.scalars(select(Clinician))
    }


def _member(participant: Participant) -> Member:
    return Member(participant.legal_first, participant.legal_last, participant.preferred_name)


def _name(participant: Participant) -> str:
    return display_name(participant.legal_first, participant.legal_last, participant.preferred_name)
