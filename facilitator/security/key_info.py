"""The key information file: which key opens the database, and where that key is kept.

It holds no secret: an id naming the key in its store, and a check value (an HMAC of a
constant under the key) that tells "this is not the right key" apart from "this file is
damaged" without trying the key on the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from facilitator.security.errors import KeyInfoDamagedError

KEY_INFO_FILENAME = "facilitator.keyinfo.json"
FORMAT = 1


@dataclass(frozen=True)
class KeyInfo:
    database_id: str
    key_check: str
    store: str

    @classmethod
    def new(cls, key: bytes, store: str) -> KeyInfo:
        return cls(str(uuid.uuid4()), key_check(key), store)

    def matches(self, key: bytes) -> bool:
        return hmac.compare_digest(self.key_check, key_check(key))


def key_check(key: bytes) -> str:
    return hmac.new(key, b"facilitator database key check", hashlib.sha256).hexdigest()


def read_key_info(folder: Path) -> KeyInfo | None:
    path = folder / KEY_INFO_FILENAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, ValueError) as error:
        raise KeyInfoDamagedError(path, str(error)) from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KeyInfoDamagedError(path, "it is not in a format this version knows")
    try:
        return KeyInfo(str(data["database_id"]), str(data["key_check"]), str(data["store"]))
    except KeyError as error:
        raise KeyInfoDamagedError(path, f"{error} is missing") from error


def write_key_info(folder: Path, info: KeyInfo) -> None:
    data = {
        "format": FORMAT,
        "database_id": info.database_id,
        "key_check": info.key_check,
        "store": info.store,
    }
    write_atomically(folder / KEY_INFO_FILENAME, json.dumps(data, indent=2) + "\n")


def write_atomically(path: Path, text: str) -> None:
    """Write a small file so that a crash leaves either the old or the new content."""
    temporary = path.with_name(path.name + ".new")
    with temporary.open("w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
