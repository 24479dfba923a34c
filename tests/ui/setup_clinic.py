"""A new clinic for the setup windows' tests, and pressing keys in their dialogs: the first
administrator, a program and a scheduled group made through the app's own windows."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic, open_clinic
from facilitator.domain.users import Role, SignedInUser
from facilitator.services.account_admin import ClinicianDetails
from ui.dialogs.setup_dialog import SetupDialog
from ui.main_window import MainWindow
from ui.setup.group_dialog import GroupDialog
from ui.setup.groups_window import GroupsWindow
from ui.setup.program_dialog import ProgramDialog
from ui.setup.programs_window import ProgramsWindow
from ui.setup.schedule_editor import ScheduleEditor

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
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


def create_administrator(qtbot: QtBot, clinic: Clinic, username: str, name: str) -> SignedInUser:
    """The first-start setup dialog of an empty data folder, typed in and confirmed by Enter."""
    dialog = SetupDialog(clinic.accounts, clinic.recovery_code, "the memory keyring")
    shown(qtbot, dialog)
    dialog.stored.setChecked(True)
    qtbot.keyClicks(dialog.username, username)
    qtbot.keyClicks(dialog.display_name, name)
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClicks(dialog.repeat, PASSWORD)
    qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
    assert dialog.user is not None
    return dialog.user


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick `text` in a combo box with the arrow keys, from its first entry."""
    position = combo.findText(text)
    assert position >= 0, f"{text!r} is not offered"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(position):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def add_program(qtbot: QtBot, window: MainWindow, name: str) -> None:
    """Programs… (Ctrl+Shift+Y), Ctrl+N, type the name, Ctrl+S; the window is closed after."""
    qtbot.keyClick(window.tabs, Qt.Key.Key_Y, CTRL | SHIFT)
    programs = window.setup_actions.windows["programs"]
    assert isinstance(programs, ProgramsWindow)
    back_to(qtbot, programs)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ProgramDialog)
        qtbot.keyClicks(dialog.name, name)
        save(qtbot, dialog)

    when_dialog(lambda d: isinstance(d, ProgramDialog), fill)
    qtbot.keyClick(programs.table, Qt.Key.Key_N, CTRL)
    assert [programs.proxy.index(r, 0).data() for r in range(programs.proxy.rowCount())] == [name]
    programs.close()
    back_to(qtbot, window)


def add_group(qtbot: QtBot, window: MainWindow, name: str, lead: str, co_lead: str) -> GroupsWindow:
    """Groups and schedules… (Ctrl+Shift+G), Ctrl+N: the group with its two leaders and a
    Monday to Thursday three-block morning (Ins, F2 on the modality, Ins twice, Ctrl+D three
    times), saved by Ctrl+S. The Groups window stays open."""
    qtbot.keyClick(window.tabs, Qt.Key.Key_G, CTRL | SHIFT)
    groups = window.setup_actions.windows["groups"]
    assert isinstance(groups, GroupsWindow)
    back_to(qtbot, groups)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, GroupDialog)
        qtbot.keyClicks(dialog.name, name)
        choose(qtbot, dialog.lead, lead)
        choose(qtbot, dialog.co_lead, co_lead)
        table = dialog.schedule.editor.table
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Insert)
        edit_cell(qtbot, dialog.schedule, 0, 3, "")
        qtbot.keyClick(table, Qt.Key.Key_Insert)
        qtbot.keyClick(table, Qt.Key.Key_Insert)
        for _ in range(3):
            qtbot.keyClick(table, Qt.Key.Key_D, CTRL)
        save(qtbot, dialog)

    when_dialog(lambda d: isinstance(d, GroupDialog), fill)
    qtbot.keyClick(groups.table, Qt.Key.Key_N, CTRL)
    return groups
