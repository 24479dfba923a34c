"""Transfer to another group of the same program, or step down to a group of another program
(IOP -> OP), from a date. Not a discharge: the open enrollment ends the day before
(discharge_reason "Transferred" or "Stepped down", transferred_to_id the new enrollment) and
the new one starts that day, so the rosters, hours, attendance history and a later discharge
summary see one continued stay. Refused: a date not after the admission, on or before the
last day attended in the old group, more than 30 days ahead; the same group; a group of the
wrong program."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.admission import MAX_DAYS_AHEAD
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.admissions import GroupChoice, active_groups, require_may_admit
from facilitator.services.discharge import last_attended
from facilitator.storage.database import Database
from facilitator.storage.models import Enrollment, Group
from facilitator.storage.unit_of_work import unit_of_work

TRANSFERRED = "Transferred"
STEPPED_DOWN = "Stepped down"


@dataclass(frozen=True)
class Placement:
    """Where the participant is now and where they may move: the Transfer dialog's facts."""

    enrollment_id: uuid.UUID
    group: str
    program_id: uuid.UUID
    program: str
    admitted: date
    last_attended: date | None
    same_program: tuple[GroupChoice, ...]  # transfer targets
    other_programs: tuple[GroupChoice, ...]  # step-down targets

    @property
    def earliest(self) -> date:
        """The first day a move may start."""
        return max(self.admitted, self.last_attended or self.admitted) + timedelta(days=1)


class Transfers:
    def __init__(
        self, database: Database, audit: AuditTrail, today: Callable[[], date] = date.today
    ) -> None:
        self._database = database
        self._audit = audit
        self._today = today

    def placement(self, participant_id: uuid.UUID) -> Placement:
        """The open enrollment and the groups it may move to; DomainError when none is open."""
        with unit_of_work(self._database) as session:
            enrollment = _open(session, participant_id)
            group = enrollment.group
            choices = [c for c in active_groups(session) if c.group_id != group.id]
            return Placement(
                enrollment.id,
                group.name,
                group.program_id,
                group.program.name,
                enrollment.admitted,
                last_attended(session, enrollment),
                tuple(c for c in choices if c.program_id == group.program_id),
                tuple(c for c in choices if c.program_id != group.program_id),
            )

    def transfer(
        self,
        user: SignedInUser,
        participant_id: uuid.UUID,
        group_id: uuid.UUID,
        day: date,
        today: date | None = None,
    ) -> uuid.UUID:
        """Move to another group of the same program from `day`; the new enrollment's id."""
        return self._move(user, participant_id, group_id, day, today, step_down=False)

    def step_down(
        self,
        user: SignedInUser,
        participant_id: uuid.UUID,
        group_id: uuid.UUID,
        day: date,
        today: date | None = None,
    ) -> uuid.UUID:
        """Move to a group of another program (a step down in level of care) from `day`."""
        return self._move(user, participant_id, group_id, day, today, step_down=True)

    def _move(
        self,
        user: SignedInUser,
        participant_id: uuid.UUID,
        group_id: uuid.UUID,
        day: date,
        today: date | None,
        step_down: bool,
    ) -> uuid.UUID:
        require_may_admit(user)
        today = today or self._today()
        with unit_of_work(self._database) as session:
            current = _open(session, participant_id)
            target = session.get(Group, group_id)
            _check(session, current, target, day, today, step_down)
            assert target is not None
            moved = Enrollment(participant_id=participant_id, group_id=group_id, admitted=day)
            session.add(moved)
            session.flush()
            current.discharged = day - timedelta(days=1)
            current.discharge_reason = STEPPED_DOWN if step_down else TRANSFERRED
            current.transferred_to_id = moved.id
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.CREATE,
                object_type="enrollment",
                object_id=str(moved.id),
                detail={
                    "participant_id": str(participant_id),
                    "from_enrollment_id": str(current.id),
                    "kind": "step_down" if step_down else "transfer",
                },
            )
            return moved.id


def _open(session: Session, participant_id: uuid.UUID) -> Enrollment:
    enrollment = session.scalars(
        select(Enrollment)
        .where(Enrollment.participant_id == participant_id, Enrollment.discharged.is_(None))
        .order_by(Enrollment.admitted.desc())
        .limit(1)
    ).first()
    if enrollment is None:
        raise DomainError(
            "This participant has no open enrollment to move; readmit them into a group instead."
        )
    return enrollment


def _check(
    session: Session,
    current: Enrollment,
    target: Group | None,
    day: date,
    today: date,
    step_down: bool,
) -> None:
    if target is None or not target.active or not target.program.active:
        raise DomainError("That group is no longer active; choose another.")
    if target.id == current.group_id:
        raise DomainError(f"The participant is already in {target.name}; choose another group.")
    same = target.program_id == current.group.program_id
    if step_down and same:
        raise DomainError(
            f"{target.name} is in the same program ({target.program.name}): that is a transfer, "
            "not a step down."
        )
    if not step_down and not same:
        raise DomainError(
            f"{target.name} is in another program ({target.program.name}): moving there is a "
            "step down (or up) in level of care, not a transfer."
        )
    what = "step down" if step_down else "transfer"
    if day <= current.admitted:
        raise DomainError(
            f"The {what} date {day:%Y-%m-%d} must be after the admission to {current.group.name} "
            f"on {current.admitted:%Y-%m-%d}."
        )
    attended = last_attended(session, current)
    if attended is not None and day <= attended:
        raise DomainError(
            f"The participant attended {current.group.name} on {attended:%Y-%m-%d}; the {what} "
            f"starts after the last day attended (from {attended + timedelta(days=1):%Y-%m-%d})."
        )
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    if day > latest:
        raise DomainError(
            f"The {what} date {day:%Y-%m-%d} is more than {MAX_DAYS_AHEAD} days ahead "
            f"(after {latest:%Y-%m-%d})."
        )
