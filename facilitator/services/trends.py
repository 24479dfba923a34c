"""A participant's trends over their enrollments: measure totals, craving, hours per week."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.milestones import MilestoneKind, milestones_between
from facilitator.domain.notes import CRAVING_MAX
from facilitator.domain.trends import TrendMarker, TrendPoint, Trends, TrendSeries, WeekBar
from facilitator.services.enrollment_chain import previous_of, stay_admitted
from facilitator.services.measure_results import MeasureResultRow, participant_results
from facilitator.services.participant_record import WeekHours
from facilitator.storage.models import (
    Block,
    Enrollment,
    Group,
    GroupSession,
    Participant,
    ParticipantNote,
    Program,
)

CRAVING_CODE = "CRAVING"


def load_trends(
    session: Session, participant_id: uuid.UUID, weeks: tuple[WeekHours, ...], today: date
) -> Trends:
    """Plots' data from admission through discharge or today; `weeks` from the record."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise DomainError("That participant is no longer in the records.")
    enrollments = session.execute(
        select(Enrollment, Program.length_weeks, Group.program_id)
        .join(Group, Enrollment.group_id == Group.id)
        .join(Program, Group.program_id == Program.id)
        .where(Enrollment.participant_id == participant_id)
        .order_by(Enrollment.admitted)
    ).all()
    results = participant_results(session, participant_id)
    by_measure: dict[str, list[TrendPoint]] = defaultdict(list)
    scale: dict[str, tuple[int, int]] = {}
    for r in results:
        if r.code == CRAVING_CODE:
            continue  # plotted with the craving from notes
        by_measure[r.name].append(_point(r))
        scale[r.name] = (r.low, r.high)
    craving = [
        TrendSeries("Craving in notes", tuple(_note_craving(session, participant_id)), 0, 10),
        TrendSeries(
            "Craving measure",
            tuple(_point(r) for r in results if r.code == CRAVING_CODE),
            0,
            CRAVING_MAX,
        ),
    ]
    days = [p.day for points in by_measure.values() for p in points]
    days += [p.day for s in craving for p in s.points] + [w.monday for w in weeks]
    admissions = [e.admitted for e, _, _ in enrollments]
    first = min([*admissions, *days], default=today)
    ends = [e.discharged for e, _, _ in enrollments]
    last = min(today, ends[-1]) if ends and ends[-1] is not None else today
    last = max([last, first, *days])
    return Trends(
        first=first,
        last=last,
        measures=tuple(
            TrendSeries(name, tuple(points), *scale[name]) for name, points in by_measure.items()
        ),
        craving=tuple(craving),
        weeks=tuple(
            WeekBar(
                w.monday,
                w.minutes / 60,
                w.target_minutes / 60 if w.target_minutes is not None else None,
                w.status,
            )
            for w in weeks
        ),
        markers=tuple(_markers(enrollments, participant.recovery_start, first, last)),
    )


def _point(result: MeasureResultRow) -> TrendPoint:
    """A measure's total; its detail says the band, that it was corrected if it was, and that
    its risk item was above zero if it was."""
    detail = f"{result.band} (corrected)" if result.corrected else result.band
    if result.risk:
        detail += "; self-harm item above zero"
    return TrendPoint(result.taken_on, result.total, detail, result.risk)


def _note_craving(session: Session, participant_id: uuid.UUID) -> list[TrendPoint]:
    """The highest craving recorded in the day's notes, per day."""
    rows = session.execute(
        select(GroupSession.day, ParticipantNote.risk_flags)
        .join(Block, ParticipantNote.block_id == Block.id)
        .join(GroupSession, Block.session_id == GroupSession.id)
        .where(ParticipantNote.participant_id == participant_id)
    )
    highest: dict[date, int] = {}
    for day, flags in rows:
        value = (flags or {}).get("craving")
        if isinstance(value, int) and not isinstance(value, bool):
            highest[day] = max(value, highest.get(day, value))
    return [TrendPoint(day, value, "from notes") for day, value in sorted(highest.items())]


def _markers(
    enrollments: Sequence[Row[Enrollment, int | None, uuid.UUID]],
    recovery_start: date | None,
    first: date,
    last: date,
) -> list[TrendMarker]:
    markers = []
    continued = {e.transferred_to_id for e, _, _ in enrollments}
    previous = previous_of(e for e, _, _ in enrollments)
    programs = {e.group_id: program_id for e, _, program_id in enrollments}
    for enrollment, length_weeks, _ in enrollments:
        if enrollment.id not in continued:  # a transfer's marker stands for its start
            markers.append(TrendMarker(enrollment.admitted, "Admitted"))
        end = enrollment.discharged or last
        start = stay_admitted(enrollment, previous, programs)  # a transfer continues the count
        for milestone in milestones_between(
            enrollment.admitted, end, start, None, length_weeks, end
        ):
            if milestone.kind is MilestoneKind.COMPLETION:
                markers.append(TrendMarker(milestone.day, milestone.label))
        if enrollment.discharged is not None and enrollment.transferred_to_id is not None:
            moved = enrollment.discharged + timedelta(days=1)
            markers.append(TrendMarker(moved, enrollment.discharge_reason or "Transferred"))
        elif enrollment.discharged is not None:
            markers.append(TrendMarker(enrollment.discharged, "Discharged"))
    if recovery_start is not None:
        markers += [
            TrendMarker(m.day, m.label)
            for m in milestones_between(first, last, first, recovery_start)
            if m.kind is MilestoneKind.RECOVERY
        ]
    return sorted((m for m in markers if first <= m.day <= last), key=lambda m: m.day)
