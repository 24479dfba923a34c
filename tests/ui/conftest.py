"""A demo clinic shared by the UI tests, opened fresh for each test."""

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from facilitator.app import Clinic, open_clinic

DEMO_TODAY = date(2026, 11, 23)  # a Monday


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-clinic")
    clinic = open_clinic(folder)
    clinic.create_demo(DEMO_TODAY)
    clinic.close()
    return folder


@pytest.fixture
def clinic(demo_folder: Path) -> Iterator[Clinic]:
    opened = open_clinic(demo_folder)
    yield opened
    opened.close()


@pytest.fixture
def writable_clinic(demo_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    """A private copy of the demo clinic for a test that changes records."""
    folder = tmp_path / "clinic"
    shutil.copytree(demo_folder, folder)
    opened = open_clinic(folder)
    yield opened
    opened.close()
