"""A data folder that held a clinic but whose database is missing or empty: say so, restore.

A new clinic starts only in a folder with no trace of another: no backups, no key information
file (facilitator.keyinfo.json), no passphrase-wrapped key (facilitator.key), no database kept
aside by a restore. Where such traces exist and facilitator.db is missing, zero bytes long, or
holds no account and no participant, opening refuses with ClinicMissingError (the app offers
the latest backup, the commands say how to restore it) and nothing is created or changed. A
database that does not open with the clinic's key (damaged) beside backups is offered the same
way; restoring keeps the damaged file aside.

`restore_missing_clinic` then puts a backup in place. There is no account to sign in with in
a missing database; the clinic's key (from its keyring entry or passphrase, or put back with
`key recover`) is what lets a backup be restored, as it is what opens the backup at all. The
restore is written to the restored clinic's audit log, with no actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select

from facilitator.security.audit import AuditTrail, audit_key
from facilitator.security.errors import RECOVER_COMMAND, MissingKeyError
from facilitator.security.key_info import KEY_INFO_FILENAME, read_key_info
from facilitator.security.key_store import KEYRING, KeyStore
from facilitator.security.passphrase_store import WRAPPED_KEY_FILENAME
from facilitator.services.backup import AUTOMATIC_FOLDER, BackupFile, backups_in, count_records
from facilitator.services.restore import (
    ASIDE_INFIX,
    BackupSummary,
    RestoreResult,
    inspect_backup,
    put_backup_in_place,
    record_restore,
)
from facilitator.storage.database import DATABASE_FILENAME, Database, open_database
from facilitator.storage.errors import NotADatabaseError, StorageError
from facilitator.storage.models import Clinician, Participant
from facilitator.storage.unit_of_work import unit_of_work

MISSING = "missing"
EMPTY = "empty"
DAMAGED = "damaged"
RESTORE_COMMAND = 'facilitator --data-dir "{folder}" restore {file}'


@dataclass(frozen=True)
class ClinicTraces:
    """What a data folder shows of a clinic besides its database."""

    backups: list[BackupFile]  # automatic backups, of any clinic, oldest first
    files: list[str]  # key information, wrapped key, databases kept aside (names)
    participants: int | None = None  # in the latest backup, when its key was at hand

    def __bool__(self) -> bool:
        return bool(self.backups or self.files)

    @property
    def latest(self) -> BackupFile | None:
        return self.backups[-1] if self.backups else None


class ClinicMissingError(StorageError):
    """The folder held a clinic whose database is missing or empty; nothing was created."""

    def __init__(self, folder: Path, state: str, traces: ClinicTraces) -> None:
        latest = traces.latest
        if latest is not None:
            count = (
                f", {traces.participants} participants" if traces.participants is not None else ""
            )
            held = f"last backup {latest.made_at:%Y-%m-%d %H:%M}{count}"
            how = RESTORE_COMMAND.format(folder=folder, file="--latest")
            button = "Restore latest backup…"
        else:
            held = ", ".join(traces.files)
            how = RESTORE_COMMAND.format(folder=folder, file="FILE.fbackup")
            button = "Choose backup…"
        super().__init__(
            f"This folder held a clinic ({held}), but its database {DATABASE_FILENAME} is "
            f"{state}. No new clinic was started and nothing was changed. Restore a backup: "
            f"{how} (or, in the app, {button}). To start a new clinic on purpose, "
            "use another data folder."
        )
        self.folder = folder
        self.state = state
        self.traces = traces


def find_traces(data_dir: Path, key: bytes | None = None) -> ClinicTraces:
    """The traces of a clinic in `data_dir`; the latest backup is counted when `key` opens it."""
    backups = backups_in(data_dir / AUTOMATIC_FOLDER)
    named = (KEY_INFO_FILENAME, WRAPPED_KEY_FILENAME)
    files = [name for name in named if (data_dir / name).exists()]
    files += sorted(p.name for p in data_dir.glob(f"{DATABASE_FILENAME}{ASIDE_INFIX}*"))
    participants = None
    if backups and key is not None:
        participants = count_records(backups[-1].path, key).participants or None
    return ClinicTraces(backups, files, participants)


def database_state(path: Path) -> str | None:
    """MISSING or EMPTY (zero bytes) for a database file with nothing in it; None otherwise."""
    if not path.exists():
        return MISSING
    return EMPTY if path.is_file() and path.stat().st_size == 0 else None


def refuse_over_traces(data_dir: Path, state: str, store: KeyStore) -> None:
    """ClinicMissingError when `data_dir` shows traces of a clinic."""
    traces = find_traces(data_dir)
    if traces:
        raise ClinicMissingError(
            data_dir, state, find_traces(data_dir, _silent_key(data_dir, store))
        )


def refuse_empty_over_backups(database: Database) -> None:
    """ClinicMissingError when the open database holds no account and no participant while
    its folder has backups (a first start's setup never finished, or the file was emptied)."""
    data_dir = database.file.parent
    if backups_in(data_dir / AUTOMATIC_FOLDER) and _holds_no_one(database):
        raise ClinicMissingError(data_dir, EMPTY, find_traces(data_dir, database.key))


def refuse_damaged_over_backups(data_dir: Path, key: bytes) -> None:
    """ClinicMissingError (DAMAGED) when the database did not open with the clinic's own key
    and the folder has backups to restore; else nothing (the caller's error stands)."""
    traces = find_traces(data_dir, key)
    if traces.backups:
        raise ClinicMissingError(data_dir, DAMAGED, traces)


def _holds_no_one(database: Database) -> bool:
    with unit_of_work(database) as session:
        people = session.scalar(select(func.count()).select_from(Clinician)) or 0
        people += session.scalar(select(func.count()).select_from(Participant)) or 0
    return people == 0


def clinic_key(data_dir: Path, store: KeyStore) -> bytes:
    """The clinic's key, from where its key information says it is kept."""
    info = read_key_info(data_dir)
    if info is None:
        raise StorageError(
            f"The clinic's key is not known here: {KEY_INFO_FILENAME}, which says where it is "
            f"kept, is missing from {data_dir} too. Nothing was changed. Put the key back with "
            "the administrator's recovery code first ("
            + RECOVER_COMMAND.format(folder=f'"{data_dir}"')
            + "), then restore the backup."
        )
    key = store.load(info.database_id)
    if key is None or not info.matches(key):
        raise MissingKeyError(data_dir, store.description)
    return key


def inspect_for_missing(data_dir: Path, backup: Path, store: KeyStore) -> BackupSummary:
    """Check `backup` against the clinic's key before restoring it over a missing database."""
    return inspect_backup(backup, clinic_key(data_dir, store))


def restore_missing_clinic(
    data_dir: Path, backup: Path, store: KeyStore, now: datetime
) -> RestoreResult:
    """Put `backup` in place of the missing, empty or damaged database (a file is kept aside),
    upgraded, and audit it in the restored records. Refuses unless the database is missing,
    empty or damaged: a clinic with records is restored by a signed-in administrator."""
    path = data_dir / DATABASE_FILENAME
    key = clinic_key(data_dir, store)
    state = database_state(path)
    if state is None:
        try:
            database = open_database(path, key)
        except NotADatabaseError:
            state = DAMAGED
        else:
            try:
                state = EMPTY if _holds_no_one(database) else None
            finally:
                database.close()
    if state is None:
        raise StorageError(
            f"{path} holds a clinic: an administrator restores over it, signed in (in the app, "
            "or with `facilitator restore FILE`). Nothing was changed."
        )
    result = put_backup_in_place(path, key, backup, now)
    database = open_database(path, key)
    try:
        with unit_of_work(database) as session:
            record_restore(session, AuditTrail(audit_key(key)), None, result, f"{state}_database")
    finally:
        database.close()
    return result


def _silent_key(data_dir: Path, store: KeyStore) -> bytes | None:
    """The clinic's key when it can be had without asking anyone (a keyring), else None."""
    if store.kind != KEYRING:
        return None
    try:
        return clinic_key(data_dir, store)
    except (StorageError, OSError):
        return None
