"""Fixtures for tests that use real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from facilitator.app import open_clinic
from facilitator.storage.database import Database, open_database
from tests.keys import TEST_KEY


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[Database]:
    """An empty database at the current schema."""
    database = open_database(tmp_path / "facilitator.db", TEST_KEY)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_clinic_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo clinic made once; copy it (shutil.copytree) before changing it."""
    folder = tmp_path_factory.mktemp("demo-clinic")
    clinic = open_clinic(folder)
    clinic.create_demo(date(2026, 11, 23))
    clinic.close()
    return folder
