"""Where the database key is kept: the OS keyring, or a file wrapped by a passphrase."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Protocol, TypeVar

from keyring.backend import KeyringBackend, get_all_keyring
from keyring.errors import KeyringError, PasswordDeleteError

from facilitator.security.errors import KeyringFailedError, KeyringTimeoutError

T = TypeVar("T")

SERVICE = "Facilitator"
KEYRING = "keyring"
PASSPHRASE = "passphrase"
KEYRING_TIMEOUT_SECONDS = 10.0
"""A keyring that has not answered by then is stuck (a hung Secret Service waits for minutes)."""
STORE_NAMES = {KEYRING: "the system keyring", PASSPHRASE: "the passphrase-protected key file"}
# Backends that keep secrets encrypted by the OS. Everything else (keyrings.alt's plaintext
# and "encrypted" files, the fail and null backends) counts as no keyring at all.
TRUSTED_BACKENDS = frozenset(
    {
        "keyring.backends.SecretService",
        "keyring.backends.libsecret",
        "keyring.backends.kwallet",
        "keyring.backends.macOS",
        "keyring.backends.Windows",
    }
)


class KeyStore(Protocol):
    """Keeps database keys by database id; `kind` is recorded in the key information file."""

    @property
    def kind(self) -> str: ...

    @property
    def description(self) -> str: ...

    def load(self, database_id: str) -> bytes | None: ...

    def save(self, database_id: str, key: bytes) -> None: ...

    def delete(self, database_id: str) -> None: ...


def system_keyring() -> KeyringBackend | None:
    """The OS keyring if one is running and trusted, else None (use the passphrase instead)."""
    backends = answered(get_all_keyring, STORE_NAMES[KEYRING])
    trusted = [b for b in backends if type(b).__module__ in TRUSTED_BACKENDS]
    return max(trusted, key=lambda backend: backend.priority, default=None)


def answered(call: Callable[[], T], keyring: str) -> T:
    """`call()`'s result, run in a helper thread; KeyringTimeoutError when the keyring has not
    answered within KEYRING_TIMEOUT_SECONDS (the thread is left to finish or die with the
    process: a call stuck in D-Bus cannot be interrupted)."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:  # handed to the caller's thread as it is
            failure.append(error)

    thread = threading.Thread(target=run, name="keyring-call", daemon=True)
    thread.start()
    thread.join(KEYRING_TIMEOUT_SECONDS)
    if thread.is_alive():
        raise KeyringTimeoutError(keyring, KEYRING_TIMEOUT_SECONDS)
    if failure:
        raise failure[0]
    return outcome[0]


class KeyringKeyStore:
    """Keys in the OS keyring under service "Facilitator", one entry per database id."""

    kind = KEYRING

    def __init__(self, backend: KeyringBackend) -> None:
        self._backend = backend

    @property
    def description(self) -> str:
        return f"{STORE_NAMES[KEYRING]} ({self._backend.name})"

    def load(self, database_id: str) -> bytes | None:
        try:
            value = answered(
                lambda: self._backend.get_password(SERVICE, database_id), self._backend.name
            )
        except KeyringError as error:
            raise KeyringFailedError(
                self._backend.name, str(error) or type(error).__name__
            ) from error
        if value is None:
            return None
        try:
            return bytes.fromhex(value)
        except ValueError:
            return b""  # not a key this version wrote: the key check reports it as wrong

    def save(self, database_id: str, key: bytes) -> None:
        try:
            answered(
                lambda: self._backend.set_password(SERVICE, database_id, key.hex()),
                self._backend.name,
            )
        except KeyringError as error:
            raise KeyringFailedError(
                self._backend.name, str(error) or type(error).__name__
            ) from error

    def delete(self, database_id: str) -> None:
        try:
            answered(
                lambda: self._backend.delete_password(SERVICE, database_id), self._backend.name
            )
        except PasswordDeleteError:
            pass  # already gone
        except KeyringError as error:
            raise KeyringFailedError(
                self._backend.name, str(error) or type(error).__name__
            ) from error

    def _failed(self, error: KeyringError) -> KeyringFailedError:
        return KeyringFailedError(self._backend.name, str(error) or type(error).__name__)
