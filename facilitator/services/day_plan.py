"""What a date holds for every group, read from the schedule and its exceptions, with the
sessions already made taking precedence. Reading a day never writes anything."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, time
from functools import partial

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.schedule import (
    BlockTemplate,
    DayException,
    ExceptionKind,
    Facilitator,
    GroupDay,
    plan_group_day,
)
from facilitator.storage.models import (
    Block,
    BlockFacilitator,
    Clinician,
    Enrollment,
    Group,
    GroupSession,
    Modality,
    ScheduleException,
)

SUBSTITUTE_PREFIX = "substitute: "  # how the plan words a substitute (domain.schedule)


@dataclass(frozen=True)
class PlannedBlockRow:
    """One block of a day: made (session_id and block_id set) or still only planned."""

    group_id: uuid.UUID
    group: str
    session_id: uuid.UUID | None
    block_id: uuid.UUID | None
    template_id: uuid.UUID | None  # the schedule entry it comes from; None: an extra block
    start: time
    end: time
    modality_code: str
    modality: str
    topic: str
    room: str
    facilitators: str
    roster: int  # participants enrolled that day
    marker: str | None = None  # "closed: reason", "cancelled: reason"
    changes: tuple[str, ...] = ()  # "moved from 09:00-10:00: reason", "substitute: reason"

    @property
    def runs(self) -> bool:
        return self.marker is None


@dataclass(frozen=True)
class GroupDayRow:
    group_id: uuid.UUID
    group: str
    day: date
    session_id: uuid.UUID | None
    closed: str | None
    roster: int
    blocks: tuple[PlannedBlockRow, ...]


def plan_day(session: Session, day: date, group_id: uuid.UUID | None = None) -> list[GroupDayRow]:
    """Every group meeting on `day` (or only `group_id`), by its first block's time."""
    query = select(Group).options(selectinload(Group.schedule), selectinload(Group.program))
    if group_id is not None:
        query = query.where(Group.id == group_id)
    found = list(session.scalars(query))
    made = {
        s.group_id: s
        for s in session.scalars(
            select(GroupSession)
            .where(GroupSession.day == day)
            .options(
                selectinload(GroupSession.blocks).selectinload(Block.modality),
                selectinload(GroupSession.blocks).selectinload(Block.topic),
                selectinload(GroupSession.blocks)
                .selectinload(Block.facilitators)
                .selectinload(BlockFacilitator.clinician),
            )
        )
    }
    exceptions = day_exceptions(session, day)
    modalities = {m.id: m for m in session.scalars(select(Modality))}
    names = {
        cid: name for cid, name in session.execute(select(Clinician.id, Clinician.display_name))
    }
    roster = enrolled_by_group(session, {g.id for g in found}, day)
    rows = []
    for group in found:
        planned = group_plan(group, day, exceptions, modalities)
        existing = made.get(group.id)
        if existing is None and not (group.active and planned.blocks):
            continue
        rows.append(
            _group_row(group, planned, existing, modalities, names, roster.get(group.id, 0))
        )
    rows.sort(key=lambda r: (r.blocks[0].start if r.blocks else time(), r.group))
    return rows


def day_exceptions(session: Session, day: date) -> list[ScheduleException]:
    """The exceptions in force on `day` (not withdrawn), oldest first."""
    return list(
        session.scalars(
            select(ScheduleException)
            .where(ScheduleException.day == day, ScheduleException.withdrawn_at.is_(None))
            .order_by(ScheduleException.created_at)
        )
    )


def made_block_changes(
    session: Session, group: Group, day: date
) -> dict[uuid.UUID, tuple[str, ...]]:
    """What the day's moves and substitutes changed in the group's scheduled blocks, by schedule
    entry, as Today plans them ("Moved from 09:00-10:00: reason", "Substitute: name: reason").
    One query when the day has none for the group (the usual day)."""
    concerning = [
        e
        for e in day_exceptions(session, day)
        if e.group_id == group.id and e.kind in (ExceptionKind.MOVED, ExceptionKind.SUBSTITUTE)
    ]
    if not concerning:
        return {}
    modalities = {t.modality_id: t.modality for t in group.schedule}
    changed = {}
    for block in group_plan(group, day, concerning, modalities).blocks:
        if block.template_id is None or not block.changes:
            continue
        lead = next((f.clinician_id for f in block.facilitators if f.role == "lead"), None)
        substitute = session.get(Clinician, lead) if lead is not None else None
        changed[block.template_id] = tuple(
            _runner_change(text, substitute.display_name if substitute else "")
            for text in block.changes
        )
    return changed


def _runner_change(change: str, substitute: str) -> str:
    """The plan's "substitute: reason" with who substitutes; every change capitalised."""
    if change.startswith(SUBSTITUTE_PREFIX):
        return f"Substitute: {substitute}: {change.removeprefix(SUBSTITUTE_PREFIX)}"
    return change[:1].upper() + change[1:]


def group_plan(
    group: Group,
    day: date,
    exceptions: list[ScheduleException],
    modalities: dict[uuid.UUID, Modality],
) -> GroupDay:
    """The group's day from its schedule entries and the exceptions that concern it."""
    templates = [
        BlockTemplate(
            t.weekday,
            t.start,
            t.end,
            modalities[t.modality_id].code,
            t.room,
            t.effective_from,
            t.effective_until,
            t.id,
        )
        for t in group.schedule
    ]
    concerning = [
        _day_exception(e, modalities)
        for e in exceptions
        if e.group_id == group.id or (e.group_id is None and e.kind == ExceptionKind.CLOSED)
    ]
    return plan_group_day(day, templates, concerning, group.room, group_facilitators(group))


def group_facilitators(group: Group) -> tuple[Facilitator, ...]:
    """The group's lead and co-facilitator, as its blocks are led by default."""
    leads = []
    if group.default_facilitator_id is not None:
        leads.append(Facilitator(group.default_facilitator_id, "lead"))
    if group.co_facilitator_id not in (None, group.default_facilitator_id):
        assert group.co_facilitator_id is not None
        leads.append(Facilitator(group.co_facilitator_id, "co-facilitator"))
    return tuple(leads)


def _day_exception(row: ScheduleException, modalities: dict[uuid.UUID, Modality]) -> DayException:
    return DayException(
        kind=ExceptionKind(row.kind),
        reason=row.reason,
        template_id=row.template_id,
        start=row.start,
        end=row.end,
        modality=modalities[row.modality_id].code if row.modality_id else None,
        room=row.room,
        clinician_id=row.clinician_id,
        clinic_wide=row.group_id is None,
        exception_id=row.id,
    )


def _group_row(
    group: Group,
    planned: GroupDay,
    existing: GroupSession | None,
    modalities: dict[uuid.UUID, Modality],
    names: dict[uuid.UUID, str],
    roster: int,
) -> GroupDayRow:
    by_code = {m.code: m for m in modalities.values()}

    row = partial(PlannedBlockRow, group_id=group.id, group=group.name, roster=roster)
    blocks = []
    made_templates = set()
    if existing is not None:
        for block in existing.blocks:
            made_templates.add(block.template_id)
            blocks.append(
                row(
                    session_id=existing.id,
                    block_id=block.id,
                    template_id=block.template_id,
                    start=block.actual_start or block.planned_start,
                    end=block.actual_end or block.planned_end,
                    modality_code=block.modality.code,
                    modality=block.modality.name,
                    topic=block.topic.title if block.topic else (block.free_topic or ""),
                    room=block.room or group.room,
                    facilitators=", ".join(f.clinician.display_name for f in block.facilitators),
                )
            )
    for planned_block in planned.blocks:
        if existing is not None and (
            planned_block.runs or planned_block.template_id in made_templates
        ):
            continue  # the session's own rows stand; only what does not run is added
        modality = by_code[planned_block.modality]
        blocks.append(
            row(
                session_id=None,
                block_id=None,
                template_id=planned_block.template_id,
                start=planned_block.start,
                end=planned_block.end,
                modality_code=modality.code,
                modality=modality.name,
                topic="",
                room=planned_block.room,
                facilitators=", ".join(
                    names.get(f.clinician_id, "") for f in planned_block.facilitators
                ),
                marker=planned_block.marker,
                changes=planned_block.changes,
            )
        )
    blocks.sort(key=lambda b: (b.start, b.end))
    return GroupDayRow(
        group_id=group.id,
        group=group.name,
        day=planned.day,
        session_id=existing.id if existing else None,
        closed=planned.closed if existing is None else None,
        roster=roster,
        blocks=tuple(blocks),
    )


def enrolled_by_group(session: Session, group_ids: set[uuid.UUID], day: date) -> Counter[uuid.UUID]:
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


def closed_days(
    session: Session, group_ids: set[uuid.UUID], first: date, last: date
) -> dict[uuid.UUID, set[date]]:
    """The days from `first` through `last` each group was closed (its own closures and the
    clinic's)."""
    closed: dict[uuid.UUID, set[date]] = {}
    for group_id, day in session.execute(
        select(ScheduleException.group_id, ScheduleException.day).where(
            ScheduleException.kind == ExceptionKind.CLOSED.value,
            ScheduleException.withdrawn_at.is_(None),
            ScheduleException.day.between(first, last),
            or_(ScheduleException.group_id.is_(None), ScheduleException.group_id.in_(group_ids)),
        )
    ):
        for each in group_ids if group_id is None else {group_id}:
            closed.setdefault(each, set()).add(day)
    return closed
