"""Open (create or upgrade) the clinic database, refusing files it must not touch."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from facilitator.storage.errors import DataFolderError, NewerSchemaError, NotADatabaseError

DATABASE_FILENAME = "facilitator.db"
SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Database:
    """An open database: its file, engine and a factory for ORM sessions."""

    path: Path
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()


def prepare_data_folder(folder: Path) -> Path:
    """Create the data folder if needed and prove it is writable; return the database path."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFolderError(folder, error.strerror or str(error)) from error
    if not folder.is_dir():
        raise DataFolderError(folder, "it is a file, not a folder")
    probe = folder / ".write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise DataFolderError(folder, f"it is not writable ({error.strerror})") from error
    return folder / DATABASE_FILENAME


def open_database(path: Path) -> Database:
    """Open the database at `path`, creating it or upgrading it to the current schema."""
    if path.exists():
        _check_existing(path)
    engine = create_engine(URL.create("sqlite", database=str(path)))
    event.listen(engine, "connect", _configure_connection)
    try:
        with engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except CommandError as error:
        # A newer revision that the read-only check could not see (still in the WAL).
        engine.dispose()
        raise NewerSchemaError(path, str(current_revision(engine))) from error
    return Database(path, engine, sessionmaker(engine, expire_on_commit=False))


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _check_existing(path: Path) -> None:
    """Raise unless `path` is an SQLite file at a schema revision this version knows."""
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise NotADatabaseError(path)
    if not header:
        return  # an empty file: SQLite treats it as a new database
    try:
        # immutable: read without creating -wal/-shm files beside a file we may refuse.
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise NotADatabaseError(path) from error
    if tables and revision is None:
        raise NotADatabaseError(path)
    if revision is not None:
        try:
            known = ScriptDirectory.from_config(_alembic_config()).get_revision(revision)
        except CommandError:
            known = None
        if known is None:
            raise NewerSchemaError(path, revision)


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config
