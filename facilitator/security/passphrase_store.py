"""The database key wrapped by a key derived from the administrator passphrase (Argon2id)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from facilitator.security.errors import (
    GuessablePassphraseError,
    KeyInfoDamagedError,
    PassphraseRequiredError,
    WeakPassphraseError,
    WrongPassphraseError,
)
from facilitator.security.key_info import write_atomically
from facilitator.security.key_store import PASSPHRASE, STORE_NAMES
from facilitator.security.passwords import PasswordPolicyError, check_policy
from facilitator.storage.encryption import shred

PASSPHRASE_VARIABLE = "FACILITATOR_PASSPHRASE"
WRAPPED_KEY_FILENAME = "facilitator.key"
MIN_PASSPHRASE_LENGTH = 12
FORMAT = 1
# About 0.15 s and 64 MiB once per start: slow for guessing, unnoticed by the user.
ARGON2 = {"iterations": 3, "lanes": 4, "memory_cost": 64 * 1024}  # memory_cost in KiB


class AskPassphrase(Protocol):
    """Asks the administrator for the passphrase (new: choose one, entered twice)."""

    def __call__(self, *, new: bool) -> str: ...


def environment_passphrase(folder: Path) -> AskPassphrase:
    """The passphrase from FACILITATOR_PASSPHRASE, for scripted use; no prompt."""

    def ask(*, new: bool) -> str:
        given = os.environ.get(PASSPHRASE_VARIABLE)
        if given is None:
            raise PassphraseRequiredError(folder)
        return given

    return ask


class PassphraseKeyStore:
    """Keys wrapped with AES-256-GCM in a file of the data folder; asks only when needed."""

    kind = PASSPHRASE
    description = STORE_NAMES[PASSPHRASE]

    def __init__(self, folder: Path, ask: AskPassphrase) -> None:
        self._path = folder / WRAPPED_KEY_FILENAME
        self._ask = ask

    def load(self, database_id: str) -> bytes | None:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            params = {name: int(data[name]) for name in ARGON2}
            salt, nonce, wrapped = (bytes.fromhex(data[k]) for k in ("salt", "nonce", "wrapped"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise KeyInfoDamagedError(self._path, str(error)) from error
        wrapping = _derive(self._ask(new=False), salt, params)
        try:
            return AESGCM(wrapping).decrypt(nonce, wrapped, _context(database_id))
        except InvalidTag as error:
            raise WrongPassphraseError(self._path.parent) from error

    def save(self, database_id: str, key: bytes) -> None:
        passphrase = self._ask(new=True)
        if len(passphrase) < MIN_PASSPHRASE_LENGTH:
            raise WeakPassphraseError(MIN_PASSPHRASE_LENGTH)
        try:
            check_policy(passphrase, "")
        except PasswordPolicyError as error:  # it guards the key to every record, offline
            raise GuessablePassphraseError(str(error)) from error
        salt, nonce = os.urandom(16), os.urandom(12)
        wrapping = _derive(passphrase, salt, ARGON2)
        data = {
            "format": FORMAT,
            "kdf": "argon2id",
            **ARGON2,
            "salt": salt.hex(),
            "nonce": nonce.hex(),
            "wrapped": AESGCM(wrapping).encrypt(nonce, key, _context(database_id)).hex(),
        }
        write_atomically(self._path, json.dumps(data, indent=2) + "\n")

    def delete(self, database_id: str) -> None:
        discard_wrapped_key(self._path.parent)


def discard_wrapped_key(folder: Path) -> None:
    shred(folder / WRAPPED_KEY_FILENAME)


def _derive(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    kdf = Argon2id(
        salt=salt,
        length=32,
        iterations=params["iterations"],
        lanes=params["lanes"],
        memory_cost=params["memory_cost"],
    )
    return kdf.derive(passphrase.encode("utf-8"))


def _context(database_id: str) -> bytes:
    """Binds the wrapped key to its database, so a key file cannot be swapped unnoticed."""
    return f"facilitator database key {database_id}".encode()
