"""Process hardening: a crash must not leave decrypted records on the disk."""

from __future__ import annotations

import sys


def forbid_core_dumps() -> None:
    """No core file: it would hold decrypted database pages (Windows writes none by default)."""
    if sys.platform == "win32":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
