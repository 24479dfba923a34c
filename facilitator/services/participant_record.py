"""One participant's record over their enrollment: attendance, notes, hours and curriculum."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from facilitator.domain.attendance import (
    BILLABLE_DAY_MINUTES,
    AttendanceMode,
    AttendanceStatus,
    TimeSpan,
    minutes_attended,
    note_due,
)
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteProgress, NoteStatus, NoteTemplate, note_progress
from facilitator.domain.people import display_name
from facilitator.domain.progress import (
    WeekBucket,
    bucket_weeks,
    in_progress,
    is_zero_week,
    under_daily_minimum,
)
from facilitator.services.curriculum_progress import (
    CoveredTopic,
    TopicRef,
    TopicToCover,
    covered_topics,
    still_to_cover,
)
from facilitator.services.day_plan import closed_days
from facilitator.services.note_templates import templates as note_templates
from facilitator.storage.models import (
    Attendance,
    Block,
    CurriculumTopic,
    Enrollment,
    Group,
    GroupSession,
    Modality,
    Participant,
    ParticipantNote,
    Program,
)


@dataclass(frozen=True)
class EnrollmentSummary:
    group: str
    program: str
    admitted: date
    discharged: date | None
    discharge_reason: str
    status: str  # pending, active, transferred or discharged, as of the record's day
    transferred_to: str = ""  # the group a transfer or step-down continued the stay in


@dataclass(frozen=True)
class GoalSummary:
    text: str
    status: str
    created_on: date


@dataclass(frozen=True)
class BlockAttendance:
    """The participant in one block: how they attended and where their note stands."""

    block_id: uuid.UUID
    day: date
    span: TimeSpan  # actual times where recorded, planned otherwise
    modality: str
    topic: str
    status: AttendanceStatus
    arrived: time | None
    left: time | None
    absence_reason: str | None
    removed_reason: str | None
    minutes: int  # zero once removed from the block
    note_progress: NoteProgress | None  # None when no note is due
    note_status: NoteStatus | None
    mode: AttendanceMode = AttendanceMode.IN_PERSON  # in person, video, telephone


@dataclass(frozen=True)
class WeekHours:
    """Attended minutes in one Monday-to-Sunday week against the program's weekly target."""

    monday: date
    minutes: int
    target_minutes: int | None
    partial: bool  # enrolled for only part of the week
    in_progress: bool  # the week holds the record's day
    sessions_held: int  # days the person's group met that week
    no_attendance: bool = False  # enrolled, over, and not a minute attended (domain.progress)

    @classmethod
    def of(cls, bucket: WeekBucket, target_minutes: int | None, today: date) -> WeekHours:
        """The week's hours against `target_minutes`, as on `today`."""
        return cls(
            monday=bucket.monday,
            minutes=bucket.minutes,
            target_minutes=target_minutes,
            partial=bucket.partial,
            in_progress=in_progress(bucket.monday, today),
            sessions_held=bucket.session_days,
            no_attendance=is_zero_week(bucket, today),
        )

    @property
    def met(self) -> bool:
        return self.target_minutes is not None and self.minutes >= self.target_minutes

    @property
    def below_target(self) -> bool:
        """A whole enrolled week when the group met and the person fell short of the target."""
        return (
            self.target_minutes is not None
            and not self.met
            and not self.partial
            and self.sessions_held > 0
        )

    @property
    def status(self) -> str:
        if self.target_minutes is None:
            return "No target"
        if self.met:
            return "Met"
        if self.in_progress:
            return "In progress"
        if not self.sessions_held:
            return "No sessions held"
        return "Partial week" if self.partial else "Below target"


@dataclass(frozen=True)
class DayHours:
    day: date
    minutes: int
    minimum_minutes: int
    closed: bool = False  # the clinic or the group was closed that day

    @property
    def under_minimum(self) -> bool:
        return under_daily_minimum(self.minutes, self.minimum_minutes, self.closed)


@dataclass(frozen=True)
class ParticipantRecord:
    participant_id: uuid.UUID
    name: str
    legal_name: str
    preferred_name: str
    pronouns: str
    chart_number: str
    date_of_birth: date
    enrollments: tuple[EnrollmentSummary, ...]  # oldest first
    daily_minimum_minutes: int  # the current program's; a day under it is not billable
    goals: tuple[GoalSummary, ...]
    attendance: tuple[BlockAttendance, ...]  # in date and time order
    weeks: tuple[WeekHours, ...]
    days: tuple[DayHours, ...]  # every day with attendance taken
    covered: tuple[CoveredTopic, ...]  # in the order first covered
    to_cover: tuple[TopicToCover, ...]  # in the order the group's cycles bring them

    @property
    def short_days(self) -> tuple[DayHours, ...]:
        return tuple(d for d in self.days if d.under_minimum)

    @property
    def discharged(self) -> bool:
        """True when the latest enrollment has ended."""
        return bool(self.enrollments) and self.enrollments[-1].status == "discharged"


def load_participant_record(
    session: Session, participant_id: uuid.UUID, today: date
) -> ParticipantRecord:
    """Everything the participant view shows, read by participant id in a few queries."""
    participant = session.get(
        Participant,
        participant_id,
        options=[
            selectinload(Participant.enrollments)
            .joinedload(Enrollment.group)
            .options(joinedload(Group.program), selectinload(Group.schedule)),
            selectinload(Participant.goals),
        ],
    )
    if participant is None:
        raise DomainError("That participant is no longer in the records.")
    enrollments = list(participant.enrollments)
    blocks = _attendance(session, participant_id)
    attendance = tuple(row for row, _ in blocks)
    attended = [
        (topic, row.day)
        for row, topic in blocks
        if topic is not None and row.removed_reason is None and row.status.attended
    ]
    days = _day_minutes(attendance)
    closed = _closed_days(session, enrollments, today)
    return ParticipantRecord(
        participant_id=participant.id,
        name=display_name(
            participant.legal_first, participant.legal_last, participant.preferred_name
        ),
        legal_name=f"{participant.legal_first} {participant.legal_last}",
        preferred_name=participant.preferred_name or "",
        pronouns=participant.pronouns or "",
        chart_number=participant.chart_number,
        date_of_birth=participant.date_of_birth,
        enrollments=tuple(_enrollment_summary(e, enrollments, today) for e in enrollments),
        daily_minimum_minutes=_minimum_on(enrollments, today),
        goals=tuple(GoalSummary(g.text, g.status, g.created_on) for g in participant.goals),
        attendance=attendance,
        weeks=_weeks(enrollments, days, _session_days(session, enrollments, today), today),
        days=tuple(
            DayHours(day, minutes, _minimum_on(enrollments, day), day in closed)
            for day, minutes in sorted(days.items())
        ),
        covered=covered_topics(attended),
        to_cover=still_to_cover(session, enrollments[-1].group, attended, today)
        if enrollments
        else (),
    )


def _enrollment_summary(
    enrollment: Enrollment, enrollments: Sequence[Enrollment], today: date
) -> EnrollmentSummary:
    continued = next((e for e in enrollments if e.id == enrollment.transferred_to_id), None)
    period = EnrollmentPeriod(enrollment.admitted, enrollment.discharged, continued is not None)
    return EnrollmentSummary(
        group=enrollment.group.name,
        program=enrollment.group.program.name,
        admitted=enrollment.admitted,
        discharged=enrollment.discharged,
        discharge_reason=enrollment.discharge_reason or "",
        status=period.status_on(today),
        transferred_to=continued.group.name if continued else "",
    )


def _attendance(
    session: Session, participant_id: uuid.UUID
) -> list[tuple[BlockAttendance, TopicRef | None]]:
    """Each block the person has attendance for, in time order, with its curriculum topic.

    One query over plain columns: a long enrollment has hundreds of blocks, and building ORM
    objects for each would cost more than the whole read.
    """
    rows = session.execute(
        select(
            Attendance.block_id,
            Attendance.status,
            Attendance.arrived,
            Attendance.left,
            Attendance.absence_reason,
            Attendance.removed_reason,
            GroupSession.day,
            Block.planned_start,
            Block.planned_end,
            Block.actual_start,
            Block.actual_end,
            Block.free_topic,
            Modality.name,
            Block.topic_id,
            CurriculumTopic.modality_id,
            CurriculumTopic.sequence,
            CurriculumTopic.title,
            ParticipantNote.status,
            ParticipantNote.template,
            ParticipantNote.fields,
            Attendance.mode,
        )
        .join(Block, Attendance.block_id == Block.id)
        .join(GroupSession, Block.session_id == GroupSession.id)
        .join(Modality, Block.modality_id == Modality.id)
        .outerjoin(CurriculumTopic, Block.topic_id == CurriculumTopic.id)
        .outerjoin(
            ParticipantNote,
            (ParticipantNote.block_id == Attendance.block_id)
            & (ParticipantNote.participant_id == Attendance.participant_id),
        )
        .where(Attendance.participant_id == participant_id)
    ).all()
    templates = note_templates(session)
    found = [_block_attendance(row, templates) for row in rows]
    found.sort(key=lambda pair: (pair[0].day, pair[0].span.start))
    return found


def _block_attendance(
    row: Sequence[Any], templates: Mapping[str, NoteTemplate]
) -> tuple[BlockAttendance, TopicRef | None]:
    (block_id, status_code, arrived, left, absence_reason, removed_reason, day) = row[:7]
    planned_start, planned_end, actual_start, actual_end, free_topic, modality = row[7:13]
    topic_id, topic_modality_id, sequence, title, note_code, template, fields, mode = row[13:]
    span = TimeSpan(actual_start or planned_start, actual_end or planned_end)
    status = AttendanceStatus(status_code)
    removed = removed_reason is not None
    note_status = NoteStatus(note_code) if note_code else None
    progress = None
    if note_due(status, removed):
        progress = (
            note_progress(templates[template], note_status, fields)
            if note_status
            else NoteProgress.DUE
        )
    topic = None
    if topic_id is not None:
        topic = TopicRef(topic_id, topic_modality_id, modality, sequence, title)
    attendance = BlockAttendance(
        block_id=block_id,
        day=day,
        span=span,
        modality=modality,
        topic=title or free_topic or "",
        status=status,
        arrived=arrived,
        left=left,
        absence_reason=absence_reason,
        removed_reason=removed_reason,
        minutes=0 if removed else minutes_attended(status, span, arrived, left),
        note_progress=progress,
        note_status=note_status,
        mode=AttendanceMode(mode),
    )
    return attendance, topic


def _day_minutes(attendance: Sequence[BlockAttendance]) -> dict[date, int]:
    """Attended minutes per day, for every day with attendance the person was not removed from."""
    days: defaultdict[date, int] = defaultdict(int)
    for row in attendance:
        if row.removed_reason is None:
            days[row.day] += row.minutes
    return dict(days)


def _program_on(enrollments: Sequence[Enrollment], first: date, last: date) -> Program | None:
    """The program of the latest enrollment overlapping first..last, else of the latest one."""
    overlapping = [
        e for e in enrollments if e.admitted <= last and (e.discharged or last) >= first
    ] or enrollments[-1:]
    return overlapping[-1].group.program if overlapping else None


def _minimum_on(enrollments: Sequence[Enrollment], day: date) -> int:
    program = _program_on(enrollments, day, day)
    return program.daily_minimum_minutes if program else BILLABLE_DAY_MINUTES


def _windows(enrollments: Sequence[Enrollment], today: date) -> list[tuple[date, date]]:
    """Each enrollment's days so far: admission through discharge or today, if sooner."""
    ends = [(e.admitted, min(today, e.discharged or today)) for e in enrollments]
    return [(first, last) for first, last in ends if first <= last]


def _closed_days(session: Session, enrollments: Sequence[Enrollment], today: date) -> set[date]:
    """The days the person's groups were closed while they were enrolled."""
    if not enrollments:
        return set()
    found = closed_days(
        session, {e.group_id for e in enrollments}, min(e.admitted for e in enrollments), today
    )
    return {
        day
        for e in enrollments
        for day in found.get(e.group_id, set())
        if EnrollmentPeriod(e.admitted, e.discharged).is_active_on(day)
    }


def _session_days(session: Session, enrollments: Sequence[Enrollment], today: date) -> set[date]:
    """The days a group met while the person was enrolled in it."""
    if not enrollments:
        return set()
    rows = session.execute(
        select(GroupSession.group_id, GroupSession.day).where(
            GroupSession.group_id.in_({e.group_id for e in enrollments}),
            GroupSession.day.between(min(e.admitted for e in enrollments), today),
        )
    )
    return {
        day
        for group_id, day in rows
        if any(
            e.group_id == group_id and EnrollmentPeriod(e.admitted, e.discharged).is_active_on(day)
            for e in enrollments
        )
    }


def _weeks(
    enrollments: Sequence[Enrollment], days: dict[date, int], held: set[date], today: date
) -> tuple[WeekHours, ...]:
    """Weeks from each admission through discharge or today, whichever comes first."""
    buckets = bucket_weeks(days, _windows(enrollments, today), held)
    return tuple(_week_hours(b, enrollments, today) for b in buckets)


def _week_hours(bucket: WeekBucket, enrollments: Sequence[Enrollment], today: date) -> WeekHours:
    program = _program_on(enrollments, bucket.monday, bucket.monday + timedelta(days=6))
    return WeekHours.of(bucket, program.weekly_target_minutes if program else None, today)
