"""Partial files a killed export or backup leaves, removed at the next start.

An export writes its PDF to a hidden `.NAME.XXXXXXXX.part` file beside the target and renames
it when complete (reports/export.py); a backup writes `.Facilitator-….fbackup.partial` in the
data folder, and beside the backup when it is copied to another drive
(facilitator/services/backup.py). A process killed in between (a power cut, a SIGKILL) leaves
that file, which may hold a complete copy of PHI. The folders an export or a manual backup last
went to are remembered (setting "leftovers.folders", written before the file is), and at each
start `clean_leftovers` removes such files from the data folder, its backups folder and those
two folders. Only names of exactly these shapes are touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from facilitator.storage.models import Setting

FOLDERS_SETTING = "leftovers.folders"
EXPORT = "export"
BACKUP = "backup"
EXPORT_PART = re.compile(r"^\..+\.[a-z0-9_]{8}\.part$")
BACKUP_PARTIAL = re.compile(
    r"^\.Facilitator-[0-9a-f]{8}-\d{8}-\d{6}\.fbackup\.partial(-journal|-wal|-shm)?$"
)


@dataclass(frozen=True)
class Cleaned:
    """How many partial files were removed, by kind (counts only: names may carry PHI)."""

    export_parts: int = 0
    backup_partials: int = 0

    def __bool__(self) -> bool:
        return bool(self.export_parts or self.backup_partials)

    def __add__(self, other: Cleaned) -> Cleaned:
        return Cleaned(
            self.export_parts + other.export_parts, self.backup_partials + other.backup_partials
        )


def remember_folder(session: Session, kind: str, folder: Path) -> None:
    """Note that an export (EXPORT) or a manual backup (BACKUP) is being written in `folder`."""
    setting = session.get(Setting, FOLDERS_SETTING) or Setting(key=FOLDERS_SETTING, value={})
    setting.value = {**setting.value, kind: str(folder)}
    session.add(setting)


def remembered_folders(session: Session) -> list[Path]:
    setting = session.get(Setting, FOLDERS_SETTING)
    values = setting.value.values() if setting is not None else ()
    return [Path(value) for value in values if isinstance(value, str)]


def clean_leftovers(data_dir: Path, folders: list[Path]) -> Cleaned:
    """Remove the partial files of killed exports and backups; say how many went."""
    cleaned = Cleaned()
    seen: set[Path] = set()
    for folder in [data_dir, data_dir / "backups", *folders]:
        try:
            resolved = folder.resolve()
        except OSError:
            continue
        if resolved not in seen:
            seen.add(resolved)
            cleaned += _clean(resolved)
    return cleaned


def _clean(folder: Path) -> Cleaned:
    exports = backups = 0
    try:
        entries = list(folder.iterdir())
    except OSError:
        return Cleaned()  # a stick that is not plugged in: cleaned when it is
    for path in entries:
        if BACKUP_PARTIAL.match(path.name):
            backups += _remove(path)
        elif EXPORT_PART.match(path.name):
            exports += _remove(path)
    return Cleaned(exports, backups)


def _remove(path: Path) -> int:
    if path.is_symlink() or not path.is_file():
        return 0
    try:
        path.unlink()
    except OSError:
        return 0
    return 1
