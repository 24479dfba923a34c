"""`facilitator backup` and `facilitator restore`: signed in, clear errors, exit 2, no change."""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from facilitator.app import open_clinic
from facilitator.cli.main import EXIT_USER_ERROR
from facilitator.security.key_info import read_key_info
from facilitator.security.key_store import SERVICE
from facilitator.services.backup import AUTOMATIC_FOLDER, BACKUP_SUFFIX
from facilitator.storage.database import connector
from tests.conftest import MEMORY_KEYRING
from tests.integration.test_cli import Run, run_cli
from tests.mounts import set_read_only, tmpfs


@pytest.fixture
def folder(demo_clinic_folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, copy)
    return copy


@pytest.fixture(scope="module")
def backup(demo_clinic_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of the demo clinic (the copies in `folder` share its key)."""
    clinic = open_clinic(demo_clinic_folder)
    try:
        return clinic.backups.back_up_to(
            tmp_path_factory.mktemp("stick"), None, datetime.now()
        ).path
    finally:
        clinic.close()


@pytest.fixture
def as_user(demo_clinic: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> object:
    def sign_in(username: str) -> None:
        monkeypatch.setenv("FACILITATOR_USER", username)
        monkeypatch.setenv("FACILITATOR_PASSWORD", demo_clinic[1][username])

    return sign_in


def _state(folder: Path) -> tuple[list[str], dict[str, int]]:
    """The data folder's files and the rows of each table but the audit log's.

    Signing in is audited, so the audit tables grow even when nothing else may change.
    """
    connection = connector(folder / "facilitator.db", _key(folder))()
    try:
        tables = [
            r[0]
            for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            if r[0] not in ("audit_event", "setting")
        ]
        rows = {t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        connection.close()
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))), rows


def _key(folder: Path) -> bytes:
    info = read_key_info(folder)
    assert info is not None
    key = MEMORY_KEYRING.get_password(SERVICE, info.database_id)
    assert key is not None
    return bytes.fromhex(key)


def _refused(run: Run, says: str) -> None:
    assert run.code == EXIT_USER_ERROR, run.out + run.err
    assert run.err.startswith("facilitator: ") and says in run.err
    assert "Traceback" not in run.err


def test_backup_into_the_data_folder_and_to_a_chosen_folder(
    folder: Path, tmp_path: Path, as_user: object
) -> None:
    as_user("mreyes")  # type: ignore[operator]
    run = run_cli("--data-dir", str(folder), "backup")
    assert run.code == 0, run.err
    [made] = (folder / AUTOMATIC_FOLDER).glob(f"*{BACKUP_SUFFIX}")
    assert f"Backup written: {made}" in run.out and "newest 14 days" in run.out

    stick = tmp_path / "stick"
    stick.mkdir()
    run = run_cli("--data-dir", str(folder), "backup", "--to", str(stick))
    assert run.code == 0, run.err
    [copied] = stick.iterdir()
    assert copied.name.endswith(BACKUP_SUFFIX) and str(copied) in run.out


def test_backup_to_an_unwritable_or_missing_folder(
    folder: Path, tmp_path: Path, as_user: object
) -> None:
    as_user("mreyes")  # type: ignore[operator]
    with tmpfs(tmp_path / "usb", "1m") as stick:
        set_read_only(stick, True)
        run = run_cli("--data-dir", str(folder), "backup", "--to", str(stick))
        _refused(run, "read-only file system")
        assert list(stick.iterdir()) == []
    _refused(run_cli("--data-dir", str(folder), "backup", "--to", "/nowhere"), "does not exist")


def test_backup_needs_a_signed_in_clinician(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FACILITATOR_USER", "mreyes")
    monkeypatch.setenv("FACILITATOR_PASSWORD", "not the password")
    _refused(run_cli("--data-dir", str(folder), "backup"), "")
    assert not (folder / AUTOMATIC_FOLDER).exists()


def test_restore_checks_then_replaces_keeping_the_current_database(
    folder: Path, backup: Path, as_user: object
) -> None:
    as_user("admin")  # type: ignore[operator]
    run = run_cli("--data-dir", str(folder), "restore", str(backup), "--yes")

    assert run.code == 0, run.err
    assert "Backup of 2026-" in run.out
    assert re.search(r"28 participants, \d+ notes \(\d+ signed\)", run.out)
    assert f"Restored from {backup}." in run.out
    [aside] = folder.glob("facilitator.db.before-restore-*")
    assert f"kept as {aside}" in run.out


@pytest.mark.parametrize(
    ("user", "make", "says"),
    [
        ("mreyes", lambda b, t: b, "Only an administrator can restore"),
        ("admin", lambda b, t: b, "add --yes"),
        ("admin", lambda b, t: t / "missing.fbackup", "No such file"),
        ("admin", lambda b, t: _junk(t / "junk.fbackup"), "not a Facilitator backup"),
    ],
    ids=["facilitator", "no-confirmation", "missing", "not-a-backup"],
)
def test_restore_refused_changes_nothing(
    folder: Path,
    backup: Path,
    tmp_path: Path,
    as_user: object,
    user: str,
    make: object,
    says: str,
) -> None:
    target = make(backup, tmp_path)  # type: ignore[operator]
    as_user(user)  # type: ignore[operator]
    before = _state(folder)
    args = ["--data-dir", str(folder), "restore", str(target)]
    _refused(run_cli(*args, *([] if says == "add --yes" else ["--yes"])), says)
    assert _state(folder) == before


def _junk(path: Path) -> Path:
    path.write_bytes(b"x" * 1000)
    return path
