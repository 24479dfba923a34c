"""Read-only views of the clinic for the main window: today, roster, groups, curriculum."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from facilitator import content
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.notes import NoteProgress, NoteStatus, note_progress
from facilitator.domain.people import display_name
from facilitator.storage.models import (
    Attendance,
    Block,
    BlockFacilitator,
    CurriculumTopic,
    Enrollment,
    Group,
    GroupSession,
    Modality,
    Participant,
    ParticipantNote,
)

ATTENDED = [s.value for s in AttendanceStatus if s.attended]


@dataclass(frozen=True)
class DayBlockRow:
    """One block on the Today screen."""

    session_id: uuid.UUID
    block_id: uuid.UUID
    group: str
    room: str
    start: time
    end: time
    modality: str
    topic: str
    facilitators: str
    notes_due: int
    notes_drafted: int
    notes_complete: int
    notes_signed: int
    notes_awaiting_cosign: int = 0  # signed by an associate, not yet co-signed
    notes_returned: int = 0  # returned by the supervisor with a comment


@dataclass(frozen=True)
class RosterRow:
    participant_id: uuid.UUID
    chart_number: str
    name: str
    pronouns: str
    group: str
    admitted: date | None
    discharged: date | None
    status: str


@dataclass(frozen=True)
class ScheduleSlot:
    weekday: int
    start: time
    end: time
    modality: str


@dataclass(frozen=True)
class GroupRow:
    group_id: uuid.UUID
    name: str
    program: str
    level_of_care: str
    weekly_target_minutes: int
    room: str
    default_facilitator: str
    active_participants: int
    schedule: tuple[ScheduleSlot, ...]


@dataclass(frozen=True)
class TopicRow:
    topic_id: uuid.UUID
    modality_code: str
    modality: str
    sequence: int
    title: str
    objectives: tuple[str, ...]
    outline: str
    handouts: tuple[str, ...]


def day_blocks(session: Session, day: date) -> list[DayBlockRow]:
    """Every block of every group on `day`, in time order, with note progress."""
    blocks = session.scalars(
        select(Block)
        .join(GroupSession)
        .where(GroupSession.day == day)
        .options(
            selectinload(Block.session).selectinload(GroupSession.group),
            selectinload(Block.modality),
            selectinload(Block.topic),
            selectinload(Block.facilitators).selectinload(BlockFacilitator.clinician),
        )
    ).all()
    block_ids = [b.id for b in blocks]
    attended = _count_by_block(
        session,
        select(Attendance.block_id, func.count())
        .where(Attendance.block_id.in_(block_ids), Attendance.status.in_(ATTENDED))
        .where(Attendance.removed_reason.is_(None))
        .group_by(Attendance.block_id),
    )
    progress, statuses = _note_progress_by_block(session, block_ids)
    expected = _expected_by_group(session, {b.session.group_id for b in blocks}, day)
    rows = []
    for block in blocks:
        group = block.session.group
        taken = block.id in attended or block.actual_start is not None
        rows.append(
            DayBlockRow(
                session_id=block.session_id,
                block_id=block.id,
                group=group.name,
                room=group.room,
                start=block.actual_start or block.planned_start,
                end=block.actual_end or block.planned_end,
                modality=block.modality.name,
                topic=block.topic.title if block.topic else (block.free_topic or ""),
                facilitators=", ".join(f.clinician.display_name for f in block.facilitators),
                notes_due=attended.get(block.id, 0) if taken else expected.get(group.id, 0),
                notes_drafted=progress[block.id][NoteProgress.DRAFTED],
                notes_complete=progress[block.id][NoteProgress.COMPLETE],
                notes_signed=progress[block.id][NoteProgress.SIGNED],
                notes_awaiting_cosign=statuses[block.id][NoteStatus.AWAITING_COSIGN],
                notes_returned=statuses[block.id][NoteStatus.RETURNED],
            )
        )
    rows.sort(key=lambda r: (r.start, r.group))
    return rows


def _count_by_block(session: Session, statement: Select[uuid.UUID, int]) -> Counter[uuid.UUID]:
    return Counter({block_id: count for block_id, count in session.execute(statement)})


def _note_progress_by_block(
    session: Session, block_ids: list[uuid.UUID]
) -> tuple[
    defaultdict[uuid.UUID, Counter[NoteProgress]], defaultdict[uuid.UUID, Counter[NoteStatus]]
]:
    """For each block, how many notes are drafted, complete and signed, and in each status."""
    templates = content.note_templates()
    counts: defaultdict[uuid.UUID, Counter[NoteProgress]] = defaultdict(Counter)
    statuses: defaultdict[uuid.UUID, Counter[NoteStatus]] = defaultdict(Counter)
    rows = session.execute(
        select(
            ParticipantNote.block_id,
            ParticipantNote.status,
            ParticipantNote.template,
            ParticipantNote.fields,
        )
        .join(
            Attendance,
            (Attendance.block_id == ParticipantNote.block_id)
            & (Attendance.participant_id == ParticipantNote.participant_id),
        )
        .where(
            ParticipantNote.block_id.in_(block_ids),
            Attendance.status.in_(ATTENDED),
            Attendance.removed_reason.is_(None),
        )
    )
    for block_id, status, template, fields in rows:
        counts[block_id][note_progress(templates[template], NoteStatus(status), fields)] += 1
        statuses[block_id][NoteStatus(status)] += 1
    return counts, statuses


def _expected_by_group(
    session: Session, group_ids: set[uuid.UUID], day: date
) -> Counter[uuid.UUID]:
    """Participants enrolled and active on `day`, per group."""
    counts: Counter[uuid.UUID] = Counter()
    rows = session.execute(  # SQL narrows years of history to the day; the domain rule decides
        select(Enrollment.group_id, Enrollment.admitted, Enrollment.discharged).where(
            Enrollment.group_id.in_(group_ids),
            Enrollment.admitted <= day,
            or_(Enrollment.discharged.is_(None), Enrollment.discharged >= day),
        )
    )
    for group_id, admitted, discharged in rows:
        if EnrollmentPeriod(admitted, discharged).is_active_on(day):
            counts[group_id] += 1
    return counts


def roster(session: Session, day: date) -> list[RosterRow]:
    """Every participant with their enrollment on `day` (else their latest) and its status.

    A transfer or step-down is no discharge: the enrollment it continues in is the one shown.
    """
    participants = session.scalars(
        select(Participant).options(
            selectinload(Participant.enrollments).selectinload(Enrollment.group)
        )
    ).all()
    rows = []
    for p in participants:
        shown = _enrollment_on(p.enrollments, day)
        status = "not enrolled"
        if shown is not None:
            status = _period(shown).status_on(day)
        rows.append(
            RosterRow(
                participant_id=p.id,
                chart_number=p.chart_number,
                name=display_name(p.legal_first, p.legal_last, p.preferred_name),
                pronouns=p.pronouns or "",
                group=shown.group.name if shown else "",
                admitted=shown.admitted if shown else None,
                discharged=shown.discharged if shown and not shown.transferred_to_id else None,
                status=status,
            )
        )
    rows.sort(key=lambda r: [*r.name.split()[-1:], r.name])
    return rows


def _period(enrollment: Enrollment) -> EnrollmentPeriod:
    return EnrollmentPeriod(
        enrollment.admitted, enrollment.discharged, enrollment.transferred_to_id is not None
    )


def _enrollment_on(enrollments: Sequence[Enrollment], day: date) -> Enrollment | None:
    """The enrollment active on `day`, else the latest one (or None)."""
    active = [e for e in enrollments if _period(e).is_active_on(day)]
    return (active or list(enrollments))[-1] if enrollments else None


def groups(session: Session, day: date) -> list[GroupRow]:
    """Groups with their program, room, facilitator, weekly schedule and active census."""
    found = session.scalars(
        select(Group)
        .where(Group.active)
        .options(
            selectinload(Group.program),
            selectinload(Group.default_facilitator),
            selectinload(Group.schedule),
        )
        .order_by(Group.name)
    ).all()
    census = _expected_by_group(session, {g.id for g in found}, day)
    modality_names = {m.id: m.name for m in session.scalars(select(Modality))}
    return [
        GroupRow(
            group_id=g.id,
            name=g.name,
            program=g.program.name,
            level_of_care=g.program.level_of_care,
            weekly_target_minutes=g.program.weekly_target_minutes,
            room=g.room,
            default_facilitator=g.default_facilitator.display_name if g.default_facilitator else "",
            active_participants=census.get(g.id, 0),
            schedule=tuple(
                ScheduleSlot(t.weekday, t.start, t.end, modality_names[t.modality_id])
                for t in g.schedule
            ),
        )
        for g in found
    ]


def curriculum(session: Session) -> list[TopicRow]:
    """The curriculum library, by modality and order."""
    topics = session.scalars(
        select(CurriculumTopic)
        .join(Modality)
        .options(selectinload(CurriculumTopic.modality))
        .order_by(Modality.name, CurriculumTopic.sequence)
    ).all()
    return [
        TopicRow(
            topic_id=t.id,
            modality_code=t.modality.code,
            modality=t.modality.name,
            sequence=t.sequence,
            title=t.title,
            objectives=tuple(t.objectives),
            outline=t.outline,
            handouts=tuple(t.handouts),
        )
        for t in topics
    ]


def participant_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Participant)) or 0
