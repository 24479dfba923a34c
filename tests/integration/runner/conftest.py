"""Fixtures for the runner's tests: a private copy of the demo clinic, and its sessions."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.app import Clinic, open_clinic
from tests.integration.runner.session_run import DEMO_MONDAY, LAST_MONDAY, MORNING, Run


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    """A private copy of the demo clinic (database and key information) a test may change."""
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    opened = open_clinic(folder)
    yield opened
    opened.close()


@pytest.fixture
def today(clinic: Clinic) -> Run:
    """The morning group's session today: three blocks, attendance not yet taken."""
    return Run.of(clinic, MORNING, DEMO_MONDAY)


@pytest.fixture
def last_week(clinic: Clinic) -> Run:
    """The morning group's session a week ago: attendance taken, notes signed."""
    return Run.of(clinic, MORNING, LAST_MONDAY)
