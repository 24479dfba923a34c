"""Fixtures for the runner's tests: a private copy of the demo clinic, and its sessions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from facilitator.app import Clinic
from tests.clinic_copies import clinic_copy
from tests.integration.runner.session_run import DEMO_MONDAY, LAST_MONDAY, MORNING, Run
from tests.storage_backends import Storage


@pytest.fixture
def clinic(
    storage: Storage, demo_clinics: Callable[[Storage], tuple[Path, dict[str, str]]], tmp_path: Path
) -> Iterator[Clinic]:
    """A private copy of the demo clinic (database and key information) a test may change, on
    SQLCipher and on PostgreSQL."""
    with clinic_copy(demo_clinics(storage)[0], tmp_path / "clinic", storage) as opened:
        yield opened


@pytest.fixture
def today(clinic: Clinic) -> Run:
    """The morning group's session today: three blocks, attendance not yet taken."""
    return Run.of(clinic, MORNING, DEMO_MONDAY)


@pytest.fixture
def last_week(clinic: Clinic) -> Run:
    """The morning group's session a week ago: attendance taken, notes signed."""
    return Run.of(clinic, MORNING, LAST_MONDAY)
