"""Where an exported file goes: the target checked before any work
(facilitator.export_target), then the bytes written atomically: a hidden temporary file in the
destination folder (never /tmp, so no PHI lands elsewhere), flushed to the disk, the target
checked again, then renamed over it. A killed export leaves only the hidden partial, which the
next start removes (facilitator.leftovers)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from facilitator.durable_files import fsync_folder
from facilitator.export_target import ExportTargetError

ExportError = ExportTargetError  # the file could not be written where asked; nothing was left
PART_SUFFIX = ".part"
_PART_NAME_CHARS = 200  # of the file's name in its hidden partial's: within 255 bytes


def write_atomically(path: Path, data: bytes, force: bool) -> None:
    """Write `data` to `path` so that it holds either its old content or all of the new.

    The bytes go to a hidden `.NAME.XXXXXXXX.part` file (0600) in the same folder first; the
    target is checked again just before the rename, in case it changed meanwhile.
    """
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name[:_PART_NAME_CHARS]}.", suffix=PART_SUFFIX
        )
    except OSError as error:
        raise ExportError(f"Cannot write in {path.parent}: {error.strerror}.") from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        _recheck(path, force)
        os.replace(temporary, path)
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise ExportError(f"Cannot write {path}: {error.strerror}.") from error
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_folder(path.parent)


def _recheck(path: Path, force: bool) -> None:
    """ExportError if `path` became something it may not be replaced as since the check."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode) and not (stat.S_ISLNK(mode) and path.is_file()):
        raise ExportError(f"{path} became a special file or folder; nothing was written.")
    if not force:
        raise ExportError(f"{path} was created meanwhile and was left as it is.")
