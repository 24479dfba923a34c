"""Everything the session runner shows for one group on one day, read in a handful of queries."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, time
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from facilitator.domain.attendance import (
    AttendanceMode,
    AttendanceStatus,
    TimeSpan,
    minutes_attended,
    note_due,
    over_capacity,
)
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteProgress, NoteStatus, NoteTemplate, note_progress
from facilitator.domain.people import display_name, initials, legal_name
from facilitator.services import this_week
from facilitator.services.day_plan import made_block_changes
from facilitator.services.note_templates import template_for_group
from facilitator.storage.models import (
    Attendance,
    Block,
    BlockFacilitator,
    Enrollment,
    Group,
    GroupSession,
    Participant,
    ParticipantNote,
)


@dataclass(frozen=True)
class RiskFlags:
    suicidal_ideation: bool = False
    homicidal_ideation: bool = False
    use_since_last_session: bool = False
    craving: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "suicidal_ideation": self.suicidal_ideation,
            "homicidal_ideation": self.homicidal_ideation,
            "use_since_last_session": self.use_since_last_session,
            "craving": self.craving,
        }

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> RiskFlags:
        craving = values.get("craving")
        return cls(
            suicidal_ideation=bool(values.get("suicidal_ideation")),
            homicidal_ideation=bool(values.get("homicidal_ideation")),
            use_since_last_session=bool(values.get("use_since_last_session")),
            craving=craving if isinstance(craving, int) else None,
        )


@dataclass(frozen=True)
class NoteDraft:
    """The editable content of one participant's note."""

    template: str
    fields: Mapping[str, str] = field(default_factory=dict)
    mood: str | None = None
    affect: str | None = None
    participation: str | None = None
    goals_addressed: Mapping[str, str] = field(default_factory=dict)  # goal id -> progress
    risk: RiskFlags = RiskFlags()


@dataclass(frozen=True)
class NoteRow:
    note_id: uuid.UUID
    status: NoteStatus
    draft: NoteDraft


@dataclass(frozen=True)
class GoalRow:
    goal_id: uuid.UUID
    text: str
    status: str


@dataclass(frozen=True)
class AttendanceRow:
    status: AttendanceStatus
    mode: AttendanceMode
    arrived: time | None
    left: time | None
    minutes: int
    absence_reason: str | None
    added_reason: str | None
    removed_reason: str | None


@dataclass(frozen=True)
class RosterEntry:
    """One person in one block: who they are, their attendance and their note."""

    participant_id: uuid.UUID
    name: str  # as the room says it: preferred first name, last name
    initials: str
    chart_number: str
    pronouns: str
    goals: tuple[GoalRow, ...]
    attendance: AttendanceRow | None
    note: NoteRow | None
    progress: NoteProgress | None  # None when no note is due (absent, removed, not yet taken)
    measures_due: tuple[str, ...] = ()  # measure names due this week
    measure_risk: str | None = None  # why a recent measure raised risk (PHQ-9 item 9)
    record_name: str = ""  # as records print it: legal name (preferred name)

    @property
    def removed(self) -> bool:
        return self.attendance is not None and self.attendance.removed_reason is not None


@dataclass(frozen=True)
class BlockSheet:
    block_id: uuid.UUID
    sequence: int
    modality_code: str
    modality: str
    intervention_choices: tuple[str, ...]
    topic_id: uuid.UUID | None
    topic: str
    free_topic: str | None
    planned: TimeSpan
    actual_start: time | None
    actual_end: time | None
    interventions: tuple[str, ...]
    other_interventions: str
    group_note: str
    facilitators: str
    lead_id: uuid.UUID | None
    roster: tuple[RosterEntry, ...]
    room: str = ""  # the block's own room (moved), else the group's
    capacity: int | None = None  # the group's cap (None: no limit)
    day_changes: tuple[str, ...] = ()  # "Moved from 09:00-10:00: reason", "Substitute: ..."

    @property
    def span(self) -> TimeSpan:
        """Actual times where recorded, planned times otherwise."""
        return TimeSpan(
            self.actual_start or self.planned.start, self.actual_end or self.planned.end
        )

    @property
    def present(self) -> int:
        return sum(1 for e in self.roster if e.progress is not None)

    @property
    def over_capacity(self) -> bool:
        """More attended than the group's capacity: warned, never refused."""
        return over_capacity(self.present, self.capacity)

    @property
    def locked(self) -> bool:
        """A note of the block is signed: its service changes only by a correction."""
        return any(e.note is not None and e.note.status.locked for e in self.roster)

    @property
    def minutes(self) -> int:
        return sum(e.attendance.minutes for e in self.roster if e.attendance and not e.removed)

    def entry(self, participant_id: uuid.UUID) -> RosterEntry:
        for candidate in self.roster:
            if candidate.participant_id == participant_id:
                return candidate
        raise KeyError(participant_id)


@dataclass(frozen=True)
class SessionSheet:
    session_id: uuid.UUID
    group: str
    room: str
    day: date
    template: NoteTemplate
    blocks: tuple[BlockSheet, ...]


def load_session_sheet(session: Session, session_id: uuid.UUID) -> SessionSheet:
    """The whole session: blocks in order, each with its roster, attendance and notes."""
    group_session = session.get(
        GroupSession,
        session_id,
        options=[selectinload(GroupSession.group).selectinload(Group.program)],
    )
    if group_session is None:
        raise DomainError("That session no longer exists.")
    blocks = session.scalars(
        select(Block)
        .where(Block.session_id == session_id)
        .order_by(Block.sequence)
        .options(
            selectinload(Block.modality),
            selectinload(Block.topic),
            selectinload(Block.facilitators).selectinload(BlockFacilitator.clinician),
        )
    ).all()
    block_ids = [b.id for b in blocks]
    attendance = {
        (a.block_id, a.participant_id): a
        for a in session.scalars(select(Attendance).where(Attendance.block_id.in_(block_ids)))
    }
    notes = {
        (n.block_id, n.participant_id): n
        for n in session.scalars(
            select(ParticipantNote).where(ParticipantNote.block_id.in_(block_ids))
        )
    }
    enrolled = {
        participant_id
        for participant_id, admitted, discharged in _enrollments_around(
            session, group_session.group_id, group_session.day
        )
        if EnrollmentPeriod(admitted, discharged).is_active_on(group_session.day)
    }
    participant_ids = enrolled | {key[1] for key in attendance} | {key[1] for key in notes}
    participants = {
        p.id: p
        for p in session.scalars(
            select(Participant)
            .where(Participant.id.in_(participant_ids))
            .options(selectinload(Participant.goals))
        )
    }
    template = template_for_group(session, group_session.group)
    changes = made_block_changes(session, group_session.group, group_session.day)
    marks = _Marks(
        due=_names_due(session, group_session.day, participant_ids),
        risk=this_week.measure_risk(session, participant_ids, group_session.day),
    )
    return SessionSheet(
        session_id=group_session.id,
        group=group_session.group.name,
        room=group_session.group.room,
        day=group_session.day,
        template=template,
        blocks=tuple(
            replace(
                _block_sheet(block, enrolled, participants, attendance, notes, template, marks),
                day_changes=changes.get(block.template_id, ()) if block.template_id else (),
            )
            for block in blocks
        ),
    )


def _enrollments_around(
    session: Session, group_id: uuid.UUID, day: date
) -> list[tuple[uuid.UUID, date, date | None]]:
    """The group's enrollments that may be active on `day`: a group with years of history has
    hundreds, of which only today's few are read (EnrollmentPeriod still decides)."""
    rows = session.execute(
        select(Enrollment.participant_id, Enrollment.admitted, Enrollment.discharged).where(
            Enrollment.group_id == group_id,
            Enrollment.admitted <= day,
            or_(Enrollment.discharged.is_(None), Enrollment.discharged >= day),
        )
    )
    return [(participant_id, admitted, discharged) for participant_id, admitted, discharged in rows]


@dataclass(frozen=True)
class _Marks:
    """Measures due this week and measure risk, per participant."""

    due: Mapping[uuid.UUID, tuple[str, ...]]
    risk: Mapping[uuid.UUID, str]


def _names_due(
    session: Session, day: date, participant_ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[str, ...]]:
    due: dict[uuid.UUID, tuple[str, ...]] = {}
    for row in this_week.week_measures_due(session, day, participant_ids):
        due[row.participant_id] = (*due.get(row.participant_id, ()), row.measure)
    return due


def _block_sheet(
    block: Block,
    enrolled: set[uuid.UUID],
    participants: Mapping[uuid.UUID, Participant],
    attendance: Mapping[tuple[uuid.UUID, uuid.UUID], Attendance],
    notes: Mapping[tuple[uuid.UUID, uuid.UUID], ParticipantNote],
    template: NoteTemplate,
    marks: _Marks,
) -> BlockSheet:
    planned = TimeSpan(block.planned_start, block.planned_end)
    span = TimeSpan(block.actual_start or planned.start, block.actual_end or planned.end)
    here = enrolled | {pid for (bid, pid) in attendance if bid == block.id}
    here |= {pid for (bid, pid) in notes if bid == block.id}
    roster = sorted(
        (
            _roster_entry(
                participants[pid],
                attendance.get((block.id, pid)),
                notes.get((block.id, pid)),
                span,
                template,
                marks,
            )
            for pid in here
        ),
        key=lambda e: (e.name.split()[-1].casefold(), e.name.casefold()),
    )
    lead = next((f for f in block.facilitators if f.role == "lead"), None)
    return BlockSheet(
        block_id=block.id,
        sequence=block.sequence,
        modality_code=block.modality.code,
        modality=block.modality.name,
        intervention_choices=tuple(block.modality.interventions),
        topic_id=block.topic_id,
        topic=block.topic.title if block.topic else (block.free_topic or ""),
        free_topic=block.free_topic,
        planned=planned,
        actual_start=block.actual_start,
        actual_end=block.actual_end,
        interventions=tuple(block.interventions),
        other_interventions=block.other_interventions,
        group_note=block.group_note,
        facilitators=", ".join(f.clinician.display_name for f in block.facilitators),
        lead_id=lead.clinician_id if lead else None,
        roster=tuple(roster),
        room=block.room or block.session.group.room,
        capacity=block.session.group.capacity,
    )


def _roster_entry(
    participant: Participant,
    attendance: Attendance | None,
    note: ParticipantNote | None,
    span: TimeSpan,
    template: NoteTemplate,
    marks: _Marks,
) -> RosterEntry:
    attendance_row = None
    due = False
    if attendance is not None:
        status = AttendanceStatus(attendance.status)
        attendance_row = AttendanceRow(
            status=status,
            mode=AttendanceMode(attendance.mode),
            arrived=attendance.arrived,
            left=attendance.left,
            minutes=minutes_attended(status, span, attendance.arrived, attendance.left),
            absence_reason=attendance.absence_reason,
            added_reason=attendance.added_reason,
            removed_reason=attendance.removed_reason,
        )
        due = note_due(status, attendance.removed_reason is not None)
    note_row = _note_row(note) if note else None
    progress = None
    if due:
        progress = note_progress(
            template,
            note_row.status if note_row else None,
            note_row.draft.fields if note_row else {},
        )
    return RosterEntry(
        participant_id=participant.id,
        name=display_name(
            participant.legal_first, participant.legal_last, participant.preferred_name
        ),
        initials=initials(participant.legal_first, participant.legal_last),
        chart_number=participant.chart_number,
        pronouns=participant.pronouns or "",
        goals=tuple(
            GoalRow(g.id, g.text, g.status) for g in participant.goals if g.status == "active"
        ),
        attendance=attendance_row,
        note=note_row,
        progress=progress,
        measures_due=marks.due.get(participant.id, ()),
        measure_risk=marks.risk.get(participant.id),
        record_name=legal_name(
            participant.legal_first, participant.legal_last, participant.preferred_name
        ),
    )


def _note_row(note: ParticipantNote) -> NoteRow:
    return NoteRow(
        note_id=note.id,
        status=NoteStatus(note.status),
        draft=NoteDraft(
            template=note.template,
            fields={str(k): str(v) for k, v in note.fields.items()},
            mood=note.mood,
            affect=note.affect,
            participation=note.participation,
            goals_addressed={
                str(item["goal_id"]): str(item["progress"]) for item in note.goals_addressed
            },
            risk=RiskFlags.from_dict(note.risk_flags),
        ),
    )
