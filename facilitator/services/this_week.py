"""What Today and the runner show about the week: milestones, measures due, measure risk."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from facilitator.domain.measures import MeasureSchedule, measures_due
from facilitator.domain.milestones import MilestoneKind, milestones_between
from facilitator.domain.people import display_name
from facilitator.domain.progress import week_of
from facilitator.services.enrollment_chain import program_admissions
from facilitator.services.measure_results import standing
from facilitator.storage.models import (
    Enrollment,
    Group,
    Measure,
    MeasureResult,
    Participant,
    Program,
)

RISK_WINDOW_DAYS = 28
Taken = dict[str, list[date]]  # measure code -> days a result was recorded


@dataclass(frozen=True)
class MilestoneRow:
    participant_id: uuid.UUID
    name: str
    group: str
    day: date
    kind: MilestoneKind
    label: str


@dataclass(frozen=True)
class MeasureDueRow:
    participant_id: uuid.UUID
    name: str
    group: str
    code: str
    measure: str
    scheduled: date
    reason: str  # "admission", "week 4", "discharge"
    overdue: bool


@dataclass(frozen=True)
class _Enrolled:
    participant: Participant
    enrollment: Enrollment
    group: Group
    program: Program
    admitted: date  # in the program: a transfer within it continues the count

    @property
    def name(self) -> str:
        p = self.participant
        return display_name(p.legal_first, p.legal_last, p.preferred_name)

    @property
    def discharged(self) -> date | None:
        """The discharge day; None while enrolled or when a transfer continued the stay."""
        return None if self.enrollment.transferred_to_id else self.enrollment.discharged

    @property
    def ends(self) -> date | None:
        """The discharge day, else the planned completion, else None."""
        if self.discharged is not None:
            return self.discharged
        weeks = self.program.length_weeks
        return self.admitted + timedelta(weeks=weeks) if weeks else None


def week_milestones(session: Session, day: date) -> list[MilestoneRow]:
    """Milestones in the Monday-to-Sunday week holding `day`, of people enrolled that week."""
    monday = week_of(day)
    sunday = monday + timedelta(days=6)
    rows = []
    for e in _enrolled_between(session, monday, sunday):
        for milestone in milestones_between(
            monday,
            sunday,
            e.admitted,
            e.participant.recovery_start,
            e.program.length_weeks,
            e.discharged,
        ):
            rows.append(
                MilestoneRow(
                    e.participant.id,
                    e.name,
                    e.group.name,
                    milestone.day,
                    milestone.kind,
                    milestone.label,
                )
            )
    rows.sort(key=lambda r: (r.day, r.group, r.name))
    return rows


def week_measures_due(
    session: Session, day: date, participant_ids: Collection[uuid.UUID] | None = None
) -> list[MeasureDueRow]:
    """Measures due (or overdue) in the week holding `day`, by each program's schedule; a result
    marked entered in error does not count as given."""
    monday = week_of(day)
    sunday = monday + timedelta(days=6)
    enrolled = _enrolled_between(session, monday, sunday, participant_ids)
    taken = _taken(session, {e.participant.id for e in enrolled})
    names = {code: name for code, name in session.execute(select(Measure.code, Measure.name))}
    rows = []
    for e in enrolled:
        schedule = MeasureSchedule.from_dict(e.program.measure_schedule or {})
        for due in measures_due(schedule, e.admitted, e.ends, taken[e.participant.id], day):
            rows.append(
                MeasureDueRow(
                    e.participant.id,
                    e.name,
                    e.group.name,
                    due.code,
                    names.get(due.code, due.code),
                    due.point.day,
                    due.point.reason,
                    due.overdue,
                )
            )
    rows.sort(key=lambda r: (r.group, r.name, r.code))
    return rows


def measure_risk(
    session: Session, participant_ids: Collection[uuid.UUID], day: date
) -> dict[uuid.UUID, str]:
    """For each person whose latest result of a measure in the 4 weeks up to `day` raised
    risk (PHQ-9 item 9 above zero), why. A later result of that measure without risk clears it;
    a result marked entered in error counts for nothing.
    """
    if not participant_ids:
        return {}
    rows = session.execute(
        select(
            MeasureResult.participant_id, Measure.name, MeasureResult.taken_on, MeasureResult.risk
        )
        .join(Measure, MeasureResult.measure_id == Measure.id)
        .where(
            MeasureResult.participant_id.in_(participant_ids),
            MeasureResult.taken_on.between(day - timedelta(days=RISK_WINDOW_DAYS), day),
            standing(),
        )
        .order_by(MeasureResult.taken_on, MeasureResult.recorded_at)
    ).all()
    latest = {(pid, name): (taken_on, risk) for pid, name, taken_on, risk in rows}
    found: dict[uuid.UUID, str] = {}
    for (participant_id, name), (taken_on, risk) in latest.items():
        if risk:
            found.setdefault(
                participant_id, f"{name} on {taken_on:%Y-%m-%d}: self-harm item above zero"
            )
    return found


def _enrolled_between(
    session: Session,
    first: date,
    last: date,
    participant_ids: Collection[uuid.UUID] | None = None,
) -> list[_Enrolled]:
    statement = (
        select(Enrollment, Participant, Group, Program)
        .join(Participant, Enrollment.participant_id == Participant.id)
        .join(Group, Enrollment.group_id == Group.id)
        .join(Program, Group.program_id == Program.id)
        .where(
            Enrollment.admitted <= last,
            or_(Enrollment.discharged.is_(None), Enrollment.discharged >= first),
        )
    )
    if participant_ids is not None:
        statement = statement.where(Enrollment.participant_id.in_(participant_ids))
    rows = session.execute(statement).all()
    shown = {enrollment.id for enrollment, *_ in rows}
    # a transfer in the range: the stay shows once, in the group it continues in
    kept = [row for row in rows if row[0].transferred_to_id not in shown]
    admitted = program_admissions(session, [enrollment for enrollment, *_ in kept])
    return [
        _Enrolled(participant, enrollment, group, program, admitted[enrollment.id])
        for enrollment, participant, group, program in kept
    ]


def _taken(
    session: Session, participant_ids: set[uuid.UUID]
) -> defaultdict[uuid.UUID, dict[str, list[date]]]:
    taken: defaultdict[uuid.UUID, dict[str, list[date]]] = defaultdict(dict)
    if not participant_ids:
        return taken
    rows = session.execute(
        select(MeasureResult.participant_id, Measure.code, MeasureResult.taken_on)
        .join(Measure, MeasureResult.measure_id == Measure.id)
        .where(MeasureResult.participant_id.in_(participant_ids), standing())
    )
    for participant_id, code, taken_on in rows:
        taken[participant_id].setdefault(code, []).append(taken_on)
    return taken
