"""Where an exported file goes: the destination checked before any work, then the bytes
written atomically (a hidden temporary file in the destination folder, never /tmp, so no PHI
lands elsewhere; flushed to the disk, then renamed over the destination)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from facilitator.domain.errors import DomainError
from facilitator.durable_files import fsync_folder


class ExportError(DomainError):
    """The file could not be written where asked; nothing was left behind."""


def check_destination(destination: Path) -> Path:
    """The absolute destination, or ExportError saying why a file cannot be written there."""
    path = Path(os.path.abspath(destination.expanduser()))
    folder = path.parent
    if path.is_dir():
        raise ExportError(
            f"{path} is a folder: give a file name ending in {path.suffix or '.pdf'}."
        )
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist: create it or choose another.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"Cannot write in {folder}: permission denied. Choose another folder.")
    if path.exists() and not os.access(path, os.W_OK):
        raise ExportError(f"Cannot replace {path}: the file is read-only.")
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that it holds either its old content or all of the new."""
    try:
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".part"
        )
    except OSError as error:
        raise ExportError(f"Cannot write in {path.parent}: {error.strerror}.") from error
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
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
