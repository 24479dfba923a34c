"""Restore: a backup is checked first, the current database is kept aside, nothing is lost."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from facilitator.app import Clinic, open_clinic
from facilitator.security.database_key import restore_key
from facilitator.security.key_store import KeyringKeyStore
from facilitator.security.recovery import recovery_code
from facilitator.services.backup import BackupFile
from facilitator.services.restore import (
    ASIDE_INFIX,
    DamagedBackupError,
    NewerBackupError,
    NotABackupError,
    OtherClinicBackupError,
    RestoreRefusedError,
    restore_database,
)
from facilitator.storage.database import (
    DATABASE_FILENAME,
    connector,
    current_revision,
    head_revision,
    open_database,
)
from facilitator.storage.models import AuditEvent, Participant, ParticipantNote
from facilitator.storage.replace import (
    MARKER_SUFFIX,
    finish_interrupted_replace,
    incoming_path,
    replace_database,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.clinic_copies import clinic_copy
from tests.keys import TEST_KEY, MemoryKeyring
from tests.users import signed_in

MADE = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)
RESTORED = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIXTURE_0001 = Path(__file__).parents[1] / "fixtures" / "migrations" / "0001.db"


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with clinic_copy(demo_clinic_folder, tmp_path / "clinic") as opened:
        yield opened


@pytest.fixture
def backup(clinic: Clinic, tmp_path: Path) -> BackupFile:
    stick = tmp_path / "stick"
    stick.mkdir()
    return clinic.backups.back_up_to(stick, None, MADE)


def _participants(clinic: Clinic) -> int:
    with unit_of_work(clinic.database) as session:
        return session.scalar(select(func.count()).select_from(Participant)) or 0


def _add_participant(clinic: Clinic) -> None:
    with unit_of_work(clinic.database) as session:
        session.add(
            Participant(
                chart_number="NEW-1",
                legal_first="Ada",
                legal_last="Later",
                date_of_birth=date(1990, 1, 1),
            )
        )


def _state(folder: Path) -> dict[str, str]:
    """Every file in the data folder with a hash of its bytes (but the -shm read index)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and not p.name.endswith("-shm")
    }


def test_a_backup_is_described_before_restoring(clinic: Clinic, backup: BackupFile) -> None:
    summary = clinic.inspect_backup(backup.path)
    assert summary.made_at == MADE
    with unit_of_work(clinic.database) as session:
        notes = session.scalar(select(func.count()).select_from(ParticipantNote))
    assert (summary.participants, summary.notes) == (_participants(clinic), notes)
    assert 0 < summary.signed_notes <= summary.notes
    assert summary.revision == head_revision() and not summary.needs_upgrade


def test_restore_keeps_the_current_database_aside_and_reopens(
    clinic: Clinic, backup: BackupFile
) -> None:
    admin = signed_in(clinic.database, "admin")
    _add_participant(clinic)  # work done after the backup
    participants = _participants(clinic)

    result = clinic.restore(admin, backup.path, RESTORED)

    assert _participants(clinic) == participants - 1 == result.summary.participants
    assert result.summary.path == backup.path and result.summary.made_at == MADE
    aside = result.kept_aside
    assert aside is not None and aside.name.startswith(DATABASE_FILENAME + ASIDE_INFIX)
    kept = connector(aside, clinic.database.key)()
    try:  # the replaced database is whole, with the work done after the backup
        assert kept.execute("SELECT count(*) FROM participant").fetchone()[0] == participants
        assert kept.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        kept.close()
    leftovers = [p.name for p in clinic.data_dir.iterdir() if "incoming" in p.name]
    assert leftovers == [] and not Path(f"{clinic.database.path}{MARKER_SUFFIX}").exists()
    with unit_of_work(clinic.database) as session:
        entry = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence.desc())).first()
    assert entry is not None and (entry.action, entry.clinician_id) == ("restore", admin.id)
    assert entry.detail["kept_aside_path"] == str(aside)
    assert entry.detail["participants"] == participants - 1
    assert clinic.day_blocks(date(2026, 11, 23))  # the reopened clinic works

    second = clinic.restore(admin, backup.path, RESTORED)  # same second: a new name
    assert second.kept_aside is not None and second.kept_aside != aside and aside.exists()


def test_only_administrators_restore(clinic: Clinic, backup: BackupFile) -> None:
    before = _state(clinic.data_dir)
    with pytest.raises(RestoreRefusedError, match="Only an administrator"):
        clinic.restore(signed_in(clinic.database, "mreyes"), backup.path, RESTORED)
    assert _state(clinic.data_dir) == before


def _text_file(tmp_path: Path) -> Path:
    path = tmp_path / "notes.txt"
    path.write_text("not a backup\n" * 100)
    return path


def _plaintext_database(tmp_path: Path) -> Path:
    path = tmp_path / "plain.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    return path


def _other_clinic(tmp_path: Path) -> Path:
    path = tmp_path / "other.fbackup"
    open_database(path, TEST_KEY).close()
    return path


def _damaged(backup: BackupFile) -> Path:
    data = bytearray(backup.path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(16)
    backup.path.write_bytes(bytes(data))
    return backup.path


def _truncated(backup: BackupFile) -> Path:
    with backup.path.open("r+b") as file:
        file.truncate(backup.path.stat().st_size - 1000)
    return backup.path


def _newer(clinic: Clinic, backup: BackupFile) -> Path:
    connection = connector(backup.path, clinic.database.key)()
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    return backup.path


@pytest.mark.parametrize(
    ("make", "error", "says"),
    [
        (lambda c, b, t: _text_file(t), NotABackupError, "not a database file"),
        (lambda c, b, t: _plaintext_database(t), NotABackupError, "not encrypted"),
        (lambda c, b, t: _other_clinic(t), OtherClinicBackupError, "another clinic"),
        (lambda c, b, t: _damaged(b), DamagedBackupError, "integrity check"),
        (lambda c, b, t: _truncated(b), NotABackupError, "not a database file"),
        (lambda c, b, t: _newer(c, b), NewerBackupError, "newer version"),
        (lambda c, b, t: t / "missing.fbackup", NotABackupError, "No such file"),
    ],
    ids=["text", "plaintext", "other-clinic", "damaged", "truncated", "newer", "missing"],
)
def test_a_bad_backup_is_refused_and_nothing_changes(
    clinic: Clinic, backup: BackupFile, tmp_path: Path, make: object, error: type, says: str
) -> None:
    path = make(clinic, backup, tmp_path)  # type: ignore[operator]
    admin = signed_in(clinic.database, "admin")
    before = _state(clinic.data_dir)
    participants = _participants(clinic)
    with pytest.raises(error, match=says) as raised:
        clinic.inspect_backup(path)
    assert "Nothing was changed" in str(raised.value)
    with pytest.raises(error):
        clinic.restore(admin, path, RESTORED)
    assert _state(clinic.data_dir) == before
    assert _participants(clinic) == participants  # still open, still the same records


def test_an_older_backup_is_upgraded_after_restore(tmp_path: Path) -> None:
    backup = tmp_path / "old.fbackup"
    shutil.copyfile(FIXTURE_0001, backup)
    old = connector(backup, TEST_KEY)()
    notes = old.execute("SELECT count(*) FROM participant_note").fetchone()[0]
    old.close()
    database = open_database(tmp_path / DATABASE_FILENAME, TEST_KEY)

    restored, result = restore_database(database, backup, RESTORED)
    try:
        assert result.summary.revision == "0001" and result.summary.made_at is None
        assert result.summary.needs_upgrade
        assert current_revision(restored.engine) == head_revision()
        with unit_of_work(restored) as session:
            assert session.scalar(select(func.count()).select_from(ParticipantNote)) == notes
    finally:
        restored.close()


def test_a_backup_restores_on_a_new_computer_with_the_recovery_code(
    clinic: Clinic, backup: BackupFile, tmp_path: Path
) -> None:
    """README: copy the backup in as facilitator.db, then `facilitator key recover`."""
    code = recovery_code(clinic.database.key)
    folder = tmp_path / "new-computer"
    folder.mkdir()
    shutil.copyfile(backup.path, folder / DATABASE_FILENAME)
    store = KeyringKeyStore(MemoryKeyring())
    restore_key(folder / DATABASE_FILENAME, code, store)
    restored = open_clinic(folder, store)
    try:
        assert _participants(restored) == _participants(clinic)
    finally:
        restored.close()


@pytest.mark.parametrize("crash_at", ["aside", "incoming"])
def test_a_replacement_cut_short_is_finished_at_the_next_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crash_at: str
) -> None:
    path = tmp_path / DATABASE_FILENAME
    open_database(path, TEST_KEY).close()
    shutil.copyfile(FIXTURE_0001, incoming_path(path))
    new = hashlib.sha256(incoming_path(path).read_bytes()).hexdigest()
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    aside = tmp_path / "kept"
    real_replace = os.replace

    stop_before = {"aside": aside, "incoming": path}[crash_at]  # the move that never happens

    def crash(source: Path, target: Path) -> None:
        if Path(target) == stop_before:
            raise OSError("power cut")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        replace_database(path, aside)
    monkeypatch.setattr(os, "replace", real_replace)

    finish_interrupted_replace(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == new
    assert hashlib.sha256(aside.read_bytes()).hexdigest() == old
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATABASE_FILENAME, "kept"]


def test_an_incoming_copy_never_committed_to_is_discarded(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILENAME
    open_database(path, TEST_KEY).close()
    incoming_path(path).write_bytes(b"half a copy")
    finish_interrupted_replace(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATABASE_FILENAME]
