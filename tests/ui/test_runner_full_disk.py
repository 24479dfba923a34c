"""The session runner on a drive that fills up: what the clinician sees, and nothing lost."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic, open_clinic
from facilitator.domain.users import SignedInUser
from facilitator.storage.errors import DISK_FULL
from tests.mounts import fill, tmpfs
from tests.ui.test_session_runner import CTRL, SHIFT, open_runner, type_into_field

LONG = " Participant practised the coping plan and named supports." * 4000  # ~240 KB


@pytest.fixture
def clinic_on_small_drive(demo_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with tmpfs(tmp_path / "drive", "24m") as folder:
        shutil.copytree(demo_folder, folder, dirs_exist_ok=True)
        clinic = open_clinic(folder)
        try:
            yield clinic
        finally:
            clinic.close()


def test_a_full_disk_is_shown_once_and_the_note_is_saved_when_there_is_room(
    qtbot: QtBot, clinic_on_small_drive: Clinic, user: SignedInUser
) -> None:
    clinic = clinic_on_small_drive
    window = open_runner(qtbot, clinic, user)
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_P, CTRL | SHIFT)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    window.notes.people.setCurrentRow(0)
    type_into_field(qtbot, window, 1, "Saved before the disk filled.")
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=5000)

    ballast = fill(clinic.data_dir)
    field = list(window.editor.fields.values())[1]
    field.setPlainText(LONG)  # pasted: far more than the full disk can take
    qtbot.waitUntil(lambda: window.failure_box is not None, timeout=5000)
    box = window.failure_box
    assert box is not None and box.isVisible() and box.text() == DISK_FULL
    assert window.save_state.text() == "NOT SAVED"
    assert window.statusBar().currentMessage() == "Not saved yet: " + DISK_FULL
    qtbot.wait(300)  # retried meanwhile: still one dialog
    assert window.failure_box is box

    ballast.unlink()
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=10000)
    assert window.failure_box is None and not box.isVisible()
    window.close()
    sheet = clinic.runner.sheet(window.session_id)
    entry = sheet.blocks[0].roster[0]
    assert entry.note is not None
    fields = entry.note.draft.fields
    assert [fields[k] for k in list(window.editor.fields)[:2]] == [
        "Saved before the disk filled.",
        LONG,
    ]
