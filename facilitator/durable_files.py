"""Making writes durable: a file's bytes, and a rename inside a folder, flushed to the disk.

Plain `os` calls with no other dependency, so the core's storage and services and the reports'
export all call the same two functions.
"""

from __future__ import annotations

import os
from pathlib import Path


def fsync_file(path: Path) -> None:
    """Flush the file at `path` to the disk."""
    with path.open("rb") as file:
        os.fsync(file.fileno())


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (POSIX; NTFS journals renames itself)."""
    if os.name == "nt":
        return
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
