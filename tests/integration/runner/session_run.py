"""A group's session under test, and helpers that read back what the runner wrote."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, text

from facilitator.app import Clinic
from facilitator.services.session_runner import SessionRunner
from facilitator.services.session_sheet import (
    AttendanceRow,
    BlockSheet,
    NoteDraft,
    RosterEntry,
    SessionSheet,
)
from facilitator.storage.models import Group, GroupSession

DEMO_MONDAY = date(2026, 11, 23)  # the day the demo clinic (../conftest.py) is made on
LAST_MONDAY = DEMO_MONDAY - timedelta(weeks=1)
MORNING = "Adult IOP Morning"
EVENING = "Adult IOP Evening"
GIRP_COMPLETE = {
    "goal": "Identify high-risk situations",
    "intervention": "Facilitator led a thought-record exercise",
    "response": "Participant named two triggers and a coping plan",
    "plan": "Practise the thought record daily",
}

NoteRows = dict[uuid.UUID, tuple[Any, ...]]


def session_id(clinic: Clinic, group: str, day: date) -> uuid.UUID:
    with clinic.database.sessions() as session:
        found = session.scalars(
            select(GroupSession.id).join(Group).where(Group.name == group, GroupSession.day == day)
        ).all()
    assert len(found) == 1, (group, day)
    return found[0]


@dataclass(frozen=True)
class Run:
    """One group's session: `start` as it was when the test began, `sheet()` as it is now."""

    runner: SessionRunner
    start: SessionSheet

    @classmethod
    def of(cls, clinic: Clinic, group: str, day: date) -> Run:
        runner = clinic.runner
        return cls(runner, runner.sheet(session_id(clinic, group, day)))

    @property
    def session_id(self) -> uuid.UUID:
        return self.start.session_id

    def block_id(self, sequence: int) -> uuid.UUID:
        return self.start.blocks[sequence - 1].block_id

    def member(self, index: int) -> uuid.UUID:
        """The index-th participant on the first block's roster (roster order)."""
        return self.start.blocks[0].roster[index].participant_id

    def sheet(self) -> SessionSheet:
        return self.runner.sheet(self.session_id)

    def block(self, sequence: int) -> BlockSheet:
        return self.sheet().blocks[sequence - 1]

    def entry(self, sequence: int, participant_id: uuid.UUID) -> RosterEntry:
        return self.block(sequence).entry(participant_id)


def note_rows(clinic: Clinic) -> NoteRows:
    """Every participant note row exactly as stored, by note id."""
    with clinic.database.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM participant_note")).all()
    return {uuid.UUID(str(row._mapping["id"])): tuple(row) for row in rows}


def taken(entry: RosterEntry) -> AttendanceRow:
    """The entry's attendance, which the test has already recorded."""
    assert entry.attendance is not None, entry.name
    return entry.attendance


def girp(fields: dict[str, str], **extra: Any) -> NoteDraft:
    return NoteDraft(template="GIRP", fields=fields, **extra)
