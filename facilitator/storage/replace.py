"""Put another database file in the clinic database's place, keeping the current one aside.

The new file is first copied next to the database as `<name>.incoming` and checked by the
caller. A marker file then names where the current database goes; the moves that follow
are finished at the next open if a crash or power cut stops them half way, so there is never
a moment after which the clinic could open with no database (and silently start an empty
one) or with the old database's write-ahead log applied to the new file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from facilitator.durable_files import fsync_folder
from facilitator.storage.database import remove_with_side_files

INCOMING_SUFFIX = ".incoming"
MARKER_SUFFIX = ".replacing.json"
MOVED_WITH_DATABASE = ("-wal", "-shm")


def incoming_path(path: Path) -> Path:
    """Where the file that will replace the database at `path` is copied first."""
    return _with(path, INCOMING_SUFFIX)


def replace_database(path: Path, aside: Path) -> None:
    """Move the (closed) database at `path` to `aside`, then the incoming file to `path`.

    The incoming file must be a complete database with no -wal file of its own.
    """
    incoming = incoming_path(path)
    if not incoming.is_file() or _with(incoming, "-wal").exists():
        raise ValueError("the incoming database must be one closed, complete file")
    if aside.exists():
        raise FileExistsError(aside)  # a database kept aside is never overwritten
    marker = _with(path, MARKER_SUFFIX)
    written = _with(marker, ".new")
    with written.open("w", encoding="utf-8") as file:
        json.dump({"aside": aside.name}, file)
        file.flush()
        os.fsync(file.fileno())
    os.replace(written, marker)
    fsync_folder(path.parent)
    _finish(path, aside)


def finish_interrupted_replace(path: Path) -> None:
    """Complete a replacement a crash stopped; discard an incoming copy never committed to."""
    marker = _with(path, MARKER_SUFFIX)
    if marker.exists():
        aside = path.with_name(json.loads(marker.read_text(encoding="utf-8"))["aside"])
        _finish(path, aside)
    else:
        remove_with_side_files(incoming_path(path))


def _finish(path: Path, aside: Path) -> None:
    incoming = incoming_path(path)
    if incoming.exists():
        if path.exists():
            os.replace(path, aside)
        for suffix in MOVED_WITH_DATABASE:  # the log belongs to the file it was written for
            if _with(path, suffix).exists():
                os.replace(_with(path, suffix), _with(aside, suffix))
        os.replace(incoming, path)
        fsync_folder(path.parent)
    _with(path, MARKER_SUFFIX).unlink()
    fsync_folder(path.parent)


def _with(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)
