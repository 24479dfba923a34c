"""A data folder whose database is missing or empty, beside a clinic's backups and key, never
becomes a new clinic: every command says so and `restore --latest` brings the records back;
an automatic backup never replaces a fuller one of the same day."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from facilitator.app import open_clinic
from facilitator.cli.main import EXIT_USER_ERROR
from facilitator.missing_clinic import ClinicMissingError
from facilitator.security.audit import AuditTrail
from facilitator.security.key_info import KEY_INFO_FILENAME
from facilitator.services.backup import AUTOMATIC_FOLDER, KEPT_INFIX, Backups, count_records
from facilitator.storage.database import DATABASE_FILENAME, open_database, remove_with_side_files
from facilitator.storage.models import AuditEvent, Participant
from facilitator.storage.unit_of_work import unit_of_work
from tests.integration.test_cli import Run, run_cli

NOW = datetime(2026, 11, 23, 9, 0).astimezone()


@pytest.fixture
def folder(demo_clinic_folder: Path, tmp_path: Path) -> Path:
    """A copy of the demo clinic with today's automatic backup."""
    copy = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, copy)
    clinic = open_clinic(copy)
    try:
        clinic.backups.back_up_automatically(None, "start", NOW)
    finally:
        clinic.close()
    return copy


@pytest.fixture(autouse=True)
def signed_in(
    demo_clinic: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("FACILITATOR_USER", "mreyes")
    monkeypatch.setenv("FACILITATOR_PASSWORD", demo_clinic[1]["mreyes"])
    yield


def _participants(folder: Path) -> int:
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            return session.scalar(select(func.count()).select_from(Participant)) or 0
    finally:
        clinic.close()


def _refused_over_traces(run: Run, state: str, participants: int) -> None:
    assert run.code == EXIT_USER_ERROR, run.out + run.err
    assert "This folder held a clinic (last backup 2026-11-23 09:00" in run.err
    assert f"{participants} participants)" in run.err
    assert f"its database facilitator.db is {state}" in run.err
    assert "restore --latest" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("state", ["missing", "empty", "damaged"])
def test_every_command_refuses_and_restore_latest_brings_the_clinic_back(
    folder: Path, state: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    participants = _participants(folder)
    assert participants > 10
    database = folder / DATABASE_FILENAME
    damaged = os.urandom(4096) + database.read_bytes()[4096:]  # its first page overwritten
    remove_with_side_files(database)
    monkeypatch.chdir(tmp_path)  # the export's --out a.pdf
    if state != "missing":
        database.write_bytes(b"" if state == "empty" else damaged)
    backups_before = sorted((folder / AUTOMATIC_FOLDER).iterdir())
    for command in (
        ["export", "attendance", "--from", "2026-11-01", "--to", "2026-11-20", "--out", "a.pdf"],
        ["backup"],
        ["demo", "--if-missing"],
        ["audit", "verify"],
    ):
        _refused_over_traces(run_cli("--data-dir", str(folder), *command), state, participants)
        assert database.exists() == (state != "missing")  # nothing was created or changed
        assert not database.exists() or database.read_bytes() == (
            b"" if state == "empty" else damaged
        )
    assert sorted((folder / AUTOMATIC_FOLDER).iterdir()) == backups_before

    restored = run_cli("--data-dir", str(folder), "restore", "--latest", "--yes")
    assert restored.code == 0, restored.err
    assert f"{participants} participants" in restored.out and "Sign in as usual" in restored.out
    assert _participants(folder) == participants
    if state == "damaged":
        [aside] = folder.glob("facilitator.db.before-restore-*")
        assert aside.read_bytes() == damaged  # kept, never overwritten
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            entry = session.scalars(select(AuditEvent).where(AuditEvent.action == "restore")).one()
        assert entry.clinician_id is None and entry.detail["reason"] == f"{state}_database"
    finally:
        clinic.close()
    assert run_cli("--data-dir", str(folder), "backup").code == 0


def test_a_database_never_set_up_beside_backups_is_empty(folder: Path) -> None:
    """A schema-only file (a first start's setup quit before any account) is no clinic."""
    participants = _participants(folder)
    clinic = open_clinic(folder)
    key = clinic.database.key
    clinic.close()
    remove_with_side_files(folder / DATABASE_FILENAME)
    open_database(folder / DATABASE_FILENAME, key).close()
    with pytest.raises(ClinicMissingError, match=r"facilitator\.db is empty") as refused:
        open_clinic(folder)
    assert refused.value.traces.participants == participants
    assert KEY_INFO_FILENAME in refused.value.traces.files
    assert _participants_after_restore(folder) == participants
    assert list(folder.glob("facilitator.db.before-restore-*"))  # the empty file, kept aside


def _participants_after_restore(folder: Path) -> int:
    run = run_cli("--data-dir", str(folder), "restore", "--latest", "--yes")
    assert run.code == 0, run.err
    return _participants(folder)


def test_an_automatic_backup_never_replaces_a_fuller_one(folder: Path) -> None:
    """On quit after the database was emptied, the day's good backup is kept beside the new."""
    clinic = open_clinic(folder)
    try:
        key, backups = clinic.database.key, clinic.backups
        [good] = backups.automatic()
        good_counts = count_records(good.path, key)
        empty = open_database(folder.parent / "empty.db", key)  # an emptied clinic, same key
        emptied = Backups(empty, AuditTrail(b"k" * 32), folder, good.clinic_id)
        made = emptied.back_up_automatically(None, "close", NOW + timedelta(hours=8))
        empty.close()
    finally:
        clinic.close()
    assert made.kept is not None and made.kept.name.endswith(f"{KEPT_INFIX}.fbackup")
    assert not good.path.exists() and count_records(made.kept, key) == good_counts
    assert count_records(made.path, key).participants == 0
    names = sorted(p.name for p in (folder / AUTOMATIC_FOLDER).iterdir())
    assert names == sorted([made.path.name, made.kept.name])


def test_with_the_key_information_gone_too_the_recovery_code_then_a_backup_restores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the backups survived: the code is checked on the newest one, then it is restored."""
    folder = tmp_path / "clinic"
    clinic = open_clinic(folder)
    code = clinic.recovery_code
    assert code is not None
    clinic.create_demo(NOW.date())
    clinic.backups.back_up_automatically(None, "close", NOW)
    participants = count_records(clinic.backups.automatic()[-1].path, clinic.database.key)
    clinic.close()
    remove_with_side_files(folder / DATABASE_FILENAME)
    (folder / KEY_INFO_FILENAME).unlink()

    restore = run_cli("--data-dir", str(folder), "restore", "--latest", "--yes")
    assert restore.code == EXIT_USER_ERROR and "recovery code" in restore.err
    monkeypatch.setattr("sys.stdin", io.StringIO(code + "\n"))
    recovered = run_cli("--data-dir", str(folder), "key", "recover")
    assert recovered.code == 0, recovered.err
    restore = run_cli("--data-dir", str(folder), "restore", "--latest", "--yes")
    assert restore.code == 0, restore.err
    assert _participants(folder) == participants.participants
