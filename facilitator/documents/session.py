"""The group's day: the session record (the program's own file) and the sign-in sheet.

Both are the program's documents, not a participant's: they show full names (the sign-in sheet
in the clinic's chosen name style, since it lies open in the room).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from facilitator.documents.common import (
    DocumentKind,
    DocumentNotFoundError,
    Provenance,
    SignatureLine,
    SignedItem,
)
from facilitator.documents.notes import addendum_signature, signature_line
from facilitator.documents.provenance import provenance
from facilitator.domain.attendance import AttendanceMode, is_billable_day
from facilitator.domain.errors import DomainError
from facilitator.domain.people import NameStyle, sign_in_name
from facilitator.services.session_sheet import (
    BlockSheet,
    RosterEntry,
    SessionSheet,
    load_session_sheet,
)
from facilitator.services.sign_in_settings import load_name_style
from facilitator.storage.models import (
    Addendum,
    Block,
    BlockFacilitator,
    Clinician,
    Group,
    GroupSession,
    Participant,
    ParticipantNote,
    Signature,
)


@dataclass(frozen=True)
class AttendanceLine:
    name: str
    chart_number: str
    attendance: str  # status, with arrival, departure and reasons
    arrived: time | None
    left: time | None
    minutes: int
    note: str  # "Signed", "Draft", "No note due" ...
    signatures: tuple[SignatureLine, ...]


@dataclass(frozen=True)
class SessionBlock:
    sequence: int
    modality: str
    topic: str
    planned_start: time
    planned_end: time
    actual_start: time | None
    actual_end: time | None
    facilitators: str
    interventions: str
    group_note: str
    attendance: tuple[AttendanceLine, ...]
    other_room: str | None = None  # the block's room when not the session's (a moved block)

    @property
    def present(self) -> int:
        return sum(1 for line in self.attendance if line.minutes > 0)


@dataclass(frozen=True)
class DayTotal:
    name: str
    chart_number: str
    minutes: int
    under_minimum: bool


@dataclass(frozen=True)
class FacilitatorLine:
    name: str
    credentials: str
    blocks: str  # "1, 2, 3"
    notes_signed: int  # notes of the day this clinician signed (as author or co-signer)


@dataclass(frozen=True)
class SessionRecordDocument:
    provenance: Provenance
    group: str
    room: str
    day: date
    template: str
    daily_minimum_minutes: int
    capacity: int | None  # the group's cap: a block with more present says so
    blocks: tuple[SessionBlock, ...]
    day_totals: tuple[DayTotal, ...]
    facilitators: tuple[FacilitatorLine, ...]
    signed_notes: tuple[SignedItem, ...]  # the signed notes and addenda whose signatures it lists

    def signed_items(self) -> list[SignedItem]:
        return list(self.signed_notes)


ATTESTATION = "I attest that the participants above attended as recorded."


@dataclass(frozen=True)
class SignInSheetDocument:
    provenance: Provenance
    group: str
    room: str
    day: date
    blocks: tuple[str, ...]  # "09:00–10:00 Cognitive Behavioral Therapy"
    names: tuple[str, ...]
    blank_rows: int  # for drop-ins and new admissions
    name_style: NameStyle
    attestation: str = ATTESTATION  # signed by the staff member who kept the sheet

    def signed_items(self) -> list[SignedItem]:
        return []


def find_groups(session: Session, group: str) -> list[Group]:
    """The groups named `group` (or the one whose id it is); DocumentNotFoundError if none."""
    groups = list(session.scalars(select(Group).where(Group.name == group)))
    if not groups:
        try:
            found = session.get(Group, uuid.UUID(group))
        except ValueError:
            found = None
        groups = [found] if found else []
    if not groups:
        names = ", ".join(sorted(session.scalars(select(Group.name)))) or "none"
        raise DocumentNotFoundError(f'There is no group "{group}". Groups: {names}.')
    return groups


def find_session(session: Session, group: str, day: date) -> uuid.UUID | None:
    """The id of the session of the group named (or with the id) `group` on `day`, if made."""
    groups = find_groups(session, group)
    return session.scalar(
        select(GroupSession.id).where(
            GroupSession.group_id.in_([g.id for g in groups]), GroupSession.day == day
        )
    )


def load_session_record(
    session: Session, session_id: uuid.UUID, now: datetime
) -> SessionRecordDocument:
    group_session, sheet = _session(session, session_id)
    program = group_session.group.program
    notes = _note_signatures(session, [b.block_id for b in sheet.blocks])
    blocks = tuple(_session_block(block, notes, sheet.room) for block in sheet.blocks)
    day_minutes: defaultdict[tuple[str, str], int] = defaultdict(int)
    for block in sheet.blocks:
        for entry in block.roster:
            minutes = entry.attendance.minutes if entry.attendance and not entry.removed else 0
            day_minutes[(entry.record_name, entry.chart_number)] += minutes
    signed = [  # each note once (its author's line), and each signed addendum
        SignedItem(
            "addendum" if line.role == "addendum" else "note", line.item_id, line.content_hash
        )
        for signatures in notes.values()
        for line in signatures
        if line.role in ("author", "addendum")
    ]
    return SessionRecordDocument(
        provenance=provenance(session, DocumentKind.SESSION_RECORD, program.name, now),
        group=sheet.group,
        room=sheet.room,
        day=sheet.day,
        template=f"{sheet.template.code}: {sheet.template.name}",
        daily_minimum_minutes=program.daily_minimum_minutes,
        capacity=group_session.group.capacity,
        blocks=blocks,
        day_totals=tuple(
            DayTotal(
                name,
                chart,
                minutes,
                not is_billable_day(minutes, program.daily_minimum_minutes),
            )
            for (name, chart), minutes in sorted(day_minutes.items())
        ),
        facilitators=_facilitators(session, session_id, notes),
        signed_notes=tuple(signed),
    )


def load_sign_in_sheet(
    session: Session, session_id: uuid.UUID, now: datetime
) -> SignInSheetDocument:
    """Everyone expected in the group that day (enrolled, or already added to a block)."""
    group_session, sheet = _session(session, session_id)
    style = load_name_style(session)
    expected = {e.participant_id for block in sheet.blocks for e in block.roster if not e.removed}
    people = sorted(
        session.scalars(select(Participant).where(Participant.id.in_(expected))),
        key=lambda p: (p.legal_last.casefold(), p.legal_first.casefold(), p.chart_number),
    )
    return SignInSheetDocument(
        provenance=provenance(
            session, DocumentKind.SIGN_IN_SHEET, group_session.group.program.name, now
        ),
        group=sheet.group,
        room=sheet.room,
        day=sheet.day,
        blocks=tuple(f"{b.planned.text} {b.modality}" for b in sheet.blocks),
        names=tuple(
            sign_in_name(p.legal_first, p.legal_last, p.preferred_name, style) for p in people
        ),
        blank_rows=4,
        name_style=style,
    )


def _session(session: Session, session_id: uuid.UUID) -> tuple[GroupSession, SessionSheet]:
    group_session = session.get(
        GroupSession,
        session_id,
        options=[selectinload(GroupSession.group).selectinload(Group.program)],
    )
    if group_session is None:
        raise DocumentNotFoundError("That session no longer exists.")
    try:
        sheet = load_session_sheet(session, session_id)
    except DomainError as error:
        raise DocumentNotFoundError(str(error)) from error
    return group_session, sheet


def _note_signatures(
    session: Session, block_ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[SignatureLine, ...]]:
    """Each note of the blocks that has been signed: its signatures, oldest first, then the
    signatures of its signed addenda (role "addendum"), in the order they were written."""
    signed_notes = (
        select(ParticipantNote.id)
        .where(ParticipantNote.block_id.in_(block_ids), ParticipantNote.status != "draft")
        .scalar_subquery()
    )
    found: defaultdict[uuid.UUID, list[SignatureLine]] = defaultdict(list)
    for s in session.scalars(
        select(Signature).where(Signature.note_id.in_(signed_notes)).order_by(Signature.signed_at)
    ):
        found[s.note_id].append(signature_line(s))
    addenda = session.execute(
        select(Addendum, Clinician)
        .join(Clinician, Clinician.id == Addendum.author_id)
        .where(Addendum.note_id.in_(signed_notes))
        .order_by(Addendum.created_at)
    )
    for addendum, author in addenda:
        lines = found[addendum.note_id]
        line = addendum_signature(addendum, author, lines[0].time_zone if lines else "UTC")
        if line is not None:
            lines.append(line)
    return {note_id: tuple(lines) for note_id, lines in found.items()}


def _session_block(
    block: BlockSheet, notes: dict[uuid.UUID, tuple[SignatureLine, ...]], room: str
) -> SessionBlock:
    interventions = [*block.interventions]
    if block.other_interventions.strip():
        interventions.append(block.other_interventions.strip())
    return SessionBlock(
        sequence=block.sequence,
        modality=block.modality,
        topic=block.topic,
        planned_start=block.planned.start,
        planned_end=block.planned.end,
        actual_start=block.actual_start,
        actual_end=block.actual_end,
        facilitators=block.facilitators,
        interventions=", ".join(interventions),
        group_note=block.group_note,
        attendance=tuple(_attendance_line(e, notes) for e in block.roster),
        other_room=block.room if block.room and block.room != room else None,
    )


def _attendance_line(
    entry: RosterEntry, notes: dict[uuid.UUID, tuple[SignatureLine, ...]]
) -> AttendanceLine:
    row = entry.attendance
    if row is None:
        text, minutes = "Not taken", 0
    else:
        parts = [row.status.label]
        if row.status.attended and row.mode is not AttendanceMode.IN_PERSON:
            parts.append(f"by {row.mode.label.lower()}")
        parts += [r for r in (row.absence_reason, row.added_reason) if r]
        if row.removed_reason:
            parts.append(f"removed: {row.removed_reason}")
        text, minutes = ", ".join(parts), 0 if entry.removed else row.minutes
    signatures: tuple[SignatureLine, ...] = ()
    if entry.note is not None:
        note = entry.note.status.label
        signatures = notes.get(entry.note.note_id, ())
    else:
        note = "Note due" if entry.progress is not None else "No note due"
    return AttendanceLine(
        name=entry.record_name,
        chart_number=entry.chart_number,
        attendance=text,
        arrived=row.arrived if row else None,
        left=row.left if row else None,
        minutes=minutes,
        note=note,
        signatures=signatures,
    )


def _facilitators(
    session: Session,
    session_id: uuid.UUID,
    notes: dict[uuid.UUID, tuple[SignatureLine, ...]],
) -> tuple[FacilitatorLine, ...]:
    rows = session.execute(
        select(Block.sequence, BlockFacilitator)
        .join(BlockFacilitator, BlockFacilitator.block_id == Block.id)
        .where(Block.session_id == session_id)
        .order_by(Block.sequence)
        .options(selectinload(BlockFacilitator.clinician))
    ).all()
    blocks: defaultdict[uuid.UUID, list[int]] = defaultdict(list)
    clinicians = {}
    for sequence, facilitator in rows:
        blocks[facilitator.clinician_id].append(sequence)
        clinicians[facilitator.clinician_id] = facilitator.clinician
    signed: defaultdict[str, int] = defaultdict(int)
    for signatures in notes.values():
        for line in signatures:
            if line.role != "addendum":
                signed[line.printed_name] += 1
    return tuple(
        FacilitatorLine(
            name=clinician.display_name,
            credentials=clinician.credentials,
            blocks=", ".join(str(n) for n in blocks[clinician_id]),
            notes_signed=signed.get(clinician.display_name, 0),
        )
        for clinician_id, clinician in clinicians.items()
    )
