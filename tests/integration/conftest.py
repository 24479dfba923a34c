"""Fixtures for tests that use real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.storage.database import Database, open_database
from tests.keys import TEST_KEY


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[Database]:
    """An empty database at the current schema."""
    database = open_database(tmp_path / "facilitator.db", TEST_KEY)
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_clinic_folder(demo_clinic: tuple[Path, dict[str, str]]) -> Path:
    return demo_clinic[0]
