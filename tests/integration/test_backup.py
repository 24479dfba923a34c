"""Backups: encrypted copies through the online backup API, automatic ones kept N days."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.backup import (
    BACKUP_SUFFIX,
    DEFAULT_KEEP,
    NAME_PATTERN,
    BackupFailedError,
    DestinationError,
    backup_info,
)
from facilitator.storage.database import SQLITE_HEADER, connector
from facilitator.storage.models import AuditEvent, Participant
from facilitator.storage.unit_of_work import unit_of_work
from tests.clinic_copies import clinic_copy
from tests.mounts import fill, set_read_only, tmpfs
from tests.users import signed_in

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with clinic_copy(demo_clinic_folder, tmp_path / "clinic") as opened:
        yield opened


@pytest.fixture
def admin(clinic: Clinic) -> SignedInUser:
    return signed_in(clinic.database, "admin")


def _counts(connection: object) -> dict[str, int]:
    tables = [
        r[0]
        for r in connection.execute(  # type: ignore[attr-defined]
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # type: ignore[attr-defined]
        for t in tables
    }


def _audit(clinic: Clinic, action: str) -> list[AuditEvent]:
    with unit_of_work(clinic.database) as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.sequence)
            )
        )


def test_backup_is_encrypted_like_the_database_and_holds_every_row(
    clinic: Clinic, admin: SignedInUser, tmp_path: Path
) -> None:
    with unit_of_work(clinic.database) as session:
        surnames = {p.legal_last for p in session.scalars(select(Participant))}
    source = clinic.database.connect()
    before = _counts(source)
    source.close()
    stick = tmp_path / "stick"
    stick.mkdir()

    made = clinic.backups.back_up_to(stick, admin.id, NOW)

    assert NAME_PATTERN.match(made.path.name)
    assert made.path.parent == stick and made.clinic_id in made.path.name
    assert sorted(p.name for p in stick.iterdir()) == [made.path.name]  # nothing half-written
    assert not list(clinic.data_dir.glob(".*partial*"))
    data = made.path.read_bytes()
    assert not data.startswith(SQLITE_HEADER)
    assert len(surnames) > 10 and not [s for s in surnames if s.encode() in data]
    copy = connector(made.path, clinic.database.key)()
    try:
        after = _counts(copy)
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        info = backup_info(copy)
    finally:
        copy.close()
    # + the backup's own info, and the folder remembered for cleaning after a crash
    assert after == {**before, "setting": before["setting"] + 2}
    assert datetime.fromisoformat(info["made_at"]) == NOW
    assert info["clinic_id"] == made.clinic_id
    [entry] = _audit(clinic, "backup")
    assert entry.clinician_id == admin.id and entry.outcome == "success"
    assert entry.detail == {"trigger": "manual", "path": str(made.path)}


def test_a_backup_does_not_open_with_another_key(clinic: Clinic, tmp_path: Path) -> None:
    made = clinic.backups.back_up_to(tmp_path, None, NOW)
    other = connector(made.path, bytes(32))()
    with pytest.raises(Exception, match="file is not a database"):
        other.execute("SELECT count(*) FROM sqlite_master").fetchall()
    other.close()


def test_backup_to_another_drive_is_copied_with_progress(clinic: Clinic, tmp_path: Path) -> None:
    reports: list[tuple[int, int]] = []
    with tmpfs(tmp_path / "usb", "64m") as stick:
        made = clinic.backups.back_up_to(
            stick, None, NOW, lambda done, total: reports.append((done, total))
        )
        size = made.path.stat().st_size
        assert sorted(p.name for p in stick.iterdir()) == [made.path.name]
    assert reports[-1] == (size, size)
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)
    assert len(reports) >= size // (1 << 20)


def test_full_drive_leaves_no_partial_backup(clinic: Clinic, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "usb", "512k") as stick:
        with pytest.raises(BackupFailedError, match="no space left on device") as raised:
            clinic.backups.back_up_to(stick, None, NOW)
        assert list(stick.iterdir()) == []
    assert "No partial backup was left behind" in str(raised.value)
    assert not list(clinic.data_dir.glob(".*partial*"))
    [entry] = _audit(clinic, "backup")
    assert entry.outcome == "failure" and entry.detail["error"] == "backupfailederror"


def test_write_protected_or_missing_folder_is_refused(clinic: Clinic, tmp_path: Path) -> None:
    with tmpfs(tmp_path / "usb", "1m") as stick:
        set_read_only(stick, True)
        with pytest.raises(DestinationError, match=r"not writable \(read-only file system\)"):
            clinic.backups.back_up_to(stick, None, NOW)
    with pytest.raises(DestinationError, match="does not exist"):
        clinic.backups.back_up_to(tmp_path / "unplugged", None, NOW)


def test_backup_survives_a_full_data_drive_only_by_failing_cleanly(
    demo_clinic_folder: Path, tmp_path: Path
) -> None:
    """The snapshot is taken beside the database; a full data drive stops it, nothing else."""
    with tmpfs(tmp_path / "data", "16m") as folder:
        shutil.copytree(demo_clinic_folder, folder, dirs_exist_ok=True)
        clinic = open_clinic(folder)
        try:
            ballast = fill(folder)
            with pytest.raises(BackupFailedError):
                clinic.backups.back_up_automatically(None, "close", NOW)
            assert not list(folder.glob(".*partial*"))
            assert not list((folder / "backups").glob(f"*{BACKUP_SUFFIX}"))
            ballast.unlink()
            assert clinic.backups.back_up_automatically(None, "close", NOW).path.exists()
        finally:
            clinic.close()


def test_automatic_backups_one_a_day_keeping_the_newest_days(
    clinic: Clinic, admin: SignedInUser
) -> None:
    backups = clinic.backups
    assert backups.keep() == DEFAULT_KEEP
    backups.set_keep(admin, 3)
    day = date(2026, 11, 23)
    assert backups.daily_due(day)
    for offset in range(5):
        morning = datetime(2026, 11, 23 + offset, 8, 0).astimezone()
        backups.back_up_automatically(admin.id, "start", morning)
        assert not backups.daily_due(morning.date())
        backups.back_up_automatically(admin.id, "close", morning + timedelta(hours=9))
        backups.back_up_automatically(admin.id, "close", morning + timedelta(hours=10))
    kept = backups.automatic()
    assert [b.made_at for b in kept] == [datetime(2026, 11, d, 18, 0) for d in (25, 26, 27)]
    assert len(_audit(clinic, "backup")) == 15
    assert backups.daily_due(date(2026, 11, 28))


def test_keep_setting_is_for_administrators_and_audited(
    clinic: Clinic, admin: SignedInUser
) -> None:
    facilitator = signed_in(clinic.database, "mreyes")
    with pytest.raises(DomainError, match="Only an administrator"):
        clinic.backups.set_keep(facilitator, 5)
    for wrong in (0, 366):
        with pytest.raises(DomainError, match="between 1 and 365"):
            clinic.backups.set_keep(admin, wrong)
    assert clinic.backups.keep() == DEFAULT_KEEP
    clinic.backups.set_keep(admin, 30)
    assert clinic.backups.keep() == 30
    [entry] = _audit(clinic, "settings_change")[-1:]
    assert entry.clinician_id == admin.id
    assert (entry.object_id, entry.detail) == ("backup.keep", {"old": DEFAULT_KEEP, "new": 30})
