"""Storage failures, each with a message a clinician or IT administrator can act on."""

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


class NewerSchemaError(StorageError):
    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"{path} was written by a newer version of Facilitator (schema {revision}). It was "
            "left untouched. Install the newer version to open it."
        )
        self.path = path
        self.revision = revision


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
