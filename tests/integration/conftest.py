"""Fixtures for tests that use real SQLite files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from facilitator.services.demo import DemoSummary, create_demo_clinic
from facilitator.storage.database import Database, open_database
from facilitator.storage.unit_of_work import unit_of_work

DEMO_MONDAY = date(2026, 11, 23)
DEMO_SATURDAY = date(2026, 11, 28)


def build_demo(folder: Path, today: date) -> tuple[Path, DemoSummary]:
    """Create a demo clinic in `folder` and close it, so the file is complete on disk."""
    folder.mkdir(parents=True, exist_ok=True)
    database = open_database(folder / "facilitator.db")
    try:
        with unit_of_work(database) as session:
            summary = create_demo_clinic(session, today)
    finally:
        database.close()
    return database.path, summary


@pytest.fixture(scope="session")
def monday_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    """A demo clinic whose 'today' is a Monday, built once; tests must not write to it."""
    return build_demo(tmp_path_factory.mktemp("monday-demo"), DEMO_MONDAY)


@pytest.fixture(scope="session")
def saturday_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoSummary]:
    """A demo clinic whose 'today' is a Saturday, a day the schedule skips."""
    return build_demo(tmp_path_factory.mktemp("saturday-demo"), DEMO_SATURDAY)


@pytest.fixture
def new_database(tmp_path: Path) -> Iterator[Database]:
    """An empty database at the current schema."""
    database = open_database(tmp_path / "facilitator.db")
    yield database
    database.close()
