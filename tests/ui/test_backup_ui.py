"""File > Back up now…, Restore from backup…, backup settings, and the automatic backups."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.backup import BACKUP_SUFFIX
from facilitator.storage.database import open_database
from ui.backup.automatic_backup import AutomaticBackup
from ui.backup.backup_settings_dialog import BackupSettingsDialog
from ui.backup.restore_dialog import RestoreDialog
from ui.main_window import MainWindow

NOW = datetime(2026, 11, 23, 17, 30, tzinfo=UTC)


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """QMessageBox calls by kind, with their text, instead of modal boxes."""
    shown: dict[str, list[str]] = {"information": [], "warning": [], "critical": []}
    for kind in shown:

        def record(_parent: Any, _title: str, text: str, *_: Any, kind: str = kind) -> int:
            shown[kind].append(text)
            return int(QMessageBox.StandardButton.Ok)

        monkeypatch.setattr(QMessageBox, kind, record)
    return shown


@pytest.fixture
def window(writable_clinic: Clinic, admin: SignedInUser, qtbot: QtBot) -> Iterator[MainWindow]:
    shown = MainWindow(writable_clinic, admin)
    qtbot.addWidget(shown)
    shown.show()
    yield shown


def test_back_up_now_writes_on_a_worker_with_progress(
    window: MainWindow, tmp_path: Path, qtbot: QtBot, boxes: dict[str, list[str]]
) -> None:
    actions = window.backup_actions
    with qtbot.waitSignal(actions.backup_made, timeout=20000) as made:
        actions.back_up_now(tmp_path)
        assert actions.progress is not None and actions.progress.isVisible()
    [written] = tmp_path.glob(f"*{BACKUP_SUFFIX}")
    [backup] = made.args
    assert backup.path == written
    assert str(written) in boxes["information"][0]
    assert actions.progress is None
    assert str(written) in window.statusBar().currentMessage()


def test_a_failed_backup_is_reported(
    window: MainWindow, tmp_path: Path, qtbot: QtBot, boxes: dict[str, list[str]]
) -> None:
    with qtbot.waitSignal(window.backup_actions.backup_failed, timeout=20000):
        window.backup_actions.back_up_now(tmp_path / "unplugged")
    assert "does not exist" in boxes["warning"][0]


def test_restore_shows_the_backup_then_replaces_the_records(
    window: MainWindow,
    writable_clinic: Clinic,
    admin: SignedInUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    boxes: dict[str, list[str]],
) -> None:
    backup = writable_clinic.backups.back_up_to(tmp_path, admin.id, NOW).path
    seen: list[RestoreDialog] = []

    def accept(dialog: RestoreDialog) -> int:
        seen.append(dialog)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(RestoreDialog, "exec", accept)
    with qtbot.waitSignal(window.backup_actions.restored) as restored:
        result = window.backup_actions.restore_from(backup)
    assert result is not None and restored.args == [result]
    assert len(seen) == 1 and result.kept_aside is not None and result.kept_aside.exists()
    assert str(result.kept_aside) in boxes["information"][0]
    assert window.today_view.isVisible()


def test_restore_of_a_bad_file_says_why_and_changes_nothing(
    window: MainWindow, writable_clinic: Clinic, tmp_path: Path, boxes: dict[str, list[str]]
) -> None:
    junk = tmp_path / "junk.fbackup"
    junk.write_bytes(b"x" * 100)
    before = sorted(p.name for p in writable_clinic.data_dir.iterdir())
    assert window.backup_actions.restore_from(junk) is None
    assert "not a Facilitator backup" in boxes["warning"][0]
    assert sorted(p.name for p in writable_clinic.data_dir.iterdir()) == before


def test_restore_and_settings_are_for_administrators_only(
    writable_clinic: Clinic, user: SignedInUser, qtbot: QtBot
) -> None:
    shown = MainWindow(writable_clinic, user)
    qtbot.addWidget(shown)
    actions = shown.backup_actions
    assert actions.back_up_action.isEnabled()
    assert not actions.restore_action.isVisible() and not actions.restore_action.isEnabled()
    assert not actions.settings_action.isEnabled()


def test_backup_settings_change_the_days_kept(
    window: MainWindow, writable_clinic: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    def keep_seven(dialog: BackupSettingsDialog) -> int:
        dialog.keep.setValue(7)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(BackupSettingsDialog, "exec", keep_seven)
    window.backup_actions.settings_action.trigger()
    assert writable_clinic.backups.keep() == 7


def test_automatic_backup_at_start_when_due_and_at_close(
    writable_clinic: Clinic, admin: SignedInUser, qtbot: QtBot, boxes: dict[str, list[str]]
) -> None:
    automatic = AutomaticBackup(writable_clinic, lambda: admin.id, lambda: NOW)
    with qtbot.waitSignal(automatic.made, timeout=20000):
        assert automatic.start_if_due()
    assert not automatic.start_if_due()  # today has one now
    assert automatic.at_close() is not None
    assert len(writable_clinic.backups.automatic()) == 1  # the day's newest only
    assert boxes["warning"] == []


def test_a_failed_automatic_backup_at_close_is_shown_not_silent(
    writable_clinic: Clinic, qtbot: QtBot, boxes: dict[str, list[str]]
) -> None:
    writable_clinic.backups.folder.write_text("a file where the backups folder should be")
    automatic = AutomaticBackup(writable_clinic, lambda: None, lambda: NOW)
    assert automatic.at_close() is None
    [message] = boxes["warning"]
    assert "cannot be written" in message and "records themselves are safe" in message


def test_a_fuller_backup_of_the_day_is_kept_at_close_and_the_user_told(
    writable_clinic: Clinic, qtbot: QtBot, boxes: dict[str, list[str]], tmp_path: Path
) -> None:
    """The database was emptied while the app ran: closing never replaces the good backup."""
    automatic = AutomaticBackup(writable_clinic, lambda: None, lambda: NOW)
    with qtbot.waitSignal(automatic.made, timeout=20000):
        assert automatic.start_if_due()
    [good] = writable_clinic.backups.automatic()
    original = writable_clinic.database
    writable_clinic.database = open_database(tmp_path / "emptied.db", original.key)
    original.close()
    made = automatic.at_close()
    assert made is not None and made.kept is not None and made.kept.exists()
    assert not good.path.exists() and made.kept.name.startswith(good.path.name[: -len(".fbackup")])
    [message] = boxes["warning"]
    assert "held more records" in message and str(made.kept) in message
