"""The key in a real Secret Service (gnome-keyring), as scripts/test.sh runs it under D-Bus."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from facilitator.app import open_clinic
from facilitator.security import database_key
from facilitator.security.key_info import read_key_info
from facilitator.security.key_store import SERVICE, KeyringKeyStore, system_keyring
from tests.keys import TEST_KEY

pytestmark = pytest.mark.secret_service
REQUIRED = os.environ.get("FACILITATOR_REQUIRE_SECRET_SERVICE") == "1"


@pytest.fixture
def secret_service() -> KeyringKeyStore:
    backend = system_keyring()
    if backend is None or type(backend).__module__ != "keyring.backends.SecretService":
        message = (
            "no Secret Service on this D-Bus session; scripts/test.sh starts gnome-keyring "
            "under dbus-run-session for these tests"
        )
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    return KeyringKeyStore(backend)


def test_store_load_delete_round_trip(secret_service: KeyringKeyStore) -> None:
    database_id = f"test-{uuid.uuid4()}"
    assert secret_service.load(database_id) is None
    secret_service.save(database_id, TEST_KEY)
    assert secret_service.load(database_id) == TEST_KEY
    secret_service.delete(database_id)
    assert secret_service.load(database_id) is None
    secret_service.delete(database_id)  # deleting twice is harmless


def test_a_clinic_keeps_its_key_in_the_secret_service(
    secret_service: KeyringKeyStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_key, "system_keyring", system_keyring)
    folder = tmp_path / "clinic"
    clinic = open_clinic(folder)
    assert clinic.recovery_code is not None
    clinic.close()
    info = read_key_info(folder)
    assert info is not None and info.store == "keyring"
    backend = system_keyring()
    assert backend is not None
    assert backend.get_password(SERVICE, info.database_id) is not None
    reopened = open_clinic(folder)
    assert reopened.recovery_code is None
    reopened.close()
    secret_service.delete(info.database_id)
