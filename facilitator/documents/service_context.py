"""The service a participant's note belongs to (documents.common.BlockContext): built from the
records for a draft, kept as signed for a signed note.

`signed_context` is what sign_note stores in the note and its hash covers; `note_contexts` is
the one read both the documents and the review screen use: a signed note's context as signed,
a note signed before revision 0009 from the block as it is now with what its signature did not
cover, anything else from the records.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from facilitator.documents.common import BlockContext, SignerLine
from facilitator.documents.notes import local_time
from facilitator.documents.privacy import Member, redact_names
from facilitator.domain.attendance import (
    AttendanceStatus,
    TimeSpan,
    minutes_attended,
    mode_label,
)
from facilitator.domain.late_entry import block_ended_at, is_late_entry
from facilitator.domain.notes import NoteStatus
from facilitator.domain.people import initials
from facilitator.domain.signed_record import (
    ServiceLine,
    late_entry_text,
    service_lines,
    service_times,
)
from facilitator.services.clinic_profile import load_profile
from facilitator.storage.models import (
    Attendance,
    Block,
    BlockFacilitator,
    Clinician,
    Group,
    GroupSession,
    Participant,
    ParticipantNote,
    Setting,
    Signature,
)

SIGNED_SINCE_SETTING = "signed_record.since"
NOT_COVERED = (
    "the block's times, attendance, topic and group note shown here were not part of the signature"
)


def block_contexts(
    session: Session, participant_id: uuid.UUID, block_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, BlockContext]:
    """The blocks as they are now in the records, from the participant's side."""
    blocks = session.scalars(
        select(Block)
        .where(Block.id.in_(block_ids))
        .options(
            selectinload(Block.session)
            .selectinload(GroupSession.group)
            .selectinload(Group.program),
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
    profile = load_profile(session)
    return {
        block.id: _live(
            block, participant_id, attendance.get(block.id, []), profile.name, profile.npi
        )
        for block in blocks
    }


def note_contexts(
    session: Session,
    participant_id: uuid.UUID,
    block_ids: Sequence[uuid.UUID],
    notes: Iterable[ParticipantNote],
) -> dict[uuid.UUID, BlockContext]:
    """Each block's context for the participant's documents: as signed where a note of it was
    signed with its context; else as in the records (marked when a signature did not cover
    it). Keyed by block id."""
    contexts = block_contexts(session, participant_id, block_ids)
    since: str | None = None
    for note in notes:
        if not NoteStatus(note.status).locked or note.block_id not in contexts:
            continue
        if note.signed_context is not None:
            contexts[note.block_id] = context_from_json(note.signed_context)
            continue
        if since is None:
            since = _signed_since(session)
        live = contexts[note.block_id]
        contexts[note.block_id] = dataclasses.replace(
            live,
            coverage=f"Signed before {since}: {NOT_COVERED}." if since else f"{NOT_COVERED}.",
            late_entry=_legacy_late_entry(session, note, live),
        )
    return contexts


def signed_context(
    session: Session,
    note: ParticipantNote,
    signer: Clinician,
    signed_at: datetime,
    zone: str,
) -> dict[str, Any]:
    """The context a signature of `note` by `signer` at `signed_at` covers, as stored JSON."""
    live = block_contexts(session, note.participant_id, [note.block_id])[note.block_id]
    block = session.get(Block, note.block_id)
    assert block is not None  # the note's block
    ended = block_ended_at(live.day, live.end, zone)
    late = is_late_entry(ended, signed_at, block.session.group.program.late_entry_hours)
    context = dataclasses.replace(
        live,
        signer=SignerLine(
            signer.display_name, signer.credentials, signer.npi or "", signer.license_number or ""
        ),
        late_entry=late_entry_text(local_time(signed_at, zone), live.day) if late else "",
        as_signed=True,
    )
    return context_as_json(context)


def context_as_json(context: BlockContext) -> dict[str, Any]:
    """`context` as JSON values: ids and dates as text, times as 'HH:MM:SS'."""
    return {f.name: _plain(getattr(context, f.name)) for f in dataclasses.fields(context)}


def context_from_json(value: Mapping[str, Any]) -> BlockContext:
    """The BlockContext `context_as_json` wrote."""
    signer = value.get("signer")
    return BlockContext(
        **{
            **value,
            "block_id": uuid.UUID(value["block_id"]),
            "day": date.fromisoformat(value["day"]),
            **{
                key: _time(value[key])
                for key in ("start", "end", "planned_start", "planned_end", "arrived", "left")
            },
            "co_participants": tuple(value["co_participants"]),
            "services": tuple(
                ServiceLine(**{**s, "modifiers": tuple(s["modifiers"])}) for s in value["services"]
            ),
            "signer": SignerLine(**signer) if signer else None,
        }
    )


def _plain(value: object) -> Any:
    if isinstance(value, uuid.UUID | date | time):
        return str(value) if isinstance(value, uuid.UUID) else value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _live(
    block: Block,
    participant_id: uuid.UUID,
    rows: Sequence[tuple[Attendance, Participant]],
    clinic_name: str,
    clinic_npi: str,
) -> BlockContext:
    times = service_times(
        block.planned_start, block.planned_end, block.actual_start, block.actual_end
    )
    own = next((a for a, p in rows if p.id == participant_id), None)
    present = [
        (a, p) for a, p in rows if a.removed_reason is None and AttendanceStatus(a.status).attended
    ]
    members = {p.id: Member(p.legal_first, p.legal_last, p.preferred_name) for _, p in rows}
    reader = members.pop(participant_id, None)
    interventions = [*block.interventions]
    if block.other_interventions.strip():
        interventions.append(block.other_interventions.strip())
    group = block.session.group
    program = group.program
    minutes = _minutes(own, times.span)
    mode = own.mode if own is not None else "in_person"
    return BlockContext(
        block_id=block.id,
        day=block.session.day,
        program=program.name,
        level_of_care=program.level_of_care,
        group=group.name,
        room=block.room or group.room,
        start=times.start,
        end=times.end,
        times_basis=times.basis,
        planned_start=block.planned_start,
        planned_end=block.planned_end,
        modality=block.modality.name,
        topic=block.topic.title if block.topic else (block.free_topic or ""),
        facilitators=", ".join(
            f"{f.clinician.display_name}, {f.clinician.credentials}".rstrip(", ")
            for f in block.facilitators
        ),
        interventions=redact_names(", ".join(interventions), members.values(), reader),
        group_note=redact_names(block.group_note, members.values(), reader),
        attendance=attendance_text(own),
        mode=mode_label(mode),
        arrived=own.arrived if own else None,
        left=own.left if own else None,
        minutes=minutes,
        present_total=len(present),
        capacity=group.capacity,
        co_participants=tuple(
            sorted(
                initials(p.legal_first, p.legal_last) for _, p in present if p.id != participant_id
            )
        ),
        services=service_lines(
            program.service_codes, block.modality.code, mode, minutes, program.name
        )
        if own is not None and own.removed_reason is None
        else (),
        clinic_name=clinic_name,
        clinic_npi=clinic_npi,
        signer=None,
        late_entry="",
        coverage="",
        as_signed=False,
    )


def attendance_text(row: Attendance | None) -> str:
    if row is None:
        return "Attendance not taken"
    status = AttendanceStatus(row.status)
    parts = [status.label]
    if row.arrived:
        parts.append(f"arrived {row.arrived:%H:%M}")
    if row.left:
        parts.append(f"left {row.left:%H:%M}")
    if row.absence_reason:
        parts.append(row.absence_reason)
    if row.removed_reason:
        parts.append(f"removed from the block: {row.removed_reason}")
    return ", ".join(parts)


def _minutes(row: Attendance | None, span: TimeSpan) -> int:
    if row is None or row.removed_reason is not None:
        return 0
    return minutes_attended(AttendanceStatus(row.status), span, row.arrived, row.left)


def _signed_since(session: Session) -> str:
    setting = session.get(Setting, SIGNED_SINCE_SETTING)
    found = setting.value.get("date") if setting is not None else None
    return found if isinstance(found, str) else ""


def _legacy_late_entry(session: Session, note: ParticipantNote, live: BlockContext) -> str:
    """A note signed before 0009: late by its author's signature and the program's limit now."""
    first = session.scalar(
        select(Signature)
        .where(Signature.note_id == note.id, Signature.role == "author")
        .order_by(Signature.signed_at)
        .limit(1)
    )
    if first is None:
        return ""
    block = session.get(Block, note.block_id)
    assert block is not None
    limit = block.session.group.program.late_entry_hours
    at = local_time(first.signed_at, first.time_zone)
    if not is_late_entry(block_ended_at(live.day, live.end, first.time_zone), at, limit):
        return ""
    return late_entry_text(at, live.day)
