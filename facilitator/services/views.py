"""Read-only views of the clinic for the main window: today, roster, groups, curriculum."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.notes import NoteProgress, NoteStatus, note_progress
from facilitator.domain.people import display_name
from facilitator.services.day_plan import enrolled_by_group, plan_day
from facilitator.services.note_templates import templates as note_templates
from facilitator.storage.models import (
    Attendance,
    Block,
    CurriculumTopic,
    Enrollment,
    Group,
    Modality,
    Participant,
    ParticipantNote,
)

ATTENDED = [s.value for s in AttendanceStatus if s.attended]


@dataclass(frozen=True)
class DayBlockRow:
    """One block on the Today screen: made (session and block ids) or planned from the
    schedule (ids None: opening it makes the session); a marker when it does not run."""

    group_id: uuid.UUID
    day: date
    session_id: uuid.UUID | None
    block_id: uuid.UUID | None
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
    marker: str | None = None  # "closed: reason", "cancelled: reason"
    changes: tuple[str, ...] = ()  # "moved from 09:00-10:00: reason", "substitute: reason"

    @property
    def runs(self) -> bool:
        return self.marker is None


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
    """Every block of every group on `day`, from its session or its schedule, in time order,
    with note progress. Reads only: a day's session is made when a block is opened."""
    planned = [b for group_day in plan_day(session, day) for b in group_day.blocks]
    block_ids = [b.block_id for b in planned if b.block_id is not None]
    attended = _count_by_block(
        session,
        select(Attendance.block_id, func.count())
        .where(Attendance.block_id.in_(block_ids), Attendance.status.in_(ATTENDED))
        .where(Attendance.removed_reason.is_(None))
        .group_by(Attendance.block_id),
    )
    started = set(
        session.scalars(
            select(Block.id).where(Block.id.in_(block_ids), Block.actual_start.is_not(None))
        )
    )
    progress, statuses = _note_progress_by_block(session, block_ids)
    rows = []
    for block in planned:
        key = block.block_id
        taken = key is not None and (key in attended or key in started)
        due = attended.get(key, 0) if taken and key is not None else block.roster
        rows.append(
            DayBlockRow(
                group_id=block.group_id,
                day=day,
                session_id=block.session_id,
                block_id=key,
                group=block.group,
                room=block.room,
                start=block.start,
                end=block.end,
                modality=block.modality,
                topic=block.topic,
                facilitators=block.facilitators,
                notes_due=due if block.runs else 0,
                notes_drafted=progress[key][NoteProgress.DRAFTED] if key else 0,
                notes_complete=progress[key][NoteProgress.COMPLETE] if key else 0,
                notes_signed=progress[key][NoteProgress.SIGNED] if key else 0,
                notes_awaiting_cosign=statuses[key][NoteStatus.AWAITING_COSIGN] if key else 0,
                notes_returned=statuses[key][NoteStatus.RETURNED] if key else 0,
                marker=block.marker,
                changes=block.changes,
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
    templates = note_templates(session)
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
    census = enrolled_by_group(session, {g.id for g in found}, day)
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
