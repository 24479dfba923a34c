"""Where a file leaving the clinic may be written: one check for every export and backup.

    path = check_export_target(Path(args.out), clinic.data_dir, force=args.force)

A target is refused, with a message that says why and what to do, when
- its name holds a line break or another control character, or is over 255 bytes;
- it lies inside the clinic's data folder (symbolic links resolved): an export must never
  replace the database, its key information or a backup;
- it is a folder or a special file (a device, a pipe, a socket), or a link to one: such a
  file is never followed nor replaced (as root, an export to /dev/null once replaced the
  device by a regular file);
- it exists and `force` is false (the command's --force, or the save dialog's own
  confirmation in the app);
- its folder is missing or not writable.
Nothing is read or written before the check passes.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from facilitator.domain.errors import DomainError

MAX_NAME_BYTES = 255


class ExportTargetError(DomainError):
    """A file cannot (or may not) be written where asked; nothing was written."""


def check_export_target(path: Path, data_dir: Path, force: bool) -> Path:
    """The absolute path to write, or ExportTargetError saying why not."""
    check_file_name(path.name)
    target = Path(os.path.abspath(path.expanduser()))
    check_export_folder(target.parent, data_dir)
    _refuse_inside(target, data_dir)
    try:
        found = target.lstat()
    except FileNotFoundError:
        return target
    except OSError as error:
        raise ExportTargetError(f"{target} cannot be checked ({_reason(error)}).") from error
    mode = _followed_mode(target, found)
    if stat.S_ISDIR(mode):
        raise ExportTargetError(f"{target} is a folder: give a file name ending in .pdf.")
    if not stat.S_ISREG(mode):
        raise ExportTargetError(
            f"{target} is a special file (a device, pipe or socket, or a link to one), not a "
            "document: Facilitator never writes over one. Choose a file name in a folder."
        )
    if not force:
        raise ExportTargetError(
            f"{target} already exists and was left as it is. Choose another name, or replace "
            "it on purpose (on the command line: --force)."
        )
    if not os.access(target, os.W_OK):
        raise ExportTargetError(f"Cannot replace {target}: the file is read-only.")
    return target


def check_export_folder(folder: Path, data_dir: Path | None = None) -> Path:
    """`folder` (absolute) if it exists and may be written in, and, when `data_dir` is given,
    is not inside the clinic's data folder; else ExportTargetError."""
    folder = Path(os.path.abspath(folder.expanduser()))
    if not folder.is_dir():
        raise ExportTargetError(
            f"The folder {folder} does not exist (or is not a folder): create it or choose another."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportTargetError(f"Cannot write in {folder}: permission denied. Choose another.")
    if data_dir is not None:
        _refuse_inside(folder, data_dir)
    return folder


def check_file_name(name: str) -> None:
    """Refuse an empty name, control characters (a newline) and names over 255 bytes."""
    if not name or name in (".", ".."):
        raise ExportTargetError("Give a file name, not only a folder.")
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in name):
        raise ExportTargetError(
            f"The file name {name!r} holds a line break or another control character: "
            "choose a plain name. Nothing was written."
        )
    size = len(name.encode("utf-8", "surrogateescape"))
    if size > MAX_NAME_BYTES:
        raise ExportTargetError(
            f"The file name is {size} bytes long; a file name may have at most "
            f"{MAX_NAME_BYTES}. Choose a shorter name. Nothing was written."
        )


def is_inside(path: Path, folder: Path) -> bool:
    """Whether `path` (links resolved) is `folder` or lies in it."""
    resolved, base = path.resolve(), folder.resolve()
    return resolved == base or resolved.is_relative_to(base)


def _refuse_inside(path: Path, data_dir: Path) -> None:
    if is_inside(path, data_dir):
        raise ExportTargetError(
            f"{path} is inside the clinic's data folder {data_dir.resolve()}, which holds the "
            "database, its key information and the backups: nothing is exported there. "
            "Choose another folder."
        )


def _followed_mode(target: Path, found: os.stat_result) -> int:
    """The file type behind `target` (a link followed); a dangling link counts as special."""
    if not stat.S_ISLNK(found.st_mode):
        return found.st_mode
    try:
        return target.stat().st_mode
    except OSError:
        return stat.S_IFSOCK  # points nowhere (or loops): never written through


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
