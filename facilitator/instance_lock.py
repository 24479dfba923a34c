"""One writer per data folder: an OS file lock that the app and every command take.

The lock is the file `facilitator.lock` in the data folder, locked with flock (POSIX) or
msvcrt (Windows). The OS releases it when its process ends, however it ends (a crash, a
SIGKILL, a power cut), so a lock is never stale. The holder writes its process id and what
it is ("app", or the command's name) into the file, so a refused launch can say who holds it.
The app (ui/single_instance.py) and the commands (facilitator/cli/main.py) share this module,
so a restore from the command line can never run under an open app, nor the app start during
one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import weakref
from dataclasses import dataclass
from pathlib import Path

from facilitator.storage.errors import StorageError

LOCK_FILENAME = "facilitator.lock"
APP = "app"
_WINDOWS_LOCK_OFFSET = 1 << 20  # Windows locks bytes; lock one past the text, so it stays readable


@dataclass(frozen=True)
class LockHolder:
    """Who holds a data folder's lock, as it wrote itself into the lock file."""

    pid: int | None
    role: str  # APP, or a command's name; "" when it could not be read

    @property
    def is_app(self) -> bool:
        return self.role == APP


class FolderInUseError(StorageError):
    """Another process (the app, or a command) holds the data folder's lock."""

    def __init__(self, folder: Path, holder: LockHolder) -> None:
        pid = f"pid {holder.pid}" if holder.pid is not None else "pid unknown"
        if holder.is_app or not holder.role:
            text = f"Facilitator is open on this data folder ({pid}); close it first."
        else:
            text = (
                f"The command `facilitator {holder.role}` is running on this data folder "
                f"({pid}); wait until it has finished."
            )
        super().__init__(f"{text} Nothing was changed. (Data folder: {folder})")
        self.folder = folder
        self.holder = holder


class InstanceLock:
    """The data folder's lock, held from `acquire()` until `release()` or the process ends."""

    def __init__(self, folder: Path, role: str) -> None:
        self.folder = folder
        self.path = folder / LOCK_FILENAME
        self._role = role
        self._descriptor: int | None = None
        self._finalizer: weakref.finalize[..., InstanceLock] | None = None

    @property
    def held(self) -> bool:
        return self._descriptor is not None

    def acquire(self) -> None:
        """Take the lock; FolderInUseError when another process holds it, OSError when no
        lock file can be made (the folder is missing or read-only)."""
        if self._descriptor is not None:
            return
        while True:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            if not _try_lock(descriptor):
                os.close(descriptor)
                raise FolderInUseError(self.folder, read_holder(self.folder))
            if _same_file(descriptor, self.path):
                break
            os.close(descriptor)  # removed by its last holder between our open and lock: again
        os.ftruncate(descriptor, 0)
        os.write(descriptor, f"{os.getpid()}\n{self._role}\n".encode())
        os.fsync(descriptor)
        self._descriptor = descriptor
        self._finalizer = weakref.finalize(self, _release, descriptor, self.path)

    def release(self) -> None:
        """Give the lock up and remove its file."""
        if self._finalizer is not None:
            self._finalizer()
        self._descriptor = None
        self._finalizer = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def read_holder(folder: Path) -> LockHolder:
    """Who wrote itself into `folder`'s lock file (pid None, role "" when unreadable)."""
    try:
        lines = (folder / LOCK_FILENAME).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return LockHolder(None, "")
    pid = int(lines[0]) if lines and lines[0].isdigit() else None
    role = lines[1] if len(lines) > 1 and lines[1].isprintable() else ""
    return LockHolder(pid, role[:40])


def _same_file(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:
        return False


def _release(descriptor: int, path: Path) -> None:
    if os.name != "nt":
        path.unlink(missing_ok=True)  # while locked: no other process holds this file yet
    _unlock(descriptor)
    os.close(descriptor)
    if os.name == "nt":
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        os.lseek(descriptor, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        finally:
            os.lseek(descriptor, 0, os.SEEK_SET)
        return True

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
