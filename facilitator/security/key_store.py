"""Where the database key is kept: the OS keyring, or a file wrapped by a passphrase."""

from __future__ import annotations

from typing import Protocol

from keyring.backend import KeyringBackend, get_all_keyring
from keyring.errors import KeyringError, PasswordDeleteError

from facilitator.security.errors import KeyringFailedError

SERVICE = "Facilitator"
KEYRING = "keyring"
PASSPHRASE = "passphrase"
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
    trusted = [b for b in get_all_keyring() if type(b).__module__ in TRUSTED_BACKENDS]
    return max(trusted, key=lambda backend: backend.priority, default=None)


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
            value = self._backend.get_password(SERVICE, database_id)
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
            self._backend.set_password(SERVICE, database_id, key.hex())
        except KeyringError as error:
            raise KeyringFailedError(
                self._backend.name, str(error) or type(error).__name__
            ) from error

    def delete(self, database_id: str) -> None:
        try:
            self._backend.delete_password(SERVICE, database_id)
        except PasswordDeleteError:
            pass  # already gone
        except KeyringError as error:
            raise KeyringFailedError(
                self._backend.name, str(error) or type(error).__name__
            ) from error

    def _failed(self, error: KeyringError) -> KeyringFailedError:
        return KeyringFailedError(self._backend.name, str(error) or type(error).__name__)
