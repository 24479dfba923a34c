"""Shared test set-up: Qt runs offscreen, and no test touches the user's real data or keyring."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.security import database_key
from tests.clinic_copies import DEMO_MONDAY
from tests.keys import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the data folder and Qt's settings at a temporary place for every test."""
    home = tmp_path_factory.mktemp("home")
    saved = {k: os.environ.get(k) for k in ("FACILITATOR_DATA_DIR", "XDG_CONFIG_HOME")}
    os.environ["FACILITATOR_DATA_DIR"] = str(Path(home) / "data")
    os.environ["XDG_CONFIG_HOME"] = str(Path(home) / "config")
    yield
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


MEMORY_KEYRING = MemoryKeyring()  # shared, so clinics made once per session reopen


@pytest.fixture(autouse=True, scope="session")
def memory_keyring() -> Iterator[MemoryKeyring]:
    """Clinics keep their keys in memory, never in a real keyring.

    Tests of the real Secret Service call key_store.system_keyring() themselves; tests of the
    no-keyring path patch database_key.system_keyring to return None.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database_key, "system_keyring", lambda: MEMORY_KEYRING)
        patch.delenv("FACILITATOR_PASSPHRASE", raising=False)
        yield MEMORY_KEYRING


@pytest.fixture(scope="session")
def demo_clinic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A demo clinic whose 'today' is DEMO_MONDAY, made once per test session, and its
    accounts' passwords by username. Copy it (demo_copy, clinic_copy) before changing it."""
    from facilitator.app import open_clinic  # the keyring is patched before it is used

    folder = tmp_path_factory.mktemp("demo-clinic")
    clinic = open_clinic(folder)
    try:
        summary = clinic.create_demo(DEMO_MONDAY)
    finally:
        clinic.close()
    return folder, summary.passwords


pytest_plugins = ["tests.storage_backends"]  # the `storage` fixtures: SQLCipher and PostgreSQL
