"""The attendance report: hours per participant per ISO week against the program's target, and
the days under the daily minimum, over a date range (one group, or every group)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from facilitator.documents.common import (
    DocumentKind,
    DocumentNotFoundError,
    Provenance,
    SignedItem,
)
from facilitator.documents.provenance import provenance
from facilitator.domain.attendance import AttendanceStatus, TimeSpan, minutes_attended
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.progress import bucket_weeks, week_of
from facilitator.services.day_plan import closed_days
from facilitator.services.participant_record import DayHours, WeekHours
from facilitator.storage.models import (
    Attendance,
    Block,
    Enrollment,
    Group,
    GroupSession,
    Program,
)


@dataclass(frozen=True)
class AttendanceReportRow:
    name: str
    chart_number: str
    group: str
    weeks: tuple[WeekHours | None, ...]  # one per report week; None when not enrolled that week
    days: tuple[DayHours, ...]  # every day with attendance taken in the range

    @property
    def minutes(self) -> int:
        return sum(d.minutes for d in self.days)

    @property
    def short_days(self) -> tuple[DayHours, ...]:
        return tuple(d for d in self.days if d.under_minimum)


@dataclass(frozen=True)
class AttendanceReportDocument:
    provenance: Provenance
    first: date
    last: date
    scope: str  # the group's name, or "All groups"
    targets: tuple[str, ...]  # "Adult IOP: 9 h a week, at least 3 h a day"
    mondays: tuple[date, ...]
    rows: tuple[AttendanceReportRow, ...]

    def signed_items(self) -> list[SignedItem]:
        return []


def load_attendance_report(
    session: Session, first: date, last: date, group_id: uuid.UUID | None, now: datetime
) -> AttendanceReportDocument:
    """Everyone enrolled at some time between `first` and `last` (in the group, if given)."""
    if last < first:
        raise DocumentNotFoundError(f"The period ends ({last}) before it starts ({first}).")
    query = (
        select(Enrollment)
        .where(Enrollment.admitted <= last)
        .where(or_(Enrollment.discharged.is_(None), Enrollment.discharged >= first))
        .options(
            selectinload(Enrollment.participant),
            selectinload(Enrollment.group).selectinload(Group.program),
        )
    )
    scope = "All groups"
    if group_id is not None:
        group = session.get(Group, group_id)
        if group is None:
            raise DocumentNotFoundError("That group no longer exists.")
        scope = group.name
        query = query.where(Enrollment.group_id == group_id)
    enrollments = list(session.scalars(query))
    by_person: defaultdict[uuid.UUID, list[Enrollment]] = defaultdict(list)
    for enrollment in enrollments:
        by_person[enrollment.participant_id].append(enrollment)
    minutes = _day_minutes(session, list(by_person), first, last)
    group_ids = {e.group_id for e in enrollments}
    closed = closed_days(session, group_ids, first, last)
    held = _session_days(session, group_ids, first, last)
    for group_id, days in held.items():
        days -= closed.get(group_id, set())
    mondays = []
    monday = week_of(first)
    while monday <= last:
        mondays.append(monday)
        monday += timedelta(days=7)
    rows = [
        _row(found, minutes.get(pid, {}), held, closed, first, last, mondays, now.date())
        for pid, found in by_person.items()
    ]
    rows.sort(key=lambda r: (r.name.split()[-1].casefold(), r.name.casefold()))
    programs = {e.group.program.id: e.group.program for e in enrollments}
    program_name = next(iter(programs.values())).name if len(programs) == 1 else "All programs"
    return AttendanceReportDocument(
        provenance=provenance(session, DocumentKind.ATTENDANCE_REPORT, program_name, now),
        first=first,
        last=last,
        scope=scope,
        targets=tuple(_target(p) for p in sorted(programs.values(), key=lambda p: p.name)),
        mondays=tuple(mondays),
        rows=tuple(rows),
    )


def _target(program: Program) -> str:
    return (
        f"{program.name}: {_hours(program.weekly_target_minutes)} a week, "
        f"at least {_hours(program.daily_minimum_minutes)} a day"
    )


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def _day_minutes(
    session: Session, participant_ids: list[uuid.UUID], first: date, last: date
) -> dict[uuid.UUID, dict[date, int]]:
    """Attended minutes per participant per day, for days with attendance taken in the range."""
    rows = session.execute(
        select(
            Attendance.participant_id,
            Attendance.status,
            Attendance.arrived,
            Attendance.left,
            Attendance.removed_reason,
            GroupSession.day,
            Block.planned_start,
            Block.planned_end,
            Block.actual_start,
            Block.actual_end,
        )
        .join(Block, Attendance.block_id == Block.id)
        .join(GroupSession, Block.session_id == GroupSession.id)
        .where(Attendance.participant_id.in_(participant_ids))
        .where(GroupSession.day.between(first, last))
    )
    found: defaultdict[uuid.UUID, defaultdict[date, int]] = defaultdict(lambda: defaultdict(int))
    for pid, status, arrived, left, removed, day, p_start, p_end, a_start, a_end in rows:
        span = TimeSpan(a_start or p_start, a_end or p_end)
        counted = 0 if removed else minutes_attended(AttendanceStatus(status), span, arrived, left)
        found[pid][day] += counted
    return {pid: dict(days) for pid, days in found.items()}


def _session_days(
    session: Session, group_ids: set[uuid.UUID], first: date, last: date
) -> dict[uuid.UUID, set[date]]:
    held: defaultdict[uuid.UUID, set[date]] = defaultdict(set)
    for group_id, day in session.execute(
        select(GroupSession.group_id, GroupSession.day).where(
            GroupSession.group_id.in_(group_ids), GroupSession.day.between(first, last)
        )
    ):
        held[group_id].add(day)
    return held


def _row(
    enrollments: list[Enrollment],
    day_minutes: dict[date, int],
    held: dict[uuid.UUID, set[date]],
    closed: dict[uuid.UUID, set[date]],
    first: date,
    last: date,
    mondays: list[date],
    today: date,
) -> AttendanceReportRow:
    participant = enrollments[0].participant
    windows = [
        (max(e.admitted, first), min(e.discharged or last, last, today)) for e in enrollments
    ]
    windows = [(a, b) for a, b in windows if a <= b]
    session_days = {
        day
        for e in enrollments
        for day in held.get(e.group_id, set())
        if EnrollmentPeriod(e.admitted, e.discharged).is_active_on(day)
    }
    closed_days = {day for e in enrollments for day in closed.get(e.group_id, set())}
    buckets = {b.monday: b for b in bucket_weeks(day_minutes, windows, session_days)}
    program = enrollments[-1].group.program
    weeks = [
        WeekHours.of(buckets[monday], program.weekly_target_minutes, today)
        if monday in buckets
        else None
        for monday in mondays
    ]
    return AttendanceReportRow(
        name=f"{participant.legal_first} {participant.legal_last}",
        chart_number=participant.chart_number,
        group=", ".join(sorted({e.group.name for e in enrollments})),
        weeks=tuple(weeks),
        days=tuple(
            DayHours(day, minutes, program.daily_minimum_minutes, day in closed_days)
            for day, minutes in sorted(day_minutes.items())
        ),
    )
