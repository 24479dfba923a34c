"""Unlocking the clinic database: find its key, make one for a new clinic, or restore one."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from pathlib import Path

from keyring.backend import KeyringBackend

from facilitator.security.errors import (
    BadRecoveryCodeError,
    KeyInfoDamagedError,
    KeyInfoMissingError,
    MissingKeyError,
    WrongKeyError,
)
from facilitator.security.key_info import KEY_INFO_FILENAME, KeyInfo, read_key_info, write_key_info
from facilitator.security.key_store import (
    KEYRING,
    STORE_NAMES,
    KeyringKeyStore,
    KeyStore,
    system_keyring,
)
from facilitator.security.passphrase_store import (
    AskPassphrase,
    PassphraseKeyStore,
    discard_wrapped_key,
)
from facilitator.security.recovery import key_from_recovery_code, recovery_code
from facilitator.storage.database import KEY_BYTES, check_existing, has_plaintext_header
from facilitator.storage.encryption import encrypt_plaintext_database, finish_interrupted_conversion
from facilitator.storage.errors import NotADatabaseError

PAGE_MULTIPLE = 512  # an SQLCipher file is whole pages; a text file rarely is


@dataclass(frozen=True)
class UnlockedKey:
    """The database key; `recovery_code` is set only when the key was made in this run."""

    key: bytes
    recovery_code: str | None


def default_key_store(folder: Path, ask: AskPassphrase) -> KeyStore:
    """The OS keyring when one is available, unless the clinic chose the passphrase."""
    info = read_key_info(folder)
    backend = system_keyring()
    if backend is not None and (info is None or info.store == KEYRING):
        return KeyringKeyStore(backend)
    return PassphraseKeyStore(folder, ask)


def keyring_backend() -> KeyringBackend | None:
    """The system keyring the key store would use, for other secrets kept beside the key."""
    return system_keyring()


def recovery_key_store(folder: Path, ask: AskPassphrase) -> KeyStore:
    """Where a recovered key goes: the OS keyring if there is one, else a new passphrase."""
    backend = system_keyring()
    return KeyringKeyStore(backend) if backend is not None else PassphraseKeyStore(folder, ask)


def unlock(path: Path, store: KeyStore) -> UnlockedKey:
    """The key of the database at `path`; for a new or unencrypted database, a new key.

    An unencrypted database (from a version before encryption) is converted in place. Raises
    a StorageError saying what to do when the key is missing or wrong; never changes the file
    then.
    """
    folder = path.parent
    finish_interrupted_conversion(path)
    info = read_key_info(folder)
    exists = path.exists() and path.stat().st_size > 0
    plaintext = exists and has_plaintext_header(path)
    if info is None:
        if exists and not plaintext:
            if path.stat().st_size % PAGE_MULTIPLE == 0:
                raise KeyInfoMissingError(path, folder / KEY_INFO_FILENAME)
            raise NotADatabaseError(path)
        if plaintext:
            check_existing(path, None)  # refuse another application's file before any key
        key = secrets.token_bytes(KEY_BYTES)
        info = KeyInfo.new(key, store.kind)
        store.save(info.database_id, key)
        write_key_info(folder, info)
    else:
        loaded = store.load(info.database_id)
        if loaded is None:
            raise MissingKeyError(folder, _looked_in(store, info))
        if not info.matches(loaded):
            raise WrongKeyError(folder, store.description)
        key = loaded
        if not plaintext:
            return UnlockedKey(key, None)
    if plaintext:
        encrypt_plaintext_database(path, key)
    # Shown once: a new clinic, a converted one, or a conversion a crash stopped before.
    return UnlockedKey(key, recovery_code(key))


def restore_key(path: Path, code: str, store: KeyStore, opens: Path | None = None) -> None:
    """Put the key spelled by a recovery code back into `store` for the database at `path`.

    Without key information, the code is checked on the file `opens` (default: `path`; a
    backup when the database itself is missing)."""
    key = key_from_recovery_code(code)
    folder = path.parent
    try:
        info = read_key_info(folder)
    except KeyInfoDamagedError:
        info = None
    if info is not None and not info.matches(key):
        raise BadRecoveryCodeError(f"it is the code of another clinic, not of the one in {folder}")
    if info is None:
        target = opens or path
        if not target.exists():
            raise BadRecoveryCodeError(f"there is no clinic database in {folder}")
        try:
            check_existing(target, key)
        except NotADatabaseError as error:
            raise BadRecoveryCodeError(f"it does not open the database {target}") from error
        info = KeyInfo.new(key, store.kind)
    store.save(info.database_id, key)
    write_key_info(folder, replace(info, store=store.kind))
    if store.kind == KEYRING:  # a stale wrapped copy would still open with the old passphrase
        discard_wrapped_key(folder)


def _looked_in(store: KeyStore, info: KeyInfo) -> str:
    if info.store == store.kind:
        return store.description
    kept = STORE_NAMES.get(info.store, info.store)
    return f"{store.description}, because it was kept in {kept}, which is not available here"
