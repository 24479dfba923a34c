"""A new clinic for the setup windows' tests, and pressing keys in their dialogs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic, open_clinic
from facilitator.domain.users import Role, SignedInUser
from facilitator.services.account_admin import ClinicianDetails
from ui.setup.schedule_editor import ScheduleEditor

CTRL = Qt.KeyboardModifier.ControlModifier
PASSWORD = "a long passphrase for setup"


@pytest.fixture
def new_clinic(tmp_path: Path) -> Iterator[tuple[Clinic, SignedInUser]]:
    """An empty clinic with its administrator and two clinicians who lead groups."""
    clinic = open_clinic(tmp_path / "new")
    accounts = clinic.accounts
    admin = accounts.create_first_administrator("admin", "Alex Admin", "", PASSWORD)
    for username, name in (("mreyes", "Morgan Reyes"), ("sokafor", "Sam Okafor")):
        accounts.add_clinician(admin, username, ClinicianDetails(name, "LPC", Role.FACILITATOR))
    yield clinic, admin
    clinic.close()


def shown(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def save(qtbot: QtBot, dialog: QDialog) -> None:
    """Ctrl+S: the Save button's shortcut (a shortcut clicks a button after a short flash)."""
    button = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=2000)  # a dialog just opened
    with qtbot.waitSignal(button.clicked, timeout=2000):
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_S, CTRL)


def edit_cell(qtbot: QtBot, editor: ScheduleEditor, row: int, column: int, keys: str) -> None:
    """F2 on a cell of the schedule, type, Enter; wait for the (queued) commit."""
    table = editor.editor.table
    table.setFocus()
    table.setCurrentIndex(editor.editor.model.index(row, column))
    before = editor.lines()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    field = QApplication.focusWidget()
    assert field is not None and field is not table
    if keys:
        qtbot.keyClicks(field, keys)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.lines() != before)


def back_to(qtbot: QtBot, window: QWidget) -> None:
    """Make `window` active again after a dialog closed, as a desktop's window manager does
    (the offscreen platform leaves no window active)."""
    with qtbot.waitActive(window):
        window.activateWindow()


def when_dialog(accept: Callable[[QWidget], bool], act: Callable[[QWidget], None]) -> None:
    """Run `act` on the next modal dialog `accept` recognises, once it is active."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isActiveWindow() or not accept(dialog):
            QTimer.singleShot(20, check)
            return
        act(dialog)

    QTimer.singleShot(0, check)
