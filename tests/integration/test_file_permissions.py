"""The data folder is its user's alone: folders 0700, the database, its side files, key
information, backups and exports 0600, even under a lax umask; an open folder is closed up."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from facilitator.app import open_clinic
from tests.integration.test_cli import run_cli
from tests.users import signed_in

NOW = datetime(2026, 11, 23, 17, 0).astimezone()


@pytest.fixture
def lax_umask() -> Iterator[None]:
    """The umask of a desktop session (0022): what the app's own chmods must overcome."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def _modes(folder: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        found[str(path.relative_to(folder))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def _private(modes: dict[str, int], folder: Path) -> None:
    for name, mode in modes.items():
        expected = 0o700 if (folder / name).is_dir() else 0o600
        assert mode == expected, f"{name} is {mode:o}, not {expected:o}"


@pytest.mark.usefixtures("lax_umask")
def test_a_new_clinic_and_its_backups_are_private_whatever_the_umask(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    clinic = open_clinic(folder)
    try:
        clinic.backups.back_up_automatically(None, "start", NOW)
        modes = _modes(folder)  # while open: the -wal and -shm files are there too
    finally:
        clinic.close()
    assert {"facilitator.db", "facilitator.db-wal", "facilitator.keyinfo.json"} <= modes.keys()
    assert any(name.startswith("backups/") for name in modes)
    _private(modes, folder)


@pytest.mark.usefixtures("lax_umask")
def test_an_open_data_folder_is_closed_up_at_the_next_start(
    demo_clinic_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    (folder / "backups").mkdir(exist_ok=True)
    clinic = open_clinic(folder)
    made = clinic.backups.back_up_automatically(None, "start", NOW)
    clinic.close()
    for path in (folder, folder / "backups"):
        path.chmod(0o755)
    for path in (folder / "facilitator.db", folder / "facilitator.keyinfo.json", made.path):
        path.chmod(0o644)
    (folder / "notes-of-my-own.txt").write_text("not the app's: left as it is")
    open_clinic(folder).close()
    modes = _modes(folder)
    assert modes.pop("notes-of-my-own.txt") == 0o644
    _private(modes, folder)


@pytest.mark.usefixtures("lax_umask")
def test_the_command_line_writes_private_files(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    monkeypatch.setenv("FACILITATOR_USER", "mreyes")
    monkeypatch.setenv("FACILITATOR_PASSWORD", demo_clinic[1]["mreyes"])
    stick = tmp_path / "stick"
    stick.mkdir()
    assert run_cli("--data-dir", str(folder), "backup", "--to", str(stick)).code == 0
    assert os.umask(0o077) == 0o077  # the command made the process's umask private
    [backup] = stick.iterdir()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


@pytest.mark.usefixtures("lax_umask")
def test_a_restored_database_is_private(demo_clinic_folder: Path, tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    stick = tmp_path / "stick"
    stick.mkdir()
    clinic = open_clinic(folder)
    try:
        made = clinic.backups.back_up_to(stick, None, NOW)
        clinic.restore(signed_in(clinic.database, "admin"), made.path, NOW)
        modes = _modes(folder)
    finally:
        clinic.close()
    assert any(name.startswith("facilitator.db.before-restore-") for name in modes)
    _private(modes, folder)
