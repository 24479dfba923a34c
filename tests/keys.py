"""Keys for tests: a fixed database key, and an in-memory stand-in for the OS keyring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from facilitator.storage.database import connector

TEST_KEY = bytes(range(32))


class MemoryKeyring(KeyringBackend):
    """A keyring backend that keeps passwords in this process only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.passwords.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


def keyed_connection(path: Path, key: bytes = TEST_KEY) -> Any:
    """A raw SQLCipher connection to the database at `path`, for tests that poke at the file."""
    return connector(path, key)()
