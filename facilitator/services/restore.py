"""Restore the clinic database from a backup: check it, keep the current one aside, reopen.

Nothing is altered until the backup has passed every check, on the file itself and again on
its copy in the data folder, and has been upgraded (on that copy) to this version's schema.
The current database is then renamed with the time of the restore, never overwritten or
deleted, and the copy takes its place (facilitator/storage/replace.py finishes this after a
crash).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.backup import backup_info
from facilitator.storage.database import (
    Database,
    check_existing,
    connector,
    has_plaintext_header,
    head_revision,
    open_database,
    remove_with_side_files,
)
from facilitator.storage.errors import NewerSchemaError, NotADatabaseError, StorageError
from facilitator.storage.models import Clinician
from facilitator.storage.replace import incoming_path, replace_database

PAGE_MULTIPLE = 512
ASIDE_INFIX = ".before-restore-"
STAMP_FORMAT = "%Y%m%d-%H%M%S"


class RestoreRefusedError(DomainError):
    """The user may not restore, or did not confirm; nothing was changed."""


def check_can_restore(user: SignedInUser) -> None:
    if not user.is_administrator:
        raise RestoreRefusedError(
            "Only an administrator can restore a backup. Nothing was changed."
        )


class RestoreError(StorageError):
    """The backup cannot be restored; nothing was changed."""


class NotABackupError(RestoreError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"{path} is not a Facilitator backup ({reason}). Nothing was changed. Choose a "
            "file named Facilitator-….fbackup."
        )
        self.path = path


class OtherClinicBackupError(RestoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} does not open with this clinic's key: it is a backup of another clinic, "
            "or its first page is damaged. Nothing was changed. To restore another clinic's "
            "backup, use an empty data folder and that clinic's recovery code (README, "
            "Backup and restore)."
        )
        self.path = path


class DamagedBackupError(RestoreError):
    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(
            f"{path} is damaged: it failed the integrity check ({problem}). Nothing was "
            "changed. Try an older backup."
        )
        self.path = path


class NewerBackupError(RestoreError):
    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"{path} was made by a newer version of Facilitator (schema {revision}). Nothing "
            "was changed. Install that version, then restore it."
        )
        self.path = path


class RestoreFailedError(RestoreError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The backup could not be put in place ({reason}). The current database was left "
            "as it was. Check the free space in the data folder and try again."
        )


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, as the user confirms it before restoring."""

    path: Path
    made_at: datetime | None  # None for a database file that was not made as a backup
    revision: str
    participants: int
    notes: int
    signed_notes: int

    @property
    def needs_upgrade(self) -> bool:
        return self.revision != head_revision()


@dataclass(frozen=True)
class RestoreResult:
    summary: BackupSummary
    kept_aside: Path | None  # the database that was in place, under its new name


def inspect_backup(path: Path, key: bytes) -> BackupSummary:
    """Check that `path` is a sound backup of the clinic keyed by `key`; say what it holds.

    Reads the file without writing anything next to it (it may be on a read-only stick).
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise NotABackupError(path, error.strerror or "it cannot be read") from error
    if not path.is_file():
        raise NotABackupError(path, "it is not a file")
    if size == 0 or size % PAGE_MULTIPLE:
        raise NotABackupError(path, "it is not a database file")
    if has_plaintext_header(path):
        raise NotABackupError(path, "it is not encrypted; Facilitator backups always are")
    try:
        check_existing(path, key)
    except NotADatabaseError as error:
        raise OtherClinicBackupError(path) from error
    except NewerSchemaError as error:
        raise NewerBackupError(path, error.revision) from error
    uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
    connection = connector(path, key, uri=uri)()
    try:
        problems = _integrity_problems(connection)
        if problems:
            raise DamagedBackupError(path, problems)
        return _summary(path, connection)
    except sqlcipher3.dbapi2.DatabaseError as error:
        raise DamagedBackupError(path, str(error)) from error
    finally:
        connection.close()


def _integrity_problems(connection: Any) -> str:
    integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    cipher = [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")]
    problems = [p for p in integrity if p != "ok"] + cipher
    return "; ".join(problems[:3])


def _summary(path: Path, connection: Any) -> BackupSummary:
    tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
    missing = {"alembic_version", "participant", "participant_note", "setting"} - tables
    if missing:
        raise NotABackupError(path, "it does not hold a clinic's records")

    def count(sql: str) -> int:
        return int(connection.execute(sql).fetchone()[0])

    info = backup_info(connection)
    made_at = info.get("made_at")
    return BackupSummary(
        path=path,
        made_at=datetime.fromisoformat(made_at) if isinstance(made_at, str) else None,
        revision=str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]),
        participants=count("SELECT count(*) FROM participant"),
        notes=count("SELECT count(*) FROM participant_note"),
        signed_notes=count("SELECT count(*) FROM participant_note WHERE status != 'draft'"),
    )


def aside_path(path: Path, now: datetime) -> Path:
    """A name for the current database that no file has: it is never overwritten."""
    stamp = now.astimezone().strftime(STAMP_FORMAT)
    candidate = path.with_name(f"{path.name}{ASIDE_INFIX}{stamp}")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}{ASIDE_INFIX}{stamp}-{number}")
    return candidate


def restore_database(
    database: Database, backup: Path, now: datetime
) -> tuple[Database, RestoreResult]:
    """Replace `database` by `backup` and return the reopened, upgraded database.

    `database` is closed on success; on any error it stays open and unchanged.
    """
    path, key = database.file, database.key
    result = put_backup_in_place(path, key, backup, now, before_replace=database.close)
    return open_database(path, key), result


def put_backup_in_place(
    path: Path,
    key: bytes,
    backup: Path,
    now: datetime,
    before_replace: Callable[[], None] = lambda: None,
) -> RestoreResult:
    """Check `backup`, copy and upgrade it beside `path`, then put it in place of the database
    at `path` (kept aside under a dated name when there is one). On any error before
    `before_replace` is called, nothing changed."""
    inspect_backup(backup, key)
    incoming = incoming_path(path)
    remove_with_side_files(incoming)
    try:
        _copy(backup, incoming)
        summary = inspect_backup(incoming, key)
        open_database(incoming, key).close()  # upgraded on the copy: a failure changes nothing
    except StorageError:
        remove_with_side_files(incoming)
        raise
    except OSError as error:
        remove_with_side_files(incoming)
        raise RestoreFailedError((error.strerror or str(error)).lower()) from error
    before_replace()
    existed = path.exists()
    aside = aside_path(path, now)
    replace_database(path, aside)
    return RestoreResult(replace(summary, path=backup), aside if existed else None)


def _copy(source: Path, target: Path) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with source.open("rb") as reading, os.fdopen(descriptor, "wb") as writing:
        shutil.copyfileobj(reading, writing, 1 << 20)
        writing.flush()
        os.fsync(writing.fileno())


def record_restore(
    session: Session,
    audit: AuditTrail,
    user: SignedInUser | None,
    result: RestoreResult,
    reason: str | None = None,
) -> None:
    """Audit a restore in the restored database (which may predate the user's account).

    `user` is None for a restore over a missing database (no one could sign in); `reason`
    then says why ("missing_database", "empty_database")."""
    known = user is not None and session.get(Clinician, user.id) is not None
    summary = result.summary
    audit.record(
        session,
        actor=user.id if user is not None and known else None,
        action=AuditAction.RESTORE,
        object_type="backup",
        detail={
            "backup_path": str(summary.path),
            "kept_aside_path": str(result.kept_aside) if result.kept_aside else None,
            "made_on": summary.made_at.date().isoformat() if summary.made_at else None,
            "revision": summary.revision,
            "participants": summary.participants,
            "notes": summary.notes,
            "restored_by": None if known or user is None else str(user.id),
            **({"reason": reason} if reason else {}),
        },
    )
