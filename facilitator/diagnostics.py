"""What an installed copy of Facilitator is made of: the core's half of `facilitator selftest`."""

from __future__ import annotations

import importlib
import importlib.util
import platform
import sys
from dataclasses import dataclass

from facilitator import __version__
from facilitator.app import Clinic
from facilitator.security.key_info import read_key_info
from facilitator.security.key_store import STORE_NAMES, system_keyring
from facilitator.storage.database import current_revision, head_revision

# The keyring backends a platform may use; the packaged app carries all of them.
KEYRING_BACKENDS = ("SecretService", "libsecret", "kwallet", "Windows", "macOS")


@dataclass(frozen=True)
class Check:
    """One line of the report: `name: value`; a check that is not `ok` fails the selftest."""

    name: str
    value: str
    ok: bool = True


def installation_report(clinic: Clinic) -> list[Check]:
    """The version, the interpreter, the database's schema, SQLCipher, where its key is kept."""
    frozen = bool(getattr(sys, "frozen", False))
    current = current_revision(clinic.database.engine)
    head = head_revision()
    key_info = read_key_info(clinic.data_dir)
    keyring = system_keyring()
    return [
        Check("version", f"Facilitator {__version__}"),
        Check(
            "python",
            f"{platform.python_version()} ({'bundled' if frozen else sys.executable}), "
            f"{platform.system()} {platform.machine()}",
        ),
        Check("data folder", str(clinic.data_dir)),
        Check(
            "database schema",
            f"{current} (newest known: {head})",
            ok=current == head,
        ),
        Check("sqlcipher", _sqlcipher_version()),
        Check("key kept in", STORE_NAMES.get(key_info.store, key_info.store) if key_info else "?"),
        Check("system keyring", keyring.name if keyring is not None else "none available"),
        Check("keyring backends bundled", ", ".join(_available(KEYRING_BACKENDS)) or "none"),
    ]


def _sqlcipher_version() -> str:
    """SQLCipher's version, asked of the native library itself (proves it loads)."""
    try:
        module = importlib.import_module("sqlcipher3")
    except ImportError:
        return "not installed"
    connection = module.dbapi2.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return f"SQLCipher {row[0] if row else '(no cipher)'}, SQLite {module.sqlite_version}"


def _available(backends: tuple[str, ...]) -> list[str]:
    available = []
    for name in backends:
        try:
            found = importlib.util.find_spec(f"keyring.backends.{name}") is not None
        except ImportError:
            found = False
        if found:
            available.append(name)
    return available
