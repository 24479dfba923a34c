"""Enrollments continued by a transfer or a step-down: one stay, not a discharge and a new
admission. A transfer (another group, same program) keeps the program's admission day for
milestones and measures; a step-down starts the new program's own count, and neither ends
the stay on the rosters, in the hours or in a discharge summary."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.storage.models import Enrollment, Group


def previous_of(enrollments: Iterable[Enrollment]) -> dict[uuid.UUID, Enrollment]:
    """For each enrollment that continues another, that other one (by the new one's id)."""
    return {e.transferred_to_id: e for e in enrollments if e.transferred_to_id is not None}


def stay_admitted(
    enrollment: Enrollment,
    previous: dict[uuid.UUID, Enrollment],
    programs: dict[uuid.UUID, uuid.UUID] | None = None,
) -> date:
    """The admission day of the stay `enrollment` continues: back through every transfer and
    step-down, or, given `programs` (group id -> program id), only through those in the same
    program (the program's own admission day)."""
    current = enrollment
    while (before := previous.get(current.id)) is not None:
        if programs is not None and programs.get(before.group_id) != programs.get(current.group_id):
            break
        current = before
    return current.admitted


def program_admissions(
    session: Session, enrollments: Iterable[Enrollment]
) -> dict[uuid.UUID, date]:
    """Each enrollment's admission day in its program, transfers within it followed back."""
    chosen = list(enrollments)
    participants = {e.participant_id for e in chosen}
    if not participants:
        return {}
    links = session.scalars(
        select(Enrollment).where(
            Enrollment.participant_id.in_(participants), Enrollment.transferred_to_id.is_not(None)
        )
    ).all()
    groups = {e.group_id for e in [*chosen, *links]}
    rows = session.execute(select(Group.id, Group.program_id).where(Group.id.in_(groups)))
    programs = {group_id: program_id for group_id, program_id in rows}
    previous = previous_of(links)
    return {e.id: stay_admitted(e, previous, programs) for e in chosen}
