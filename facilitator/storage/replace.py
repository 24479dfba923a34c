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
from facilitator.storage.errors import ReplaceMarkerError

INCOMING_SUFFIX = ".incoming"
MARKER_SUFFIX = ".replacing.json"
MOVED_WITH_DATABASE = ("-wal", "-shm")
MARKER_MAX_BYTES = 4096


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
        _finish(path, _marked_aside(path, marker))
    else:
        remove_with_side_files(incoming_path(path))


def _marked_aside(path: Path, marker: Path) -> Path:
    """Where the marker says the database goes; ReplaceMarkerError unless that is a plain file
    name beside it that holds nothing another move would overwrite."""
    try:
        if marker.stat().st_size > MARKER_MAX_BYTES:
            raise ValueError("it is too large")
        name = json.loads(marker.read_text(encoding="utf-8"))["aside"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError) as error:
        raise ReplaceMarkerError(marker, "it cannot be read") from error
    reserved = {path.name, *(_with(path, s).name for s in (*MOVED_WITH_DATABASE, INCOMING_SUFFIX))}
    if (
        not isinstance(name, str)
        or name in ("", ".", "..")
        or any(c in name for c in "/\\\0:")
        or name in reserved
        or name.startswith(path.name + MARKER_SUFFIX)
        or not name.isprintable()
        or len(name.encode()) > 255
    ):
        raise ReplaceMarkerError(marker, "the name it gives for the current database is unsafe")
    aside = path.with_name(name)
    if aside.exists() and path.exists() and incoming_path(path).exists():
        raise ReplaceMarkerError(marker, f"the file it names, {name}, already exists")
    return aside


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
