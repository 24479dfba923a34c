"""A private copy of a clinic made once per session, for a test that changes records."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from facilitator.app import Clinic, open_clinic

DEMO_MONDAY = date(2026, 11, 23)  # the 'today' of the demo clinic the tests share (conftest)


@contextmanager
def clinic_copy(source: Path, folder: Path) -> Iterator[Clinic]:
    """The clinic in `source` (database and key information) copied to `folder` and opened;
    closed afterwards."""
    shutil.copytree(source, folder)
    clinic = open_clinic(folder)
    try:
        yield clinic
    finally:
        clinic.close()


def demo_copy(demo_clinic: tuple[Path, dict[str, str]], folder: Path) -> Path:
    """A private copy of the session's demo clinic (conftest demo_clinic) in `folder`."""
    shutil.copytree(demo_clinic[0], folder)
    return folder
