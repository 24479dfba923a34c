"""Open (create or upgrade) the clinic's SQLCipher database, refusing files it must not touch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
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
KEY_BYTES = 32
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


def open_database(path: Path, key: bytes) -> Database:
    """Open the database at `path` with its raw 256-bit `key`, creating or upgrading it."""
    if path.exists():
        check_existing(path, key)
    engine = create_engine(
        URL.create("sqlite", database=str(path)),  # chooses the file pool; `creator` connects
        module=sqlcipher3.dbapi2,
        creator=connector(path, key),
        hide_parameters=True,  # error messages and logs never carry clinical values
    )
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


def connector(path: Path, key: bytes | None, *, uri: str | None = None) -> Callable[[], Any]:
    """A function returning a new connection to `path`, keyed first thing (None: plaintext)."""
    if key is not None and len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 random bytes")

    def connect() -> Any:
        target = uri if uri is not None else str(path)
        connection = sqlcipher3.dbapi2.connect(target, uri=uri is not None, check_same_thread=False)
        connection.execute("PRAGMA cipher_log_level = NONE")  # no codec chatter on stderr
        if key is not None:
            connection.execute(f'PRAGMA key = "{raw_key_literal(key)}"')
        return connection

    return connect


def raw_key_literal(key: bytes) -> str:
    """SQLCipher's spelling of a raw key: used as is, with no key derivation."""
    return f"x'{key.hex()}'"


def head_revision() -> str:
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def has_plaintext_header(path: Path) -> bool:
    """Whether `path` starts like an unencrypted SQLite file (an encrypted one starts random)."""
    with path.open("rb") as file:
        return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER


def check_existing(path: Path, key: bytes | None) -> None:
    """Raise unless `path` opens with `key` (None: plaintext) at a schema revision we know."""
    if path.stat().st_size == 0:
        return  # an empty file: SQLite treats it as a new database
    # immutable: read without creating -wal/-shm files beside a file we may refuse.
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    try:
        connection = connector(path, key, uri=uri)()
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
    except sqlcipher3.dbapi2.DatabaseError as error:
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
    cursor.execute("PRAGMA temp_store = MEMORY")  # sorts and temp tables never reach the disk
    cursor.close()


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config
