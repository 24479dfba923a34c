"""Process hardening: a crash must not leave decrypted records on the disk, and what the
process writes is readable by its user alone."""

from __future__ import annotations

import os
import sys

PRIVATE_UMASK = 0o077  # files 0600, folders 0700


def private_files() -> None:
    """Every file and folder this process creates is its user's alone (other local users of a
    shared computer read neither the database, the backups, the exports nor a screenshot)."""
    os.umask(PRIVATE_UMASK)


def forbid_core_dumps() -> None:
    """No core file: it would hold decrypted database pages (Windows writes none by default)."""
    if sys.platform == "win32":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
