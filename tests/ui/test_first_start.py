"""A clinic from an empty data folder, as its first administrator sets it up: the setup
dialog, then Today's checklist, the Programs and Groups windows opened by their shortcuts, a
program and a Monday-Thursday three-block group with two leaders, all by keyboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import open_clinic
from facilitator.domain.users import Role
from facilitator.services.account_admin import ClinicianDetails
from tests.ui.setup_clinic import CTRL, PASSWORD, back_to, edit_cell, save, shown, when_dialog
from ui.dialogs.setup_dialog import SetupDialog
from ui.main_window import MainWindow
from ui.setup.group_dialog import GroupDialog
from ui.setup.groups_window import GroupsWindow
from ui.setup.program_dialog import ProgramDialog
from ui.setup.programs_window import ProgramsWindow

SHIFT = Qt.KeyboardModifier.ShiftModifier


def test_an_empty_folder_becomes_a_clinic_with_a_scheduled_group(
    qtbot: QtBot, tmp_path: Path
) -> None:
    clinic = open_clinic(tmp_path / "empty")
    try:
        setup_dialog = SetupDialog(clinic.accounts, clinic.recovery_code, "the memory keyring")
        shown(qtbot, setup_dialog)
        setup_dialog.stored.setChecked(True)
        qtbot.keyClicks(setup_dialog.username, "jlee")
        qtbot.keyClicks(setup_dialog.display_name, "Jordan Lee")
        qtbot.keyClicks(setup_dialog.password, PASSWORD)
        qtbot.keyClicks(setup_dialog.repeat, PASSWORD)
        qtbot.keyClick(setup_dialog.repeat, Qt.Key.Key_Return)
        assert setup_dialog.user is not None
        admin = setup_dialog.user
        for username, name in (("mreyes", "Morgan Reyes"), ("sokafor", "Sam Okafor")):
            clinic.accounts.add_clinician(
                admin, username, ClinicianDetails(name, "LPC", Role.FACILITATOR)
            )

        window = MainWindow(clinic, admin)
        shown(qtbot, window)
        checklist = window.today_view.checklist
        assert checklist.isVisible()

        qtbot.keyClick(window.tabs, Qt.Key.Key_Y, CTRL | SHIFT)  # Programs…
        programs = window.setup_actions.windows["programs"]
        assert isinstance(programs, ProgramsWindow)
        back_to(qtbot, programs)

        def fill_program(dialog: QWidget) -> None:
            assert isinstance(dialog, ProgramDialog)
            qtbot.keyClicks(dialog.name, "Adult IOP")
            save(qtbot, dialog)

        when_dialog(lambda d: isinstance(d, ProgramDialog), fill_program)
        qtbot.keyClick(programs.table, Qt.Key.Key_N, CTRL)
        assert programs.proxy.rowCount() == 1
        programs.close()

        back_to(qtbot, window)
        qtbot.keyClick(window.tabs, Qt.Key.Key_G, CTRL | SHIFT)  # Groups and schedules…
        groups = window.setup_actions.windows["groups"]
        assert isinstance(groups, GroupsWindow)
        back_to(qtbot, groups)

        def fill_group(dialog: QWidget) -> None:
            assert isinstance(dialog, GroupDialog)
            qtbot.keyClicks(dialog.name, "Morning IOP")
            for combo, presses in ((dialog.lead, 2), (dialog.co_lead, 3)):  # after Jordan Lee
                combo.setFocus()
                for _ in range(presses):
                    qtbot.keyClick(combo, Qt.Key.Key_Down)
            table = dialog.schedule.editor.table
            table.setFocus()
            qtbot.keyClick(table, Qt.Key.Key_Insert)
            edit_cell(qtbot, dialog.schedule, 0, 3, "")
            qtbot.keyClick(table, Qt.Key.Key_Insert)
            qtbot.keyClick(table, Qt.Key.Key_Insert)
            for _ in range(3):
                qtbot.keyClick(table, Qt.Key.Key_D, CTRL)
            save(qtbot, dialog)

        when_dialog(lambda d: isinstance(d, GroupDialog), fill_group)
        qtbot.keyClick(groups.table, Qt.Key.Key_N, CTRL)

        (group,) = clinic.setup.groups()
        assert (group.details.name, group.program) == ("Morning IOP", "Adult IOP")
        assert (group.facilitator, group.co_facilitator) == ("Morgan Reyes", "Sam Okafor")
        (period,) = group.schedule
        assert sorted(e.weekday for e in period.entries) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
        assert not checklist.isVisible()  # the main window read the clinic again
        groups.close()
    finally:
        clinic.close()
