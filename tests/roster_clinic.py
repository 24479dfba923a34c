"""A small clinic for roster import tests: one program, two groups, an administrator."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import text

from facilitator.app import open_clinic
from facilitator.storage.database import Database
from facilitator.storage.models import Enrollment, Group, Participant, Program
from facilitator.storage.unit_of_work import unit_of_work

ADMIN_PASSWORD = "lantern orchard pebble 42"
MORNING = "Adult IOP Morning"
EVENING = "Adult IOP Evening"


def make_roster_clinic(folder: Path) -> uuid.UUID:
    """Create the clinic in `folder` (closed again) and return its administrator's id.

    The administrator signs in as "rosteradmin" with ADMIN_PASSWORD.
    """
    clinic = open_clinic(folder)
    try:
        admin = clinic.accounts.create_first_administrator(
            "rosteradmin", "R. Admin", "", ADMIN_PASSWORD
        )
        with unit_of_work(clinic.database) as session:
            program = Program(name="Adult IOP", level_of_care="IOP", weekly_target_minutes=540)
            session.add(program)
            session.flush()
            morning = Group(program_id=program.id, name=MORNING, room="Room 1")
            session.add_all([morning, Group(program_id=program.id, name=EVENING, room="Room 2")])
            session.add(Group(program_id=program.id, name="Closed Track", active=False))
            session.flush()
            known = Participant(
                chart_number="K-100",
                legal_first="Kerry",
                legal_last="Ashdown",
                pronouns="they/them",
                date_of_birth=date(1984, 3, 9),
            )
            session.add(known)
            session.flush()
            session.add(
                Enrollment(participant_id=known.id, group_id=morning.id, admitted=date(2026, 11, 2))
            )
            return admin.id
    finally:
        clinic.close()


def table_contents(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the schema), for comparing a database before and after."""
    with database.engine.connect() as connection:
        names = connection.scalars(
            text("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ).all()
        contents = {
            name: [tuple(r) for r in connection.execute(text(f'SELECT * FROM "{name}"'))]
            for name in names
        }
        contents["sqlite_master"] = [
            tuple(r) for r in connection.execute(text("SELECT * FROM sqlite_master ORDER BY name"))
        ]
    return {name: sorted(rows, key=repr) for name, rows in contents.items()}
