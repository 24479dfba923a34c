"""Programs (levels of care) as the clinic sets them up: days per week, minimum and target
minutes, note template, measure schedule, late-entry limit and the codes it bills."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.domain.clinic_setup import SetupError, check_range, required_text
from facilitator.domain.measures import MeasureSchedule
from facilitator.domain.service_codes import ServiceCode, check_service_codes, service_codes
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services.note_templates import check_template_choice
from facilitator.services.setup_audit import (
    changes_between,
    record_setup_change,
    require_setup_administrator,
)
from facilitator.storage.models import Group, Measure, Modality, Program


@dataclass(frozen=True)
class ProgramDetails:
    """What an administrator enters about a program."""

    name: str
    level_of_care: str
    days_per_week: int = 4
    daily_minimum_minutes: int = 180
    weekly_target_minutes: int = 720
    note_template: str = "GIRP"
    measure_schedule: MeasureSchedule = field(default_factory=MeasureSchedule)
    late_entry_hours: int = 24
    service_codes: tuple[ServiceCode, ...] = ()
    length_weeks: int | None = None


@dataclass(frozen=True)
class ProgramRow:
    id: uuid.UUID
    details: ProgramDetails
    active: bool
    groups: int  # active groups in the program


def program_details(program: Program) -> ProgramDetails:
    return ProgramDetails(
        name=program.name,
        level_of_care=program.level_of_care,
        days_per_week=program.days_per_week,
        daily_minimum_minutes=program.daily_minimum_minutes,
        weekly_target_minutes=program.weekly_target_minutes,
        note_template=program.note_template,
        measure_schedule=MeasureSchedule.from_dict(program.measure_schedule or {}),
        late_entry_hours=program.late_entry_hours,
        service_codes=tuple(service_codes(program.service_codes or (), program.name)),
        length_weeks=program.length_weeks,
    )


def program_rows(session: Session) -> list[ProgramRow]:
    """Every program, active or not, by name."""
    counts: dict[uuid.UUID, int] = {
        program_id: count
        for program_id, count in session.execute(
            select(Group.program_id, func.count()).where(Group.active).group_by(Group.program_id)
        )
    }
    return [
        ProgramRow(p.id, program_details(p), p.active, counts.get(p.id, 0))
        for p in session.scalars(select(Program).order_by(Program.name))
    ]


def _stored(details: ProgramDetails) -> dict[str, Any]:
    """The program's columns as they are kept (and compared, and audited)."""
    return {
        "name": details.name,
        "level_of_care": details.level_of_care,
        "days_per_week": details.days_per_week,
        "daily_minimum_minutes": details.daily_minimum_minutes,
        "weekly_target_minutes": details.weekly_target_minutes,
        "note_template": details.note_template,
        "measure_schedule": details.measure_schedule.as_dict(),
        "late_entry_hours": details.late_entry_hours,
        "service_codes": [c.as_dict() for c in details.service_codes],
        "length_weeks": details.length_weeks,
    }


def checked_details(session: Session, details: ProgramDetails) -> ProgramDetails:
    """`details` trimmed, if every value is valid for this clinic; else SetupError."""
    name = required_text("The program's name", details.name, 200)
    what = f"Program {name}"
    check_range(f"{what}: days per week", details.days_per_week, 1, 7)
    check_range(f"{what}: the daily minimum minutes", details.daily_minimum_minutes, 0, 1440)
    check_range(f"{what}: the weekly target minutes", details.weekly_target_minutes, 0, 10080)
    check_range(f"{what}: the late-entry limit (hours)", details.late_entry_hours, 1, 720)
    if details.length_weeks is not None:
        check_range(f"{what}: the length in weeks", details.length_weeks, 1, 104)
    check_template_choice(session, details.note_template, f"{what}: the note template")
    known_measures = set(session.scalars(select(Measure.code)))
    unknown = sorted(set(details.measure_schedule.measures) - known_measures)
    if unknown:
        raise SetupError(f"{what}: the measure schedule names no measure {', '.join(unknown)}.")
    codes = check_service_codes(details.service_codes, session.scalars(select(Modality.code)))
    return ProgramDetails(
        name=name,
        level_of_care=required_text(f"{what}: the level of care", details.level_of_care, 100),
        days_per_week=details.days_per_week,
        daily_minimum_minutes=details.daily_minimum_minutes,
        weekly_target_minutes=details.weekly_target_minutes,
        note_template=details.note_template,
        measure_schedule=details.measure_schedule,
        late_entry_hours=details.late_entry_hours,
        service_codes=codes,
        length_weeks=details.length_weeks,
    )


def save_program(
    session: Session,
    program_id: uuid.UUID | None,
    details: ProgramDetails,
    user: SignedInUser,
    audit: AuditTrail,
) -> uuid.UUID:
    """Create a program (program_id None) or change one; audited with what changed."""
    require_setup_administrator(user)
    clean = checked_details(session, details)
    program = session.get(Program, program_id) if program_id is not None else None
    if program_id is not None and program is None:
        raise SetupError("That program no longer exists.")
    same_name = session.scalars(select(Program).where(Program.name == clean.name)).one_or_none()
    if same_name is not None and same_name is not program:
        raise SetupError(f"There is already a program named {clean.name}.")
    after = _stored(clean)
    if program is None:
        program = Program(**after)
        session.add(program)
        session.flush()
        record_setup_change(
            session, audit, user, "program", program.id, "created", changes_between({}, after)
        )
        return program.id
    changes = changes_between(_stored(program_details(program)), after)
    if changes:
        for key, value in after.items():
            setattr(program, key, value)
        record_setup_change(session, audit, user, "program", program.id, "edited", changes)
    return program.id


def set_program_active(
    session: Session, program_id: uuid.UUID, active: bool, user: SignedInUser, audit: AuditTrail
) -> None:
    """Deactivate a program without active groups (its records stay), or reactivate it."""
    require_setup_administrator(user)
    program = session.get(Program, program_id)
    if program is None:
        raise SetupError("That program no longer exists.")
    if program.active == active:
        return
    if not active and any(g.active for g in program.groups):
        raise SetupError(
            f"{program.name} still has active groups: deactivate them or move them first."
        )
    program.active = active
    change = "reactivated" if active else "deactivated"
    record_setup_change(
        session, audit, user, "program", program.id, change, {"active": (not active, active)}
    )
