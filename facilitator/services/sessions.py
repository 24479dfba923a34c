"""A group's session on a date, made from its day plan when first needed (opened in the runner,
printed or exported, attendance taken). Once made, its blocks are rows: a later schedule change
never moves them."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from facilitator.domain.errors import DomainError
from facilitator.domain.schedule import DayBlock, GroupDay
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.day_plan import day_exceptions, group_plan
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Attendance,
    Block,
    BlockFacilitator,
    Group,
    GroupSession,
    Modality,
    ParticipantNote,
)
from facilitator.storage.unit_of_work import unit_of_work


def find_session(session: Session, group_id: uuid.UUID, day: date) -> GroupSession | None:
    return session.scalar(
        select(GroupSession).where(GroupSession.group_id == group_id, GroupSession.day == day)
    )


def load_group(session: Session, group_id: uuid.UUID) -> Group:
    group = session.get(Group, group_id, options=[selectinload(Group.schedule)])
    if group is None:
        raise DomainError("That group no longer exists.")
    return group


def plan_of(session: Session, group: Group, day: date) -> GroupDay:
    """The group's day plan as the schedule and the day's exceptions make it now."""
    modalities = {m.id: m for m in session.scalars(select(Modality))}
    return group_plan(group, day, day_exceptions(session, day), modalities)


def ensure_session(
    session: Session,
    group_id: uuid.UUID,
    day: date,
    audit: AuditTrail | None = None,
    actor: uuid.UUID | None = None,
) -> GroupSession:
    """The group's session on `day`, made from the day's plan if it does not exist yet.

    Safe to call twice; made at once elsewhere, the flush fails on the unique group and day and
    open_session's retry finds it. A closed day, or a day the group does not meet, is refused
    with a DomainError.
    """
    existing = find_session(session, group_id, day)
    if existing is not None:
        return existing
    group = load_group(session, group_id)
    plan = plan_of(session, group, day)
    if plan.closed is not None:
        raise DomainError(
            f"{group.name} does not meet on {day:%A %d %B %Y}: the day is closed "
            f"({plan.closed}). Withdraw the closure first to run a session that day."
        )
    if not plan.running:
        raise DomainError(
            f"{group.name} has no blocks on {day:%A %d %B %Y}: its schedule does not meet "
            "that day (or every block is cancelled)."
        )
    made = GroupSession(group_id=group.id, day=day)
    session.add(made)
    session.flush()  # a session made meanwhile elsewhere fails here (unique group and day)
    for block in plan.running:
        add_block(session, made, group, block)
    renumber(session, made)
    if audit is not None:
        audit.record(
            session,
            actor=actor,
            action=AuditAction.CREATE,
            object_type="group_session",
            object_id=str(made.id),
            detail={"group_id": str(group.id), "day": day.isoformat(), "blocks": len(plan.running)},
        )
    return made


def add_block(session: Session, made: GroupSession, group: Group, planned: DayBlock) -> Block:
    """A block row for a planned block, at the end of the session (renumber() orders it)."""
    modality_id = session.scalar(select(Modality.id).where(Modality.code == planned.modality))
    last = session.scalar(select(func.max(Block.sequence)).where(Block.session_id == made.id))
    block = Block(
        session_id=made.id,
        sequence=(last or 0) + 1,
        modality_id=modality_id,
        planned_start=planned.start,
        planned_end=planned.end,
        template_id=planned.template_id,
        room=planned.room if planned.room != group.room else None,
    )
    block.facilitators = [
        BlockFacilitator(clinician_id=f.clinician_id, role=f.role) for f in planned.facilitators
    ]
    session.add(block)
    session.flush()
    return block


def renumber(session: Session, made: GroupSession) -> None:
    """Number the session's blocks in time order (1, 2, 3 ...)."""
    blocks = list(session.scalars(select(Block).where(Block.session_id == made.id)))
    blocks.sort(key=lambda b: (b.planned_start, b.planned_end))
    if [b.sequence for b in blocks] == list(range(1, len(blocks) + 1)):
        return
    for index, block in enumerate(blocks, start=1):  # out of the way first: sequences are unique
        block.sequence = 1000 + index
    session.flush()
    for index, block in enumerate(blocks, start=1):
        block.sequence = index
    session.flush()


def block_in_use(session: Session, block: Block) -> bool:
    """Whether the block has started, or holds attendance or notes."""
    if block.actual_start is not None:
        return True
    for model in (Attendance, ParticipantNote):
        found = session.scalar(select(model.id).where(model.block_id == block.id).limit(1))
        if found is not None:
            return True
    return False


def open_session(
    database: Database,
    group_id: uuid.UUID,
    day: date,
    audit: AuditTrail | None = None,
    actor: uuid.UUID | None = None,
) -> uuid.UUID:
    """ensure_session in its own transaction; the id of the group's session on `day`."""
    try:
        with unit_of_work(database) as session:
            return ensure_session(session, group_id, day, audit, actor).id
    except IntegrityError:  # made by another window or computer between the read and the write
        with unit_of_work(database) as session:
            found = find_session(session, group_id, day)
            if found is None:
                raise
            return found.id
