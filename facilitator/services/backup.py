"""Backups of the clinic database, encrypted like it, through SQLite's online backup API.

A backup is a single SQLCipher file keyed with the clinic's own key: the same clinic restores
it with no further step; on another computer it needs the clinic's recovery code (see
README, "Backup and restore"). Its name carries the clinic's id (the first characters of the
database id in facilitator.keyinfo.json, never the clinic's name: a file name on a USB stick
must disclose nothing) and the local time it was made. Files are written under a temporary
name, flushed to the disk and then renamed, so a folder never holds half a backup under a
backup's name.

Automatic backups live in the data folder's `backups` folder: one a day (made at start when
the day has none, and renewed at each close), keeping the newest N days, N being the
administrator's setting. Renewing never loses records: when the day's earlier backup holds
more participants, notes or audit entries than the new one (the database was emptied or
replaced meanwhile), the earlier one is kept beside it as `….kept-more-records.fbackup`,
which is never pruned, and the audit log and the caller say so. Backups and their partial
files are written 0600.
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy.orm import Session

from facilitator import __version__
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.durable_files import fsync_file, fsync_folder
from facilitator.export_target import is_inside
from facilitator.leftovers import BACKUP, remember_folder
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.storage.database import Database, connector, remove_with_side_files
from facilitator.storage.errors import ServerFeatureError, StorageError
from facilitator.storage.models import Setting
from facilitator.storage.unit_of_work import unit_of_work

BACKUP_SUFFIX = ".fbackup"
AUTOMATIC_FOLDER = "backups"
PARTIAL_SUFFIX = ".partial"
KEEP_SETTING = "backup.keep"
INFO_SETTING = "backup.info"  # written into each backup: when it was made, of which clinic
DEFAULT_KEEP = 14
MAX_KEEP = 365
STAMP_FORMAT = "%Y%m%d-%H%M%S"
NAME_PATTERN = re.compile(
    r"^Facilitator-(?P<clinic>[0-9a-f]{8})-(?P<stamp>\d{8}-\d{6})" + re.escape(BACKUP_SUFFIX) + "$"
)
KEPT_INFIX = ".kept-more-records"
CHUNK = 1 << 20

Progress = Callable[[int, int], None]
"""Called with (bytes written, bytes in all) while a backup is copied to its folder."""


class BackupError(StorageError):
    """A backup could not be made; nothing under a backup's name was written."""


class DestinationError(BackupError):
    def __init__(self, folder: Path, reason: str) -> None:
        super().__init__(
            f"A backup cannot be written to {folder}: {reason}. Nothing was written there. "
            "Choose another folder, or check that the drive is plugged in, not write-protected "
            "and not full."
        )
        self.folder = folder


class BackupFailedError(BackupError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"The backup could not be made ({reason}). No partial backup was left behind, and "
            "the clinic's data is unchanged. Check the free space on the disk and try again."
        )


@dataclass(frozen=True)
class BackupFile:
    """A backup on disk, as its name describes it."""

    path: Path
    clinic_id: str
    made_at: datetime  # local time, naive, from the name
    kept: Path | None = None  # the day's earlier backup, kept because it held more records

    @property
    def day(self) -> date:
        return self.made_at.date()


def clinic_id_of(database_id: str) -> str:
    """The short id naming a clinic's backups: the first 8 hex digits of its database id."""
    return uuid.UUID(database_id).hex[:8]


def backup_name(clinic_id: str, made_at: datetime) -> str:
    return f"Facilitator-{clinic_id}-{made_at.strftime(STAMP_FORMAT)}{BACKUP_SUFFIX}"


def backups_in(folder: Path, clinic_id: str | None = None) -> list[BackupFile]:
    """The backups in `folder` (of one clinic if given), oldest first."""
    found = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        match = NAME_PATTERN.match(path.name)
        if match is None or (clinic_id is not None and match["clinic"] != clinic_id):
            continue
        made_at = datetime.strptime(match["stamp"], STAMP_FORMAT)
        found.append(BackupFile(path, match["clinic"], made_at))
    return sorted(found, key=lambda b: b.made_at)


def write_backup(
    database: Database,
    folder: Path,
    clinic_id: str,
    made_at: datetime,
    progress: Progress | None = None,
) -> BackupFile:
    """Write an encrypted backup of `database` into `folder`; return it.

    The snapshot is taken in one step of the online backup API (a consistent copy while the
    app keeps writing), next to the database, and checked; then it is moved, or copied with
    progress when `folder` is on another drive, under its final name.
    """
    _check_destination(folder)
    local = made_at.astimezone().replace(tzinfo=None, microsecond=0)
    while (folder / backup_name(clinic_id, local)).exists():  # never over another backup
        local += timedelta(seconds=1)
    final = folder / backup_name(clinic_id, local)
    snapshot = database.file.with_name(f".{final.name}{PARTIAL_SUFFIX}")
    remove_with_side_files(snapshot)
    try:
        _snapshot(database, snapshot, clinic_id, made_at)
        os.chmod(snapshot, 0o600)
        fsync_file(snapshot)
        if _same_drive(snapshot.parent, folder):
            if progress is not None:
                progress(snapshot.stat().st_size, snapshot.stat().st_size)
            os.replace(snapshot, final)
        else:
            _copy(snapshot, final, progress)
        fsync_folder(folder)
    except (OSError, sqlcipher3.dbapi2.Error) as error:
        raise BackupFailedError(_reason(error)) from error
    finally:
        remove_with_side_files(snapshot)
    return BackupFile(final, clinic_id, local)


def _check_destination(folder: Path) -> None:
    if not folder.is_dir():
        raise DestinationError(folder, "it is not a folder, or it does not exist")
    probe = folder / f".facilitator-write-test-{uuid.uuid4().hex}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise DestinationError(folder, f"it is not writable ({_reason(error)})") from error


def _snapshot(database: Database, path: Path, clinic_id: str, made_at: datetime) -> None:
    source, target = database.connect(), connector(path, database.key)()
    try:
        source.backup(target)  # one step: a consistent copy that concurrent writes never restart
        target.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, no WAL
        info = {"made_at": made_at.isoformat(), "clinic_id": clinic_id, "version": __version__}
        target.execute(
            "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
            (INFO_SETTING, json.dumps(info)),
        )
        target.commit()
        problems = target.execute("PRAGMA quick_check").fetchall()
        if problems != [("ok",)]:
            raise BackupFailedError("the copy failed its check")
    finally:
        target.close()
        source.close()


def _same_drive(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def _copy(source: Path, final: Path, progress: Progress | None) -> None:
    """Copy `source` to `final` through a temporary name, flushed before the rename."""
    partial = final.with_name(f".{final.name}{PARTIAL_SUFFIX}")
    total = source.stat().st_size
    done = 0
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with source.open("rb") as reading, os.fdopen(descriptor, "wb") as writing:
            while chunk := reading.read(CHUNK):
                writing.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
            writing.flush()
            os.fsync(writing.fileno())
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def backup_info(connection: Any) -> dict[str, Any]:
    """What a backup says about itself (empty for a database that is not a backup)."""
    row = connection.execute("SELECT value FROM setting WHERE key = ?", (INFO_SETTING,)).fetchone()
    if row is None:
        return {}
    value = json.loads(row[0])
    return value if isinstance(value, dict) else {}


class Backups:
    """The clinic's backups: automatic ones in the data folder, manual ones anywhere."""

    def __init__(
        self, database: Database, audit: AuditTrail, data_dir: Path, clinic_id: str
    ) -> None:
        self._database = database
        self._audit = audit
        self._clinic_id = clinic_id
        self._data_dir = data_dir
        self.folder = data_dir / AUTOMATIC_FOLDER

    def keep(self) -> int:
        """How many days of automatic backups are kept."""
        with unit_of_work(self._database) as session:
            return _keep(session)

    def set_keep(self, user: SignedInUser, count: int) -> None:
        """Change how many days of automatic backups are kept (administrators only)."""
        if not user.is_administrator:
            raise DomainError("Only an administrator can change how many backups are kept.")
        if not 1 <= count <= MAX_KEEP:
            raise DomainError(f"Keep between 1 and {MAX_KEEP} days of automatic backups.")
        with unit_of_work(self._database) as session:
            old = _keep(session)
            setting = session.get(Setting, KEEP_SETTING) or Setting(key=KEEP_SETTING, value={})
            setting.value = {"count": count}
            session.add(setting)
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.SETTINGS_CHANGE,
                object_type="setting",
                object_id=KEEP_SETTING,
                detail={"old": old, "new": count},
            )
        self._prune(count)

    def automatic(self) -> list[BackupFile]:
        """This clinic's automatic backups, oldest first."""
        return backups_in(self.folder, self._clinic_id)

    def daily_due(self, today: date) -> bool:
        """True when today has no automatic backup yet."""
        return all(b.day != today for b in self.automatic())

    def back_up_automatically(
        self, actor: uuid.UUID | None, trigger: str, now: datetime
    ) -> BackupFile:
        """Make today's automatic backup (replacing an earlier one of today); prune old days.

        `trigger` says why ("start" or "close") in the audit log. An earlier backup of today
        that holds more records than the new one is kept (renamed, never pruned): `kept`.
        """
        try:
            self.folder.mkdir(exist_ok=True, mode=0o700)
        except OSError as error:
            raise DestinationError(self.folder, _reason(error)) from error
        made = self._write(self.folder, actor, trigger, now, None)
        made_counts = count_records(made.path, self._database.key)
        for older in self.automatic():
            if older.day == made.day and older.path != made.path:
                if _holds_more(count_records(older.path, self._database.key), made_counts):
                    made = replace(made, kept=self._keep_aside(older, actor, trigger))
                else:
                    older.path.unlink(missing_ok=True)
        self._prune(self.keep())
        return made

    def _keep_aside(self, older: BackupFile, actor: uuid.UUID | None, trigger: str) -> Path:
        kept = older.path.with_name(
            older.path.name.replace(BACKUP_SUFFIX, KEPT_INFIX + BACKUP_SUFFIX)
        )
        os.replace(older.path, kept)
        fsync_folder(self.folder)
        with unit_of_work(self._database) as session:
            self._audit.record(
                session,
                actor=actor,
                action=AuditAction.BACKUP,
                object_type="backup",
                outcome="kept",
                detail={"trigger": trigger, "path": str(kept), "reason": "holds_more_records"},
            )
        return kept

    def back_up_to(
        self,
        folder: Path,
        actor: uuid.UUID | None,
        now: datetime,
        progress: Progress | None = None,
    ) -> BackupFile:
        """A backup in a folder the user chose (a USB stick), outside the data folder (it must
        survive the loss of it); never pruned. The folder is remembered first, so a partial
        file a crash leaves there is removed at the next start."""
        if folder.is_dir() and is_inside(folder, self._data_dir):
            self._record(actor, "manual", folder, "failure", "destinationerror")
            raise DestinationError(
                folder, "it is inside the clinic's data folder, which a backup must outlive"
            )
        with unit_of_work(self._database) as session:
            remember_folder(session, BACKUP, folder)
        return self._write(folder, actor, "manual", now, progress)

    def _write(
        self,
        folder: Path,
        actor: uuid.UUID | None,
        trigger: str,
        now: datetime,
        progress: Progress | None,
    ) -> BackupFile:
        try:
            made = write_backup(self._database, folder, self._clinic_id, now, progress)
        except (BackupError, ServerFeatureError) as error:
            self._record(actor, trigger, folder, "failure", type(error).__name__.lower())
            raise
        self._record(actor, trigger, made.path, "success", None)
        return made

    def _record(
        self, actor: uuid.UUID | None, trigger: str, path: Path, outcome: str, error: str | None
    ) -> None:
        detail: dict[str, str | int | bool | None] = {"trigger": trigger, "path": str(path)}
        if error is not None:
            detail["error"] = error
        try:
            with unit_of_work(self._database) as session:
                self._audit.record(
                    session,
                    actor=actor,
                    action=AuditAction.BACKUP,
                    object_type="backup",
                    outcome=outcome,
                    detail=detail,
                )
        except Exception:
            if outcome == "success":
                raise
            # The failure being recorded (a full disk) may stop the audit write too; the
            # caller still reports the backup's own error.

    def _prune(self, keep: int) -> None:
        for old in self.automatic()[:-keep]:
            old.path.unlink(missing_ok=True)


@dataclass(frozen=True)
class RecordCounts:
    """How much a backup holds, to tell a fuller backup from an emptier one."""

    participants: int
    notes: int
    audit_events: int


def count_records(path: Path, key: bytes) -> RecordCounts:
    """Count the records of the backup at `path` (read only, nothing written beside it)."""
    connection = connector(path, key, uri=f"{path.resolve().as_uri()}?mode=ro&immutable=1")()
    try:

        def count(table: str) -> int:
            return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        return RecordCounts(count("participant"), count("participant_note"), count("audit_event"))
    except sqlcipher3.dbapi2.Error:
        return RecordCounts(0, 0, 0)  # unreadable: holds nothing worth keeping over a new one
    finally:
        connection.close()


def _holds_more(older: RecordCounts, newer: RecordCounts) -> bool:
    return (
        older.participants > newer.participants
        or older.notes > newer.notes
        or older.audit_events > newer.audit_events
    )


def _keep(session: Session) -> int:
    setting = session.get(Setting, KEEP_SETTING)
    count = setting.value.get("count") if setting is not None else None
    return count if isinstance(count, int) and 1 <= count <= MAX_KEEP else DEFAULT_KEEP
