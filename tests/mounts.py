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


@contextmanager
def ext4_image(where: Path, size_mb: int) -> Iterator[Path]:
    """An ext4 file system in a file, loop-mounted at `where` with errors=remount-ro."""
    image = where.with_name(where.name + ".img")
    with image.open("wb") as file:
        file.truncate(size_mb << 20)
    made = subprocess.run(["mkfs.ext4", "-q", "-F", str(image)], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip("mkfs.ext4 is not available (e2fsprogs)")
    where.mkdir(parents=True, exist_ok=True)
    _mount("-o", "loop,errors=remount-ro", str(image), str(where))
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def remount(where: Path) -> None:
    """Unmount the ext4 image at `where` and mount it again (a drive plugged back in)."""
    image = where.with_name(where.name + ".img")
    subprocess.run(["umount", str(where)], check=True)
    _mount("-o", "loop,errors=remount-ro", str(image), str(where))


def turn_read_only(where: Path) -> None:
    """Make the kernel turn the ext4 file system at `where` read-only, as after a disk error.

    Files already open for writing fail from then on with EROFS, as on a failing drive.
    """
    source = subprocess.run(
        ["findmnt", "-no", "SOURCE", str(where)], capture_output=True, text=True, check=True
    ).stdout.strip()
    trigger = Path("/sys/fs/ext4") / Path(source).name / "trigger_fs_error"
    if not trigger.exists():
        pytest.skip(f"{trigger} is missing: this kernel cannot simulate a disk error")
    trigger.write_text("facilitator test: drive failed\n")
