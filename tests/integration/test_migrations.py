"""Databases made by each released schema revision upgrade to the current one, losing nothing.

tests/fixtures/migrations/<revision>.db were made by the released code (make_fixture.py there
says how); each is upgraded on a copy here. An upgrade that fails leaves the file untouched.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from facilitator.documents.participant import load_participant_note
from facilitator.domain.notes import content_hash
from facilitator.services.notes_content import canonical_note_content
from facilitator.storage import database as database_module
from facilitator.storage.database import (
    UPGRADING_SUFFIX,
    current_revision,
    head_revision,
    open_database,
)
from facilitator.storage.errors import UpgradeFailedError
from facilitator.storage.models import ParticipantNote, Program
from facilitator.storage.unit_of_work import unit_of_work
from tests.keys import TEST_KEY, keyed_connection

FIXTURES = Path(__file__).parents[1] / "fixtures" / "migrations"
RELEASED = sorted(FIXTURES.glob("*.db"))

# Columns a migration deliberately rewrites, as {(table, column)}; every other value that
# exists before and after an upgrade must be equal.
REWRITTEN: set[tuple[str, str]] = set()
# Rows a migration deliberately adds, as {(table, primary key)}.
ADDED = {("setting", ("signed_record.since",))}


def test_there_is_a_fixture_for_the_first_released_revision() -> None:
    assert [p.stem for p in RELEASED][:1] == ["0001"]


def _tables(connection: Any) -> dict[str, list[str]]:
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            " AND name != 'alembic_version'"
        )
    ]
    return {t: [c[1] for c in connection.execute(f'PRAGMA table_info("{t}")')] for t in names}


def _rows(connection: Any, table: str, columns: list[str]) -> dict[Any, dict[str, Any]]:
    """Every row of `table` keyed by its primary key (or its rowid), as {column: value}."""
    key = [c[1] for c in connection.execute(f'PRAGMA table_info("{table}")') if c[5]] or ["rowid"]
    listed = ", ".join(f'"{c}"' for c in [*key, *columns])
    rows = connection.execute(f'SELECT {listed} FROM "{table}"').fetchall()
    return {row[: len(key)]: dict(zip(columns, row[len(key) :], strict=True)) for row in rows}


def _snapshot(path: Path) -> dict[str, dict[Any, dict[str, Any]]]:
    connection = keyed_connection(path)
    try:
        return {t: _rows(connection, t, cols) for t, cols in _tables(connection).items()}
    finally:
        connection.close()


@pytest.mark.parametrize("fixture", RELEASED, ids=lambda p: p.stem)
def test_released_database_upgrades_to_head_with_all_data_intact(
    fixture: Path, tmp_path: Path
) -> None:
    path = tmp_path / "facilitator.db"
    shutil.copyfile(fixture, path)
    before = _snapshot(path)
    assert sum(len(rows) for rows in before.values()) > 1000  # a real clinic's worth of rows

    database = open_database(path, TEST_KEY)
    try:
        assert current_revision(database.engine) == head_revision()
        with unit_of_work(database) as session:
            signed = session.scalars(
                select(ParticipantNote).where(ParticipantNote.content_hash.is_not(None))
            ).all()
            assert len(signed) > 100
            for note in signed:
                recomputed = content_hash(canonical_note_content(note))
                assert recomputed == note.content_hash
                assert note.signatures and all(
                    s.content_hash == recomputed for s in note.signatures
                )
    finally:
        database.close()

    after = _snapshot(path)
    for table, rows in before.items():
        assert table in after, f"table {table} disappeared"
        added = {key for t, key in ADDED if t == table}
        assert after[table].keys() - added == rows.keys() - added, f"rows of {table} changed"
        for key, values in rows.items():
            kept = {
                c: v
                for c, v in values.items()
                if c in after[table][key] and (table, c) not in REWRITTEN
            }
            assert kept == {c: after[table][key][c] for c in kept}, f"{table} {key} changed"


def _triggers(path: Path) -> set[tuple[str, str]]:
    connection = keyed_connection(path)
    try:
        rows = connection.execute("SELECT name, tbl_name FROM sqlite_master WHERE type='trigger'")
        return {(name, table) for name, table in rows}
    finally:
        connection.close()


@pytest.mark.parametrize("fixture", RELEASED, ids=lambda p: p.stem)
def test_an_upgraded_database_has_every_trigger_a_new_one_has(
    fixture: Path, tmp_path: Path
) -> None:
    """Rebuilding a table (SQLite's way to drop a constraint) drops its triggers: each is
    created again, so a signed or voided discharge stays locked after an upgrade."""
    new, upgraded = tmp_path / "new.db", tmp_path / "upgraded.db"
    shutil.copyfile(fixture, upgraded)
    for path in (new, upgraded):
        open_database(path, TEST_KEY).close()
    expected = _triggers(new)
    assert {"discharge_signed_update", "discharge_voided_delete"} <= {n for n, _ in expected}
    assert _triggers(upgraded) == expected


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def failing_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real migrations plus one after head that changes data and tables, then fails."""
    scripts = tmp_path / "migrations"
    shutil.copytree(
        database_module.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__")
    )
    (scripts / "versions" / "9999_fails.py").write_text(
        f"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head_revision()}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    op.execute("UPDATE program SET name = 'changed by a broken migration'")
    with op.batch_alter_table("program") as batch:
        batch.add_column(sa.Column("extra", sa.String(10), nullable=True))
    raise RuntimeError("a bug in migration 9999")


def downgrade():
    pass
""",
        encoding="utf-8",
    )
    monkeypatch.setattr(database_module, "MIGRATIONS", scripts)


def test_failed_upgrade_leaves_the_file_untouched(tmp_path: Path, request: Any) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    path = folder / "facilitator.db"
    database = open_database(path, TEST_KEY)
    with unit_of_work(database) as session:
        session.add(Program(name="Adult IOP", level_of_care="2.1", weekly_target_minutes=540))
    database.close()
    original = _sha256(path)
    files = sorted(p.name for p in folder.iterdir())

    request.getfixturevalue("failing_migration")
    assert head_revision() == "9999"
    with pytest.raises(UpgradeFailedError, match="a bug in migration 9999") as raised:
        open_database(path, TEST_KEY)
    assert "left untouched" in str(raised.value)
    assert _sha256(path) == original
    assert sorted(p.name for p in folder.iterdir()) == files  # no copy, no -wal left behind


def test_upgrade_cut_short_by_a_crash_is_discarded(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    open_database(path, TEST_KEY).close()
    leftover = path.with_name(path.name + UPGRADING_SUFFIX)
    leftover.write_bytes(b"half an upgraded copy")
    Path(f"{leftover}-wal").write_bytes(b"its log")

    database = open_database(path, TEST_KEY)
    database.close()
    assert not leftover.exists() and not Path(f"{leftover}-wal").exists()


def test_upgrade_replaces_the_file_only_after_it_succeeded(tmp_path: Path) -> None:
    """The upgraded copy takes the file's place: a new file, and the old one's bytes are gone."""
    path = tmp_path / "facilitator.db"
    shutil.copyfile(RELEASED[0], path)
    inode = path.stat().st_ino
    open_database(path, TEST_KEY).close()
    assert path.stat().st_ino != inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facilitator.db"]


@pytest.mark.parametrize(
    "fixture", [p for p in RELEASED if p.stem < "0009"][-1:], ids=lambda p: p.stem
)
def test_notes_signed_before_0009_verify_and_say_what_their_signature_did_not_cover(
    fixture: Path, tmp_path: Path
) -> None:
    """Their hash keeps its formula (version 1); their documents show the service as it is
    now and say that the signature did not cover it; the service is locked from now on."""
    path = tmp_path / "facilitator.db"
    shutil.copyfile(fixture, path)
    database = open_database(path, TEST_KEY)
    try:
        with unit_of_work(database) as session:
            note = session.scalars(
                select(ParticipantNote).where(ParticipantNote.status != "draft").limit(1)
            ).one()
            assert note.content_version == 1 and note.signed_context is None
            assert content_hash(canonical_note_content(note)) == note.content_hash
            document = load_participant_note(session, note.id, datetime.now(UTC))
            block_id = note.block_id
        assert document.block.coverage.startswith("Signed before ")
        assert "were not part of the signature" in document.block.coverage
        assert not document.block.as_signed
        with (
            pytest.raises(IntegrityError, match="signed note is locked"),
            unit_of_work(database) as session,
        ):
            session.execute(
                text("UPDATE block SET group_note = 'changed' WHERE id = :id"),
                {"id": block_id.hex},
            )
    finally:
        database.close()
