"""Storage failures, each with a message a clinician or IT administrator can act on."""

import errno
import os
from pathlib import Path


class StorageError(Exception):
    """The data could not be opened or saved; the message says what happened and what to do."""


class DataFolderError(StorageError):
    def __init__(self, folder: Path, reason: str) -> None:
        super().__init__(
            f"The data folder {folder} cannot be used: {reason}. Choose another folder with "
            "--data-dir or FACILITATOR_DATA_DIR, or ask your IT administrator to fix its "
            "permissions."
        )
        self.folder = folder


class NotADatabaseError(StorageError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is not a Facilitator database (it may be damaged or a different kind of "
            "file). It was left untouched. Restore it from a backup or choose another data "
            "folder."
        )
        self.path = path


class DatabaseNotAFileError(StorageError):
    def __init__(self, path: Path) -> None:
        kind = "a folder" if path.is_dir() else "a special file (a device, a pipe or a socket)"
        super().__init__(
            f"{path} is {kind}, not the clinic's database file. Nothing was changed. Move it "
            "out of the data folder and restore the database from a backup, or choose another "
            "data folder with --data-dir."
        )
        self.path = path


class ReplaceMarkerError(StorageError):
    def __init__(self, marker: Path, reason: str) -> None:
        super().__init__(
            f"A restore was interrupted, but the file {marker.name} that says how to finish it "
            f"is not one Facilitator wrote ({reason}). Nothing in {marker.parent} was changed. "
            f"Move {marker.name} out of the data folder to open the clinic as it is, then "
            "restore the backup again if it is still wanted."
        )
        self.marker = marker


class NewerSchemaError(StorageError):
    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"{path} was written by a newer version of Facilitator (schema {revision}). It was "
            "left untouched. Install the newer version to open it."
        )
        self.path = path
        self.revision = revision


class ServerFeatureError(StorageError):
    def __init__(self) -> None:
        super().__init__(
            "This clinic's records are on a PostgreSQL server, and this works only on a clinic "
            "kept in a database file for now (backups and restores of a clinic server are not "
            "built yet: see docs/clinic-server.md). Nothing was changed. Use the server's own "
            "backups (pg_dump or pg_basebackup) meanwhile."
        )


class ConversionError(StorageError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The unencrypted database could not be converted to an encrypted one ({reason}). "
            f"The unencrypted file was kept as it was and the partial copy {path} was removed. "
            "Make a backup of the data folder and contact support."
        )
        self.path = path


class UpgradeFailedError(StorageError):
    def __init__(self, path: Path, revision: str | None, head: str, reason: str) -> None:
        super().__init__(
            f"{path} could not be upgraded from schema {revision or 'none'} to {head} "
            f"({reason}). The upgrade ran on a copy, so the database was left untouched; the "
            "previous version of Facilitator still opens it. Contact support with this message."
        )
        self.path = path
        self.revision = revision


DISK_FULL = (
    "The disk holding the clinic's data is full, so the latest changes could not be saved. "
    "They are kept in this window and saved as soon as there is room: free some space (empty "
    "the trash, move large files elsewhere), and keep Facilitator open until it says that "
    "all changes are saved."
)
READ_ONLY = (
    "The clinic's data folder cannot be written any more (the drive was unplugged or became "
    "read-only, or its permissions changed), so the latest changes could not be saved. They "
    "are kept in this window and saved as soon as the folder is writable again: reconnect the "
    "drive or ask IT, and keep Facilitator open until it says that all changes are saved."
)
DISK_ERROR = (
    "The disk reported an error while saving, so the latest changes could not be saved. They "
    "are kept in this window and retried. If this goes on, ask IT to check the disk, and keep "
    "Facilitator open until it says that all changes are saved."
)


def describe_write_failure(error: BaseException, folder: Path | None = None) -> str:
    """A message a clinician can act on for a failed save: a full disk, a read-only folder,
    a failing disk; else the error's own message (rule refusals already speak plainly).

    SQLite reports a drive turned read-only under it as a plain I/O error, so the data
    `folder`, when given, is looked at too.
    """
    errno_value = getattr(error, "errno", None)
    text = str(error).lower()
    if errno_value == errno.ENOSPC or "disk is full" in text or "no space left" in text:
        return DISK_FULL
    if errno_value == errno.EROFS or "readonly" in text or "read-only" in text:
        return READ_ONLY
    if errno_value == errno.EIO or "disk i/o error" in text:
        return _folder_state(folder) or DISK_ERROR
    return str(error)


def _folder_state(folder: Path | None) -> str | None:
    """READ_ONLY or DISK_FULL when a test write in `folder` fails so; None when it works."""
    if folder is None:
        return None
    probe = folder / ".facilitator-write-probe"
    try:
        with probe.open("wb") as file:
            file.write(b"\0" * 4096)
            file.flush()
            os.fsync(file.fileno())
        probe.unlink()
    except OSError as error:
        return DISK_FULL if error.errno == errno.ENOSPC else READ_ONLY
    return None


def describe_os_error(error: OSError) -> str:
    """An operating system refusal in words, naming the file it was about."""
    reason = error.strerror or type(error).__name__
    if error.errno == errno.ENAMETOOLONG:
        reason += " (a name may have at most 255 bytes, a whole path 4096)"
    about = f": {error.filename}" if error.filename is not None else ""
    return f"{reason}{about}. Nothing more was done; check the name and try again."
