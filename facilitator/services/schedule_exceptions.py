"""Changes to one day of the schedule: close a day (the clinic or a group), cancel or move a
block, a substitute facilitator, an extra one-off block; and withdrawing any of them.

Administrators and supervisors only; each change is audited (ids, kind and date, never the
reason's text). A session already made for that day follows the change while the blocks
concerned are untouched; a block that started or holds attendance or notes is never changed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from facilitator.domain.errors import DomainError
from facilitator.domain.schedule import (
    DayBlock,
    DayException,
    ExceptionKind,
    Facilitator,
    GroupDay,
    check_day_overlap,
)
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.sessions import (
    add_block,
    block_in_use,
    find_session,
    load_group,
    plan_of,
    renumber,
)
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Block,
    BlockFacilitator,
    BlockTemplate,
    Clinician,
    Group,
    GroupSession,
    Modality,
    ScheduleException,
)
from facilitator.storage.types import utcnow
from facilitator.storage.unit_of_work import unit_of_work


@dataclass(frozen=True)
class Change:
    """One requested exception, before it is checked."""

    kind: ExceptionKind
    day: date
    reason: str
    group_id: uuid.UUID | None = None  # None only for a clinic-wide closure
    template_id: uuid.UUID | None = None
    start: time | None = None
    end: time | None = None
    modality_code: str | None = None
    room: str | None = None
    clinician_id: uuid.UUID | None = None


class ScheduleExceptions:
    """The day changes `user` makes, each in one transaction."""

    def __init__(
        self,
        database: Database,
        audit: AuditTrail,
        user: SignedInUser,
    ) -> None:
        if user.role not in (Role.ADMINISTRATOR, Role.SUPERVISOR):
            raise DomainError(
                "Only an administrator or a supervisor can close a day or change its blocks."
            )
        self._database = database
        self._audit = audit
        self._user = user

    def close_day(self, day: date, reason: str, group_id: uuid.UUID | None = None) -> uuid.UUID:
        """Close the clinic (no group) or one group on `day`."""
        return self.apply(Change(ExceptionKind.CLOSED, day, reason, group_id))

    def cancel_block(
        self, group_id: uuid.UUID, day: date, template_id: uuid.UUID, reason: str
    ) -> uuid.UUID:
        return self.apply(Change(ExceptionKind.CANCELLED, day, reason, group_id, template_id))

    def move_block(
        self,
        group_id: uuid.UUID,
        day: date,
        template_id: uuid.UUID,
        start: time,
        end: time,
        reason: str,
        room: str | None = None,
    ) -> uuid.UUID:
        change = Change(
            ExceptionKind.MOVED, day, reason, group_id, template_id, start, end, room=room
        )
        return self.apply(change)

    def substitute(
        self,
        group_id: uuid.UUID,
        day: date,
        clinician_id: uuid.UUID,
        reason: str,
        template_id: uuid.UUID | None = None,
    ) -> uuid.UUID:
        """`clinician_id` leads one block (template_id) or every block of the group's day."""
        change = Change(
            ExceptionKind.SUBSTITUTE, day, reason, group_id, template_id, clinician_id=clinician_id
        )
        return self.apply(change)

    def add_extra_block(
        self,
        group_id: uuid.UUID,
        day: date,
        start: time,
        end: time,
        modality_code: str,
        reason: str,
        room: str | None = None,
    ) -> uuid.UUID:
        change = Change(
            ExceptionKind.EXTRA, day, reason, group_id, None, start, end, modality_code, room
        )
        return self.apply(change)

    def withdraw(self, exception_id: uuid.UUID) -> None:
        """The exception no longer applies; a session already made that day follows."""
        with unit_of_work(self._database) as session:
            row = session.get(ScheduleException, exception_id)
            if row is None or row.withdrawn_at is not None:
                raise DomainError("That change to the schedule was already withdrawn.")
            row.withdrawn_at, row.withdrawn_by = utcnow(), self._user.id
            session.flush()
            for group in _groups_concerned(session, row):
                _check_overlap(session, group, row.day)
                _follow(session, group, row.day, row, "withdrawn")
            self._record(session, AuditAction.EDIT, row, {"withdrawn": True})

    def apply(self, change: Change) -> uuid.UUID:
        """Make `change` (any kind); a DomainError says why it cannot be, and nothing is saved."""
        with unit_of_work(self._database) as session:
            row = _checked_row(session, change)
            row.created_by = self._user.id
            session.add(row)
            session.flush()
            for group in _groups_concerned(session, row):
                _check_overlap(session, group, change.day)
                _follow(session, group, change.day, row, _VERBS[change.kind])
            self._record(session, AuditAction.CREATE, row, {})
            return row.id

    def _record(
        self, session: Session, action: AuditAction, row: ScheduleException, extra: dict[str, bool]
    ) -> None:
        self._audit.record(
            session,
            actor=self._user.id,
            action=action,
            object_type="schedule_exception",
            object_id=str(row.id),
            detail={
                "kind": row.kind,
                "day": row.day.isoformat(),
                "group_id": str(row.group_id) if row.group_id else None,
                "template_id": str(row.template_id) if row.template_id else None,
                **extra,
            },
        )


_VERBS = {
    ExceptionKind.CLOSED: "closed",
    ExceptionKind.CANCELLED: "cancelled",
    ExceptionKind.MOVED: "moved",
    ExceptionKind.SUBSTITUTE: "given a substitute",
    ExceptionKind.EXTRA: "given an extra block",
}


_HINTS = {
    "closed": "Record what happened in the runner instead: mark who was absent with the "
    "reason, or end the block early.",
    "given a substitute": "Give the substitute block by block, for the blocks still to come.",
    "withdrawn": "What was recorded stays as it is; record any difference in the runner.",
}


def _checked_row(session: Session, change: Change) -> ScheduleException:
    """The exception's row once the change is valid; a DomainError says what is wrong."""
    DayException(  # the reason and the fields each kind needs
        change.kind,
        change.reason,
        change.template_id,
        change.start,
        change.end,
        change.modality_code,
        change.room,
        change.clinician_id,
        clinic_wide=change.group_id is None,
    )
    if change.group_id is None and change.kind is not ExceptionKind.CLOSED:
        raise DomainError("Say which group's block changes.")
    group = load_group(session, change.group_id) if change.group_id else None
    if group is not None and change.template_id is not None:
        template = session.get(BlockTemplate, change.template_id)
        if template is None or template.group_id != group.id:
            raise DomainError(f"That block is not on {group.name}'s schedule.")
        planned = plan_of(session, group, change.day).blocks
        if change.template_id not in {b.template_id for b in planned}:
            raise DomainError(f"{group.name} has no such block on {change.day:%A %d %B %Y}.")
    modality_id = _modality_id(session, change.modality_code)
    if change.clinician_id is not None:
        clinician = session.get(Clinician, change.clinician_id)
        if clinician is None or not clinician.active:
            raise DomainError("That clinician's account is deactivated; choose an active one.")
    _refuse_duplicate(session, change)
    return ScheduleException(
        day=change.day,
        group_id=change.group_id,
        kind=change.kind.value,
        template_id=change.template_id,
        start=change.start,
        end=change.end,
        modality_id=modality_id,
        room=(change.room or "").strip() or None,
        clinician_id=change.clinician_id,
        reason=change.reason.strip(),
    )


def _modality_id(session: Session, code: str | None) -> uuid.UUID | None:
    if code is None:
        return None
    modality = session.scalar(select(Modality).where(Modality.code == code))
    if modality is None or not modality.active:
        known = ", ".join(sorted(session.scalars(select(Modality.code).where(Modality.active))))
        raise DomainError(f'There is no modality "{code}" in use. Modalities: {known}.')
    return modality.id


def _refuse_duplicate(session: Session, change: Change) -> None:
    if change.kind is ExceptionKind.EXTRA:
        return
    same = session.scalar(
        select(ScheduleException.id).where(
            ScheduleException.day == change.day,
            ScheduleException.kind == change.kind.value,
            ScheduleException.withdrawn_at.is_(None),
            _is(ScheduleException.group_id, change.group_id),
            _is(ScheduleException.template_id, change.template_id),
        )
    )
    if same is not None:
        raise DomainError(
            f"That is already {_VERBS[change.kind]} on {change.day:%A %d %B %Y}; withdraw the "
            "earlier change first to make another."
        )


def _is(
    column: InstrumentedAttribute[uuid.UUID | None], value: uuid.UUID | None
) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _groups_concerned(session: Session, row: ScheduleException) -> list[Group]:
    if row.group_id is not None:
        return [load_group(session, row.group_id)]
    return list(session.scalars(select(Group)))


def _check_overlap(session: Session, group: Group, day: date) -> None:
    check_day_overlap(plan_of(session, group, day))


def _follow(session: Session, group: Group, day: date, row: ScheduleException, verb: str) -> None:
    """Bring the group's session of `day`, if already made, in line with its plan now.

    Only the blocks the change concerns move; one in use refuses the change.
    """
    made = find_session(session, group.id, day)
    if made is None:
        return
    plan = plan_of(session, group, day)
    blocks = list(session.scalars(select(Block).where(Block.session_id == made.id)))
    if plan.closed is not None or not plan.running:
        for each in blocks:
            _refuse_in_use(session, each, group, day, verb)
        for each in blocks:
            session.delete(each)
        session.flush()
        session.delete(made)
        return
    if row.kind == ExceptionKind.EXTRA.value:
        _follow_extra(session, made, group, blocks, plan.running, row, verb)
    elif row.template_id is None:  # a substitute for the day: every block's leads, no times
        for block in blocks:
            planned = next((p for p in plan.running if p.template_id == block.template_id), None)
            if planned is not None and _leads(block) != set(planned.facilitators):
                _refuse_in_use(session, block, group, day, verb)
                _set_leads(session, block, planned)
    else:
        _follow_block(session, made, group, blocks, plan, row.template_id, verb)
    session.flush()
    renumber(session, made)


def _follow_block(
    session: Session,
    made: GroupSession,
    group: Group,
    blocks: list[Block],
    plan: GroupDay,
    template_id: uuid.UUID,
    verb: str,
) -> None:
    """The one scheduled block a change concerns: taken off, put back, moved or led anew."""
    planned = next((p for p in plan.blocks if p.template_id == template_id), None)
    block = next((b for b in blocks if b.template_id == template_id), None)
    if planned is None:
        return
    if block is not None and not planned.runs:
        _refuse_in_use(session, block, group, made.day, verb)
        session.delete(block)
    elif block is None and planned.runs:
        add_block(session, made, group, planned)
    elif block is not None:
        room = planned.room if planned.room != group.room else None
        where = (block.planned_start, block.planned_end, block.room)
        if where != (planned.start, planned.end, room) or _leads(block) != set(
            planned.facilitators
        ):
            _refuse_in_use(session, block, group, made.day, verb)
            block.planned_start, block.planned_end, block.room = planned.start, planned.end, room
            _set_leads(session, block, planned)


def _leads(block: Block) -> set[Facilitator]:
    return {Facilitator(f.clinician_id, f.role) for f in block.facilitators}


def _set_leads(session: Session, block: Block, planned: DayBlock) -> None:
    """The block's facilitators as planned (the old rows go first: same keys may return)."""
    if _leads(block) == set(planned.facilitators):
        return
    block.facilitators.clear()
    session.flush()
    block.facilitators.extend(
        BlockFacilitator(clinician_id=f.clinician_id, role=f.role) for f in planned.facilitators
    )


def _follow_extra(
    session: Session,
    made: GroupSession,
    group: Group,
    blocks: list[Block],
    running: tuple[DayBlock, ...],
    row: ScheduleException,
    verb: str,
) -> None:
    """Add the extra block, or take it off when withdrawn."""
    block = next(
        (
            b
            for b in blocks
            if b.template_id is None and (b.planned_start, b.planned_end) == (row.start, row.end)
        ),
        None,
    )
    if row.withdrawn_at is not None and block is not None:
        _refuse_in_use(session, block, group, made.day, verb)
        session.delete(block)
    elif row.withdrawn_at is None and block is None:
        planned = next(p for p in running if p.template_id is None and p.start == row.start)
        add_block(session, made, group, planned)


def _refuse_in_use(session: Session, block: Block, group: Group, day: date, verb: str) -> None:
    if block_in_use(session, block):
        raise DomainError(
            f"The {block.planned_start:%H:%M} block of {group.name} on {day:%A %d %B %Y} has "
            f"already started or holds attendance or notes, so it cannot be {verb}. "
            + _HINTS.get(verb, _HINTS["closed"])
        )
