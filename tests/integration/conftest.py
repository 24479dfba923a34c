"""Fixtures for tests that use real SQLite files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from facilitator.app import open_clinic
from facilitator.storage.database import Database, open_database
from facilitator.storage.server import write_server_url
from tests.clinic_copies import DEMO_MONDAY
from tests.keys import TEST_KEY
from tests.storage_backends import SQLCIPHER, Storage


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[Database]:
    """An empty database at the current schema."""
    database = open_database(tmp_path / "facilitator.db", TEST_KEY)
    yield database
    database.close()


DemoClinic = tuple[Path, dict[str, str]]  # the closed clinic's folder, passwords by username


@pytest.fixture(scope="session")
def demo_clinics(
    demo_clinic: DemoClinic, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Storage], DemoClinic]:
    """The demo clinic on a back end: the session's (tests/conftest.py) on SQLCipher; on
    PostgreSQL one made on first use, once per session. Copy it with clinic_copy(..., storage)
    before changing it."""
    made: dict[str, DemoClinic] = {SQLCIPHER: demo_clinic}

    def on(storage: Storage) -> DemoClinic:
        if storage.name not in made:
            server = storage.server
            assert server is not None
            folder = tmp_path_factory.mktemp("demo-clinic-server")
            write_server_url(folder, server.new_database())
            clinic = open_clinic(folder)
            try:
                made[storage.name] = folder, clinic.create_demo(DEMO_MONDAY).passwords
            finally:
                clinic.close()
        return made[storage.name]

    return on


@pytest.fixture(scope="session")
def demo_clinic_folder(demo_clinic: tuple[Path, dict[str, str]]) -> Path:
    return demo_clinic[0]
