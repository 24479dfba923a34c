"""A private copy of a clinic made once per session, for a test that changes records."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from facilitator.app import Clinic, open_clinic


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
