"""A private copy of a clinic made once per session, for a test that changes records."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from facilitator.app import Clinic, open_clinic
from tests.storage_backends import Storage

DEMO_MONDAY = date(2026, 11, 23)  # the 'today' of the demo clinic the tests share (conftest)


@contextmanager
def clinic_copy(source: Path, folder: Path, storage: Storage | None = None) -> Iterator[Clinic]:
    """The clinic in `source` (database and key information) copied to `folder` and opened;
    closed afterwards. With `storage`, a clinic on a server gets a copy of its database too,
    dropped afterwards."""
    if storage is None:
        shutil.copytree(source, folder)
    else:
        storage.copy_clinic_folder(source, folder)
    clinic = open_clinic(folder)
    try:
        yield clinic
    finally:
        clinic.close()
        if storage is not None:
            storage.drop_clinic(folder)


def demo_copy(demo_clinic: tuple[Path, dict[str, str]], folder: Path) -> Path:
    """A private copy of the session's demo clinic (conftest demo_clinic) in `folder`."""
    shutil.copytree(demo_clinic[0], folder)
    return folder
