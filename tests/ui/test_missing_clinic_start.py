"""Starting the app on a folder whose database is gone but whose backups remain: the dialog
says what the folder held and restores the latest backup; never the first start's setup."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import open_clinic
from facilitator.storage.database import DATABASE_FILENAME, remove_with_side_files
from tests.ui.modal import when_modal
from ui import application
from ui.backup import missing_clinic_restore
from ui.backup.restore_dialog import RestoreDialog
from ui.dialogs.login_dialog import LoginDialog
from ui.dialogs.missing_clinic_dialog import MissingClinicDialog


@pytest.fixture
def gone(demo_folder: Path, tmp_path: Path) -> tuple[Path, int]:
    """A demo clinic copy with today's backup, then its database deleted; its participants."""
    folder = tmp_path / "clinic"
    shutil.copytree(demo_folder, folder)
    clinic = open_clinic(folder)
    try:
        clinic.backups.back_up_automatically(None, "close", datetime.now().astimezone())
        participants = len({row.participant_id for row in clinic.roster(datetime.now().date())})
        count = clinic.inspect_backup(clinic.backups.automatic()[-1].path).participants
    finally:
        clinic.close()
    assert count >= participants > 0
    remove_with_side_files(folder / DATABASE_FILENAME)
    return folder, count


@pytest.fixture
def informed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(
        missing_clinic_restore.QMessageBox,
        "information",
        lambda _parent, _title, text: shown.append(text),
    )
    return shown


def test_the_latest_backup_is_offered_and_restored_then_the_login_shows(
    qtbot: QtBot, gone: tuple[Path, int], informed: list[str]
) -> None:
    folder, participants = gone
    seen: list[str] = []
    texts: list[str] = []
    handled: list[QWidget] = []

    def act(dialog: QWidget) -> None:
        if seen and dialog is handled[-1]:  # still closing: wait for the next one
            when_modal(act)
            return
        handled.append(dialog)
        seen.append(type(dialog).__name__)
        if isinstance(dialog, MissingClinicDialog):
            texts.append(dialog.explanation.text())
            assert dialog.latest_button.isDefault()
            qtbot.keyClick(dialog, Qt.Key.Key_Return)  # Restore latest backup…
        elif isinstance(dialog, RestoreDialog):
            restore = next(
                b for b in dialog.findChild(QDialogButtonBox).buttons() if "Restore" in b.text()
            )
            qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)
        else:
            dialog.close()  # the login: quit from there
            return
        when_modal(act)

    when_modal(act)
    assert application.run(folder) == 0
    assert seen == ["MissingClinicDialog", "RestoreDialog", LoginDialog.__name__]
    assert "This folder held a clinic (last backup " in texts[0]
    assert f", {participants} participants), but its database is missing" in texts[0]
    assert len(informed) == 1 and f"backup's {participants} participants" in informed[0]
    clinic = open_clinic(folder)
    try:
        assert not clinic.accounts.needs_setup()
    finally:
        clinic.close()


def test_quit_creates_nothing(qtbot: QtBot, gone: tuple[Path, int]) -> None:
    folder, _ = gone
    before = sorted(p.name for p in folder.rglob("*"))

    def quit_(dialog: QWidget) -> None:
        assert isinstance(dialog, MissingClinicDialog)
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Quit

    when_modal(quit_)
    assert application.run(folder) == 0
    assert sorted(p.name for p in folder.rglob("*")) == before
    assert not (folder / DATABASE_FILENAME).exists()
