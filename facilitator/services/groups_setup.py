"""Groups as the clinic sets them up: program, name, room, capacity, leaders and the note
template of their own. Their weekly schedule is in group_schedule."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.clinic_setup import SetupError, check_range, limited_text, required_text
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services.group_schedule import SchedulePeriod, schedule_periods
from facilitator.services.note_templates import check_template_choice
from facilitator.services.setup_audit import (
    changes_between,
    record_setup_change,
    require_setup_administrator,
)
from facilitator.storage.models import Clinician, Group, Program


@dataclass(frozen=True)
class GroupDetails:
    """What an administrator enters about a group (leaders are active clinicians)."""

    program_id: uuid.UUID
    name: str
    room: str = ""
    capacity: int | None = None  # more present is warned, not refused
    facilitator_id: uuid.UUID | None = None
    co_facilitator_id: uuid.UUID | None = None
    note_template: str | None = None  # None: the program's


@dataclass(frozen=True)
class GroupRow:
    id: uuid.UUID
    details: GroupDetails
    program: str
    facilitator: str  # display names, "" when none
    co_facilitator: str
    active: bool
    schedule: tuple[SchedulePeriod, ...]


def group_details(group: Group) -> GroupDetails:
    return GroupDetails(
        program_id=group.program_id,
        name=group.name,
        room=group.room,
        capacity=group.capacity,
        facilitator_id=group.default_facilitator_id,
        co_facilitator_id=group.co_facilitator_id,
        note_template=group.note_template,
    )


def group_rows(session: Session) -> list[GroupRow]:
    """Every group, active or not, by program and name, with its schedule periods."""
    groups = session.scalars(select(Group).join(Group.program).order_by(Program.name, Group.name))
    return [
        GroupRow(
            id=g.id,
            details=group_details(g),
            program=g.program.name,
            facilitator=g.default_facilitator.display_name if g.default_facilitator else "",
            co_facilitator=g.co_facilitator.display_name if g.co_facilitator else "",
            active=g.active,
            schedule=tuple(schedule_periods(g)),
        )
        for g in groups
    ]


def _leader(session: Session, clinician_id: uuid.UUID | None, what: str) -> uuid.UUID | None:
    if clinician_id is None:
        return None
    clinician = session.get(Clinician, clinician_id)
    if clinician is None:
        raise SetupError(f"{what}: that clinician does not exist.")
    if not clinician.active:
        raise SetupError(
            f"{what}: {clinician.username} is deactivated; choose an active clinician."
        )
    return clinician.id


def _stored(details: GroupDetails) -> dict[str, Any]:
    return {
        "program_id": details.program_id,
        "name": details.name,
        "room": details.room,
        "capacity": details.capacity,
        "default_facilitator_id": details.facilitator_id,
        "co_facilitator_id": details.co_facilitator_id,
        "note_template": details.note_template,
    }


def checked_details(session: Session, details: GroupDetails) -> GroupDetails:
    name = required_text("The group's name", details.name, 200)
    what = f"Group {name}"
    program = session.get(Program, details.program_id)
    if program is None:
        raise SetupError(f"{what}: that program does not exist.")
    if not program.active:
        raise SetupError(f"{what}: the program {program.name} is deactivated.")
    if details.capacity is not None:
        check_range(f"{what}: the capacity", details.capacity, 1, 200)
    lead = _leader(session, details.facilitator_id, f"{what}: the facilitator")
    co = _leader(session, details.co_facilitator_id, f"{what}: the co-facilitator")
    if lead is not None and lead == co:
        raise SetupError(f"{what}: the co-facilitator must be someone other than the facilitator.")
    return GroupDetails(
        program_id=program.id,
        name=name,
        room=limited_text(f"{what}: the room", details.room, 100),
        capacity=details.capacity,
        facilitator_id=lead,
        co_facilitator_id=co,
        note_template=check_template_choice(
            session, details.note_template, f"{what}: the note template"
        ),
    )


def save_group(
    session: Session,
    group_id: uuid.UUID | None,
    details: GroupDetails,
    user: SignedInUser,
    audit: AuditTrail,
) -> uuid.UUID:
    """Create a group (group_id None; its schedule is set with change_schedule) or change
    one; group names are unique in the clinic. Audited with what changed."""
    require_setup_administrator(user)
    clean = checked_details(session, details)
    group = session.get(Group, group_id) if group_id is not None else None
    if group_id is not None and group is None:
        raise SetupError("That group no longer exists.")
    same = session.scalars(select(Group).where(Group.name == clean.name)).first()
    if same is not None and same is not group:
        raise SetupError(f"There is already a group named {clean.name}.")
    after = _stored(clean)
    if group is None:
        group = Group(active=True, **after)
        session.add(group)
        session.flush()
        record_setup_change(
            session, audit, user, "care_group", group.id, "created", changes_between({}, after)
        )
        return group.id
    changes = changes_between(_stored(group_details(group)), after)
    if changes:
        for key, value in after.items():
            setattr(group, key, value)
        record_setup_change(session, audit, user, "care_group", group.id, "edited", changes)
    return group.id


def set_group_active(
    session: Session, group_id: uuid.UUID, active: bool, user: SignedInUser, audit: AuditTrail
) -> None:
    """Deactivate a group (it no longer meets; its records stay) or reactivate it."""
    require_setup_administrator(user)
    group = session.get(Group, group_id)
    if group is None:
        raise SetupError("That group no longer exists.")
    if group.active == active:
        return
    if active and not group.program.active:
        raise SetupError(f"The program {group.program.name} is deactivated: reactivate it first.")
    group.active = active
    change = "reactivated" if active else "deactivated"
    record_setup_change(
        session, audit, user, "care_group", group.id, change, {"active": (not active, active)}
    )
