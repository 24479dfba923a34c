"""Open (create or upgrade) the clinic's SQLCipher database, refusing files it must not touch."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlcipher3
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from facilitator.durable_files import fsync_file, fsync_folder
from facilitator.storage.errors import (
    DatabaseNotAFileError,
    DataFolderError,
    NewerSchemaError,
    NotADatabaseError,
    ServerFeatureError,
    UpgradeFailedError,
)

DATABASE_FILENAME = "facilitator.db"
UPGRADING_SUFFIX = ".upgrading"  # the copy being upgraded; replaces the file once it succeeds
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
SQLITE_HEADER = b"SQLite format 3\x00"
KEY_BYTES = 32
PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class Database:
    """An open database: its file (None on a clinic server), engine, a factory for ORM
    sessions, and the clinic key (the SQLCipher key; on a server, the data folder's key)."""

    path: Path | None
    engine: Engine
    sessions: sessionmaker[Session]
    key: bytes = field(repr=False)  # backups are encrypted with it

    @property
    def on_server(self) -> bool:
        return self.path is None

    @property
    def file(self) -> Path:
        """The SQLCipher file; a clinic on a PostgreSQL server has none (ServerFeatureError)."""
        if self.path is None:
            raise ServerFeatureError()
        return self.path

    def connect(self) -> Any:
        """A raw SQLCipher connection of its own (for the online backup API)."""
        return connector(self.file, self.key)()

    def close(self) -> None:
        self.engine.dispose()


def prepare_data_folder(folder: Path) -> Path:
    """Create the data folder if needed (0700) and prove it is writable; make it and what it
    holds private (folders 0700, files 0600) if an older version or a copy left them open;
    return the database path."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        raise DataFolderError(folder, error.strerror or str(error)) from error
    if not folder.is_dir():
        raise DataFolderError(folder, "it is a file, not a folder")
    make_private(folder)
    probe = folder / ".write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise DataFolderError(folder, f"it is not writable ({error.strerror})") from error
    path = folder / DATABASE_FILENAME
    if path.exists() and not path.is_file():
        raise DatabaseNotAFileError(path)
    return path


def make_private(folder: Path) -> None:
    """The data folder and its backups folder 0700, the app's files in them 0600 (POSIX;
    links are not followed; files of other names, if any, are not the app's to change)."""
    if os.name == "nt":
        return  # the user's profile folder is private by its ACL
    backups = folder / "backups"
    ours = [folder, *folder.glob("facilitator*"), backups, *backups.glob("*.fbackup")]
    for path in ours:
        try:
            mode = path.lstat().st_mode
            if stat.S_ISDIR(mode) and stat.S_IMODE(mode) != PRIVATE_FOLDER:
                os.chmod(path, PRIVATE_FOLDER)
            elif stat.S_ISREG(mode) and stat.S_IMODE(mode) & ~PRIVATE_FILE:
                os.chmod(path, PRIVATE_FILE)
        except OSError:
            continue  # gone meanwhile, or another user's: the open says what is wrong


def open_database(path: Path, key: bytes) -> Database:
    """Open the database at `path` with its raw 256-bit `key`, creating or upgrading it.

    An older schema is upgraded on a copy that replaces the file only once every migration
    has run, so an upgrade that fails (or a crash during one) leaves the file as it was.
    """
    remove_with_side_files(path.with_name(path.name + UPGRADING_SUFFIX))  # a cut-short upgrade
    exists = path.exists() and path.stat().st_size > 0
    if not path.exists():  # made private before SQLite writes (its -wal and -shm follow it)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    if exists:
        check_existing(path, key)
    engine = _engine(path, key)
    if exists:
        revision = current_revision(engine)  # through the WAL, which the check cannot read
        if revision is not None and not is_known_revision(revision):
            engine.dispose()
            raise NewerSchemaError(path, revision)
        if revision != head_revision():
            engine.dispose()
            _upgrade_copy(path, key, revision)
            engine = _engine(path, key)
    with engine.begin() as connection:  # a new database is created here; at head, a no-op
        upgrade_schema(connection)
    return Database(path, engine, sessionmaker(engine, expire_on_commit=False), key)


def _engine(path: Path, key: bytes) -> Engine:
    engine = create_engine(
        URL.create("sqlite", database=str(path)),  # chooses the file pool; `creator` connects
        module=sqlcipher3.dbapi2,
        creator=connector(path, key),
        hide_parameters=True,  # error messages and logs never carry clinical values
    )
    event.listen(engine, "connect", _configure_connection)
    return engine


def upgrade_schema(connection: Any) -> None:
    """Run every migration up to the head revision on `connection` (in its transaction)."""
    config = _alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def _upgrade_copy(path: Path, key: bytes, revision: str | None) -> None:
    """Upgrade a copy of `path` to the head revision, then put it in place of `path`."""
    copy = path.with_name(path.name + UPGRADING_SUFFIX)
    source, target = connector(path, key)(), connector(copy, key)()
    try:
        source.backup(target)  # reads committed pages, the WAL's included
    except sqlcipher3.dbapi2.Error as error:
        remove_with_side_files(copy)
        raise UpgradeFailedError(path, revision, head_revision(), str(error)) from error
    finally:
        target.close()
        source.close()
    engine = _engine(copy, key)
    try:
        with engine.begin() as connection:
            upgrade_schema(connection)
        with engine.connect() as connection:
            problems = connection.exec_driver_sql("PRAGMA integrity_check").all()
        if problems != [("ok",)]:
            raise RuntimeError("the upgraded copy failed its integrity check")
    except Exception as error:
        engine.dispose()
        remove_with_side_files(copy)
        raise UpgradeFailedError(path, revision, head_revision(), str(error)) from error
    engine.dispose()  # the last connection checkpoints the copy's WAL into it
    leftovers = [p for p in (_side(path, "-wal"), _side(copy, "-wal")) if p.exists()]
    if leftovers:  # another program holds a connection: a WAL would land on the wrong file
        remove_with_side_files(copy)
        raise UpgradeFailedError(
            path, revision, head_revision(), "another program has the database open"
        )
    os.chmod(copy, PRIVATE_FILE)
    fsync_file(copy)
    os.replace(copy, path)
    fsync_folder(path.parent)


def remove_with_side_files(path: Path) -> None:
    """Delete a database file and its -wal, -shm and -journal files, if they exist."""
    for candidate in (path, *(_side(path, suffix) for suffix in SIDE_SUFFIXES)):
        candidate.unlink(missing_ok=True)


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


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
        return revision_of(connection)


def revision_of(connection: Connection) -> str | None:
    """The schema revision recorded in the database `connection` is open on."""
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
    if revision is not None and not is_known_revision(revision):
        raise NewerSchemaError(path, revision)


def is_known_revision(revision: str) -> bool:
    """Whether this version's migrations include `revision` (else a newer version wrote it)."""
    try:
        return ScriptDirectory.from_config(_alembic_config()).get_revision(revision) is not None
    except CommandError:
        return False


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
