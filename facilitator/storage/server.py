"""A clinic on a PostgreSQL server: the data folder names the server, the app opens it there.

A data folder whose `facilitator.server.toml` holds `url = "postgresql+psycopg://..."` keeps
its records in that PostgreSQL database instead of the SQLCipher file; everything else (the
key information, the clinic key in the key store, backups) stays in the folder. Opening runs
the same migrations as on SQLite, in one transaction under an advisory lock, so two computers
opening at once upgrade once and a failed upgrade leaves the schema as it was.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, make_url, text
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import sessionmaker

from facilitator.storage.database import (
    PRIVATE_FILE,
    Database,
    head_revision,
    is_known_revision,
    revision_of,
    upgrade_schema,
)
from facilitator.storage.errors import StorageError

SERVER_FILENAME = "facilitator.server.toml"
DRIVER = "postgresql+psycopg"
MIGRATION_LOCK = 0x46_41_43_49  # pg_advisory_xact_lock key: "FACI"


class ServerSettingError(StorageError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The clinic server setting {path} cannot be used: {reason}. Nothing was changed. "
            f'It should hold one line, url = "{DRIVER}://USER@HOST/DATABASE"; fix it, or move '
            "it out of the data folder to use the clinic's database file instead."
        )
        self.path = path


class BothBackendsError(StorageError):
    def __init__(self, folder: Path, database: Path) -> None:
        super().__init__(
            f"The data folder {folder} names a clinic server ({SERVER_FILENAME}) but also holds "
            f"a clinic database file ({database.name}). Nothing was opened or changed. Move one "
            "of them out of the folder: copying a clinic onto a server is not built yet."
        )
        self.folder = folder


class ServerUnreachableError(StorageError):
    def __init__(self, url: URL, reason: str) -> None:
        super().__init__(
            f"The clinic server {describe(url)} could not be reached ({reason}). Nothing was "
            "changed. Check that the server is running and this computer can reach it, or ask "
            "your IT administrator."
        )
        self.url = url


class ServerNewerSchemaError(StorageError):
    def __init__(self, url: URL, revision: str) -> None:
        super().__init__(
            f"The clinic server {describe(url)} holds a schema written by a newer version of "
            f"Facilitator ({revision}). It was left untouched. Install the newer version on "
            "this computer to use it."
        )
        self.url = url
        self.revision = revision


def describe(url: URL) -> str:
    """The server and database of `url`, never its password."""
    host = url.host or url.query.get("host") or "localhost"
    port = url.port or url.query.get("port") or 5432
    return f"{host}:{port}, database {url.database}"


def server_url(folder: Path) -> URL | None:
    """The PostgreSQL URL the data folder names, or None for a clinic in a database file."""
    path = folder / SERVER_FILENAME
    if not path.exists():
        return None
    try:
        setting = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ServerSettingError(path, f"it is not readable TOML ({error})") from error
    value = setting.get("url")
    if not isinstance(value, str) or not value.strip():
        raise ServerSettingError(path, "it has no url")
    try:
        url = make_url(value.strip())
    except ArgumentError as error:
        raise ServerSettingError(path, "its url is not a database URL") from error
    if url.drivername != DRIVER:
        raise ServerSettingError(path, f"its url is not a PostgreSQL one ({url.drivername})")
    if not url.database:
        raise ServerSettingError(path, "its url names no database")
    return url


def write_server_url(folder: Path, url: str | URL) -> Path:
    """Name the PostgreSQL database that holds this data folder's clinic (file 0600)."""
    rendered = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
    path = folder / SERVER_FILENAME
    escaped = rendered.replace("\\", "\\\\").replace('"', '\\"')
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(f'# This clinic\'s records are on a PostgreSQL server.\nurl = "{escaped}"\n')
    return path


def open_server_database(url: URL, key: bytes) -> Database:
    """Open the clinic database at `url`, creating or upgrading its schema.

    `key` is the clinic key from the data folder's key store: a server database is not
    encrypted with it, but the audit chain, signing authority and backups are keyed by it.
    """
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
            revision = revision_of(connection)
            if revision is not None and not is_known_revision(revision):
                raise ServerNewerSchemaError(url, revision)
            if revision != head_revision():
                upgrade_schema(connection)
    except OperationalError as error:
        engine.dispose()
        raise ServerUnreachableError(url, _first_line(error)) from error
    except BaseException:
        engine.dispose()
        raise
    return Database(None, engine, sessionmaker(engine, expire_on_commit=False), key)


def _engine(url: URL) -> Engine:
    return create_engine(
        url,
        hide_parameters=True,  # error messages and logs never carry clinical values
        pool_pre_ping=True,  # a server restarted since the last use is reconnected
        connect_args={"connect_timeout": 10, "application_name": "facilitator"},
    )


def _first_line(error: OperationalError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else "no connection"
