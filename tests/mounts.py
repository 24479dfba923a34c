"""Real small or read-only filesystems for tests of full disks and write-protected drives.

Mounting needs root (CAP_SYS_ADMIN), as in CI's container; elsewhere the tests skip and say
why. chmod cannot stand in: root writes through any permission bits.
"""

from __future__ import annotations

import errno
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> None:
    result = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a filesystem here ({result.stderr.strip()}): needs root")


@contextmanager
def tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A fresh tmpfs of `size` (such as "512k") mounted at `where`, unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where))
    try:
        yield where
    finally:
        subprocess.run(["umount", "--lazy", str(where)], check=True)


def set_read_only(where: Path, read_only: bool) -> None:
    """Remount the filesystem at `where` read-only, or writable again."""
    _mount("-o", f"remount,{'ro' if read_only else 'rw'}", str(where))


def fill(where: Path) -> Path:
    """Write a file in `where` until the filesystem is full; return it (delete it to free)."""
    ballast = where / "ballast"
    with ballast.open("wb", buffering=0) as file:
        try:
            while True:
                file.write(b"\0" * 4096)
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
    return ballast
