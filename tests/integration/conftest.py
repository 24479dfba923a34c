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
def demo_clinic(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A demo clinic made once, and its accounts' passwords by username.

    Copy the folder (shutil.copytree) before changing it.
    """
    folder = tmp_path_factory.mktemp("demo-clinic")
    clinic = open_clinic(folder)
    summary = clinic.create_demo(date(2026, 11, 23))
    clinic.close()
    return folder, summary.passwords


@pytest.fixture(scope="session")
def demo_clinic_folder(demo_clinic: tuple[Path, dict[str, str]]) -> Path:
    return demo_clinic[0]
