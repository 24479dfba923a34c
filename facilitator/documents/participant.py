"""A participant's documents: the progress note for one block, and the chart over a period."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from facilitator.documents.common import (
    BlockContext,
    DocumentKind,
    DocumentNotFoundError,
    NoteSection,
    ParticipantHeading,
    Provenance,
    SignedItem,
)
from facilitator.documents.notes import goal_texts, load_notes, note_sections
from facilitator.documents.provenance import provenance
from facilitator.documents.service_context import note_contexts
from facilitator.domain.enrollment import ended_text
from facilitator.domain.trends import Trends
from facilitator.services.participant_record import load_participant_record
from facilitator.services.trends import load_trends
from facilitator.storage.models import (
    Attendance,
    Block,
    Enrollment,
    Group,
    GroupSession,
    Participant,
    ParticipantNote,
)


@dataclass(frozen=True)
class ParticipantNoteDocument:
    provenance: Provenance
    participant: ParticipantHeading
    block: BlockContext
    note: NoteSection

    def signed_items(self) -> list[SignedItem]:
        return self.note.signed_items()


@dataclass(frozen=True)
class ChartEntry:
    """One block of the period: the participant's attendance, and their note if shown."""

    block: BlockContext
    note: NoteSection | None  # None: absent, no note written, or an unsigned note left out


@dataclass(frozen=True)
class ParticipantChartDocument:
    provenance: Provenance
    participant: ParticipantHeading
    first: date
    last: date
    include_unsigned: bool
    enrollments: tuple[str, ...]
    goals: tuple[str, ...]
    entries: tuple[ChartEntry, ...]  # in date and time order
    unsigned_left_out: int  # drafts in the period not printed (signed notes only)
    trends: Trends | None = None  # measures, craving and hours per week over the period

    @property
    def notes(self) -> tuple[NoteSection, ...]:
        return tuple(e.note for e in self.entries if e.note is not None)

    def signed_items(self) -> list[SignedItem]:
        return [item for note in self.notes for item in note.signed_items()]


def load_participant_note(
    session: Session, note_id: uuid.UUID, now: datetime
) -> ParticipantNoteDocument:
    """One note with its block; an unsigned note is included and printed marked DRAFT."""
    note = session.get(ParticipantNote, note_id, options=[selectinload(ParticipantNote.signatures)])
    if note is None:
        raise DocumentNotFoundError(f"There is no participant note with the id {note_id}.")
    participant = _participant(session, note.participant_id)
    block = note_contexts(session, participant.id, [note.block_id], [note])[note.block_id]
    section = note_sections(session, [note], goal_texts(session, participant.id))[note.block_id]
    group = session.scalars(
        select(Group)
        .join(GroupSession, GroupSession.group_id == Group.id)
        .join(Block, Block.session_id == GroupSession.id)
        .where(Block.id == note.block_id)
        .options(selectinload(Group.program))
    ).one()
    return ParticipantNoteDocument(
        provenance=provenance(session, DocumentKind.PARTICIPANT_NOTE, group.program.name, now),
        participant=_heading(participant),
        block=block,
        note=section,
    )


def load_participant_chart(
    session: Session,
    participant_id: uuid.UUID,
    first: date | None,
    last: date | None,
    now: datetime,
    include_unsigned: bool = False,
) -> ParticipantChartDocument:
    """The participant's blocks and notes from `first` to `last` (default: admission to today).

    Only signed notes are printed unless `include_unsigned`; drafts then appear marked DRAFT.
    """
    participant = _participant(session, participant_id)
    enrollments = list(
        session.scalars(
            select(Enrollment)
            .where(Enrollment.participant_id == participant_id)
            .order_by(Enrollment.admitted)
            .options(selectinload(Enrollment.group).selectinload(Group.program))
        )
    )
    first = first or (enrollments[0].admitted if enrollments else now.date())
    last = last or now.date()
    if last < first:
        raise DocumentNotFoundError(f"The period ends ({last}) before it starts ({first}).")
    block_ids = list(
        session.scalars(
            select(Attendance.block_id)
            .join(Block, Attendance.block_id == Block.id)
            .join(GroupSession, Block.session_id == GroupSession.id)
            .where(
                Attendance.participant_id == participant_id, GroupSession.day.between(first, last)
            )
        )
    )
    notes = load_notes(
        session,
        (ParticipantNote.participant_id == participant_id)
        & ParticipantNote.block_id.in_(block_ids),
    )
    shown = [n for n in notes if include_unsigned or n.status != "draft"]
    sections = note_sections(session, shown, goal_texts(session, participant_id))
    contexts = note_contexts(session, participant_id, block_ids, shown)
    entries = sorted(
        (ChartEntry(context, sections.get(block_id)) for block_id, context in contexts.items()),
        key=lambda e: (e.block.day, e.block.start),
    )
    program = enrollments[-1].group.program.name if enrollments else ""
    names = {e.id: e.group.name for e in enrollments}
    continued = {
        e.id: names.get(e.transferred_to_id, "") for e in enrollments if e.transferred_to_id
    }
    return ParticipantChartDocument(
        provenance=provenance(session, DocumentKind.PARTICIPANT_CHART, program, now),
        participant=_heading(participant),
        first=first,
        last=last,
        include_unsigned=include_unsigned,
        enrollments=tuple(
            f"{e.group.name} ({e.group.program.name}): admitted {e.admitted}"
            + ended_text(e.discharged, e.discharge_reason or "", continued.get(e.id, ""))
            for e in enrollments
        ),
        goals=tuple(f"{g.text} ({g.status})" for g in participant.goals),
        entries=tuple(entries),
        unsigned_left_out=len(notes) - len(shown),
        trends=_trends(session, participant_id, first, last) if enrollments else None,
    )


def _trends(session: Session, participant_id: uuid.UUID, first: date, last: date) -> Trends:
    record = load_participant_record(session, participant_id, last)
    return load_trends(session, participant_id, record.weeks, last).clip(first, last)


def find_participant(session: Session, chart_number: str) -> uuid.UUID:
    """The id of the participant with this chart number; DocumentNotFoundError if none."""
    found = session.scalar(select(Participant.id).where(Participant.chart_number == chart_number))
    if found is None:
        raise DocumentNotFoundError(
            f'There is no participant with the chart number "{chart_number}".'
        )
    return found


def _participant(session: Session, participant_id: uuid.UUID) -> Participant:
    participant = session.get(
        Participant, participant_id, options=[selectinload(Participant.goals)]
    )
    if participant is None:
        raise DocumentNotFoundError("That participant is no longer in the records.")
    return participant


def _heading(participant: Participant) -> ParticipantHeading:
    return ParticipantHeading(
        name=f"{participant.legal_first} {participant.legal_last}".strip(),
        preferred_name=participant.preferred_name or "",
        chart_number=participant.chart_number,
        date_of_birth=participant.date_of_birth,
        pronouns=participant.pronouns or "",
    )
