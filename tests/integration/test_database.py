"""Creating, upgrading and using the clinic database: the SQLCipher file and, where the test is
not about the file, the same on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import JSON, inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError

from facilitator.storage.database import (
    Database,
    current_revision,
    head_revision,
    open_database,
)
from facilitator.storage.models import (
    Attendance,
    Base,
    Block,
    Enrollment,
    Group,
    GroupSession,
    Modality,
    Participant,
    ParticipantNote,
    Program,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.keys import TEST_KEY
from tests.storage_backends import Storage


def test_new_database_is_created_at_head(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    database = open_database(path, TEST_KEY)
    try:
        assert path.is_file()
        assert not path.read_bytes().startswith(b"SQLite format 3\x00")  # encrypted
        assert current_revision(database.engine) == head_revision()
        tables = set(inspect(database.engine).get_table_names())
        assert set(Base.metadata.tables) | {"alembic_version"} == tables
    finally:
        database.close()


def test_migrated_schema_matches_the_models(storage: Storage, tmp_path: Path) -> None:
    new_database = storage.new_database(tmp_path)
    with new_database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": _json_aware}
        )
        assert compare_metadata(context, Base.metadata) == []
    new_database.close()


def _json_aware(
    _context: Any,
    _inspected: Any,
    column: Any,
    inspected_default: str | None,
    _metadata_default: Any,
    rendered_default: str | None,
) -> bool | None:
    """Server defaults of JSON columns compared as text: PostgreSQL's json type has no `=`,
    which Alembic's own comparison runs on the server (None: Alembic compares the others)."""
    if not isinstance(column.type, JSON) or inspected_default is None:
        return None
    return inspected_default.removesuffix("::json").strip("'") != (rendered_default or "").strip(
        "'"
    )


def test_opening_twice_is_idempotent(storage: Storage, tmp_path: Path) -> None:
    first = storage.new_database(tmp_path)
    with unit_of_work(first) as session:
        session.add(Modality(code="CBT", name="Cognitive behavioral therapy"))
    first.close()

    second = storage.reopen(first)
    try:
        assert current_revision(second.engine) == head_revision()
        with unit_of_work(second) as session:
            assert session.scalars(select(Modality.code)).all() == ["CBT"]
        with second.engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
        assert versions == [(head_revision(),)]
    finally:
        second.close()


def test_connection_pragmas(new_database: Database) -> None:
    with new_database.engine.connect() as connection:

        def pragma(name: str) -> object:
            return connection.exec_driver_sql(f"PRAGMA {name}").scalar()

        assert pragma("foreign_keys") == 1
        assert pragma("journal_mode") == "wal"
        assert pragma("synchronous") == 2  # FULL
        assert pragma("busy_timeout") == 5000
        assert pragma("temp_store") == 2  # MEMORY


def test_foreign_keys_are_enforced(storage: Storage, tmp_path: Path) -> None:
    new_database = storage.new_database(tmp_path)
    with pytest.raises(IntegrityError), unit_of_work(new_database) as session:
        session.add(Group(program_id=uuid.uuid4(), name="Orphan"))
    new_database.close()


def _clinic() -> dict[str, Any]:
    """One of each record, with JSON fields, times and aware datetimes."""
    program = Program(name="Adult IOP", level_of_care="2.1", weekly_target_minutes=540)
    modality = Modality(code="CBT", name="CBT", interventions=["Role-play", "Thought record"])
    group = Group(program=program, name="Morning", room="Room 2")
    participant = Participant(
        chart_number="IOP-1",
        legal_first="Zoë",
        legal_last="Ñúñez",
        preferred_name="Zo",
        date_of_birth=date(1990, 2, 28),
    )
    enrollment = Enrollment(
        participant=participant, group=group, admitted=date(2026, 11, 2), discharged=None
    )
    group_session = GroupSession(group=group, day=date(2026, 11, 23))
    block = Block(
        session=group_session,
        sequence=1,
        modality=modality,
        free_topic="Coping with cravings",
        planned_start=time(9),
        planned_end=time(10),
        actual_start=time(9, 5),
        interventions=["Role-play"],
        updated_at=datetime(2026, 11, 23, 15, 0, 30, 123456, tzinfo=UTC),
    )
    attendance = Attendance(
        block=block, participant=participant, status="late", arrived=time(9, 20), left=None
    )
    note = ParticipantNote(
        block=block,
        participant=participant,
        template="GIRP",
        fields={"goal": "Stay sober ☀", "plan": "Attend", "nested": {"a": [1, 2.5, None]}},
        goals_addressed=[{"goal_id": str(uuid.uuid4()), "progress": "Progressing"}],
        risk_flags={"suicidal_ideation": False, "craving": 3},
        updated_at=datetime(2026, 11, 23, 10, 30, tzinfo=timezone(timedelta(hours=-5))),
    )
    return {
        "program": program,
        "modality": modality,
        "group": group,
        "participant": participant,
        "enrollment": enrollment,
        "session": group_session,
        "block": block,
        "attendance": attendance,
        "note": note,
    }


def test_round_trip(storage: Storage, tmp_path: Path) -> None:
    database = storage.new_database(tmp_path)
    records = _clinic()
    with unit_of_work(database) as session:
        session.add_all(records.values())
    ids = {name: record.id for name, record in records.items()}
    database.close()

    reopened = storage.reopen(database)
    try:
        with unit_of_work(reopened) as session:
            participant = session.get_one(Participant, ids["participant"])
            assert (participant.legal_first, participant.legal_last) == ("Zoë", "Ñúñez")
            assert participant.date_of_birth == date(1990, 2, 28)

            enrollment = session.get_one(Enrollment, ids["enrollment"])
            assert enrollment.admitted == date(2026, 11, 2)
            assert enrollment.discharged is None
            assert enrollment.group.program.weekly_target_minutes == 540
            assert enrollment.group.program.daily_minimum_minutes == 180  # default

            modality = session.get_one(Modality, ids["modality"])
            assert modality.interventions == ["Role-play", "Thought record"]

            block = session.get_one(Block, ids["block"])
            assert (block.planned_start, block.planned_end) == (time(9), time(10))
            assert (block.actual_start, block.actual_end) == (time(9, 5), None)
            assert block.interventions == ["Role-play"]
            assert block.session.day == date(2026, 11, 23)
            assert block.updated_at.tzinfo is not None
            assert block.updated_at == datetime(2026, 11, 23, 15, 0, 30, 123456, tzinfo=UTC)

            attendance = session.get_one(Attendance, ids["attendance"])
            assert (attendance.status, attendance.arrived, attendance.left) == (
                "late",
                time(9, 20),
                None,
            )

            note = session.get_one(ParticipantNote, ids["note"])
            assert note.fields == {
                "goal": "Stay sober ☀",
                "plan": "Attend",
                "nested": {"a": [1, 2.5, None]},
            }
            assert note.risk_flags == {"suicidal_ideation": False, "craving": 3}
            assert note.goals_addressed[0]["progress"] == "Progressing"
            assert note.status == "draft"
            # 10:30 at UTC-5 is 15:30 UTC; it comes back aware, in UTC, and equal.
            assert note.updated_at.utcoffset() == timedelta(0)
            assert note.updated_at == datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
    finally:
        reopened.close()


def test_datetimes_are_stored_as_utc(storage: Storage, tmp_path: Path) -> None:
    new_database = storage.new_database(tmp_path)
    program = Program(name="P", level_of_care="2.1", weekly_target_minutes=540)
    modality = Modality(code="CBT", name="CBT")
    block = Block(
        session=GroupSession(group=Group(program=program, name="G"), day=date(2026, 11, 23)),
        sequence=1,
        modality=modality,
        planned_start=time(9),
        planned_end=time(10),
        updated_at=datetime(2026, 11, 23, 4, 0, tzinfo=timezone(timedelta(hours=9))),
    )
    with unit_of_work(new_database) as session:
        session.add(block)
    with new_database.engine.connect() as connection:
        stored = connection.execute(text("SELECT updated_at FROM block")).scalar_one()
    new_database.close()
    assert str(stored).startswith("2026-11-22 19:00:00")


def test_naive_datetime_is_refused(storage: Storage, tmp_path: Path) -> None:
    new_database = storage.new_database(tmp_path)
    program = Program(name="P", level_of_care="2.1", weekly_target_minutes=540)
    modality = Modality(code="CBT", name="CBT")
    block = Block(
        session=GroupSession(group=Group(program=program, name="G"), day=date(2026, 11, 23)),
        sequence=1,
        modality=modality,
        planned_start=time(9),
        planned_end=time(10),
        updated_at=datetime(2026, 11, 23, 9, 0),
    )
    with pytest.raises(StatementError) as raised, unit_of_work(new_database) as session:
        session.add(block)
    assert isinstance(raised.value.orig, ValueError)
    assert "naive" in str(raised.value.orig)
    with unit_of_work(new_database) as session:
        assert session.scalars(select(Block)).all() == []
        assert session.scalars(select(Program)).all() == []  # the whole unit rolled back
    new_database.close()
