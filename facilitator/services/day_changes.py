"""What the "Change this day" screens read: the day's changes (to withdraw one) and the
choices a change is made from (groups and their blocks, modalities, active clinicians)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.attendance import clock_text
from facilitator.services.day_plan import PlannedBlockRow, day_exceptions, plan_day
from facilitator.storage.models import BlockTemplate, Clinician, Group, Modality


@dataclass(frozen=True)
class DayChange:
    exception_id: uuid.UUID
    kind: str
    description: str  # "Adult IOP Morning 09:00 block: moved to 13:00-14:00 (Room booked)"


@dataclass(frozen=True)
class GroupChoice:
    group_id: uuid.UUID
    name: str
    blocks: tuple[PlannedBlockRow, ...]  # the day's scheduled blocks (with a template id)


@dataclass(frozen=True)
class DayChoices:
    groups: tuple[GroupChoice, ...]
    modalities: tuple[tuple[str, str], ...]  # (code, name) in use
    clinicians: tuple[tuple[uuid.UUID, str], ...]  # active accounts (id, display name)


def day_choices(session: Session, day: date) -> DayChoices:
    planned = {row.group_id: row for row in plan_day(session, day)}
    groups = session.scalars(select(Group).where(Group.active).order_by(Group.name))
    return DayChoices(
        groups=tuple(
            GroupChoice(
                g.id,
                g.name,
                tuple(
                    b
                    for b in (planned[g.id].blocks if g.id in planned else ())
                    if b.template_id is not None
                ),
            )
            for g in groups
        ),
        modalities=tuple(
            (m.code, m.name)
            for m in session.scalars(
                select(Modality).where(Modality.active).order_by(Modality.name)
            )
        ),
        clinicians=tuple(
            (c.id, c.display_name)
            for c in session.scalars(
                select(Clinician).where(Clinician.active).order_by(Clinician.display_name)
            )
        ),
    )


def day_changes(session: Session, day: date) -> list[DayChange]:
    """The day's changes in force, oldest first, described for a person to pick one."""
    groups = dict(session.execute(select(Group.id, Group.name)).all())
    names: dict[uuid.UUID | None, str] = dict(
        session.execute(select(Clinician.id, Clinician.display_name)).all()
    )
    starts = dict(session.execute(select(BlockTemplate.id, BlockTemplate.start)).all())
    modalities: dict[uuid.UUID | None, str] = dict(
        session.execute(select(Modality.id, Modality.name)).all()
    )
    found = []
    for row in day_exceptions(session, day):
        where = groups.get(row.group_id, "") if row.group_id else "Whole clinic"
        if row.template_id is not None:
            where += f" {clock_text(starts.get(row.template_id))} block"
        what = {
            "closed": "closed",
            "cancelled": "cancelled",
            "moved": f"moved to {clock_text(row.start)}-{clock_text(row.end)}"
            + (f" in {row.room}" if row.room else ""),
            "substitute": f"led by {names.get(row.clinician_id, '')}",
            "extra": f"extra {modalities.get(row.modality_id, '')} block "
            f"{clock_text(row.start)}-{clock_text(row.end)}",
        }[row.kind]
        found.append(DayChange(row.id, row.kind, f"{where}: {what} ({row.reason})"))
    return found
