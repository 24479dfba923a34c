"""The administrator's setup windows on a new clinic, driven by keyboard: a program with a
billing code, a group with two leaders and a Monday-Thursday three-block schedule, an
overlapping schedule and a bad NPI refused inline with nothing saved."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.group_schedule import ScheduleEntry
from tests.ui.setup_clinic import CTRL, edit_cell, new_clinic, save, shown
from ui.main_window import MainWindow
from ui.setup.clinic_profile_dialog import ClinicProfileDialog
from ui.setup.group_dialog import GroupDialog
from ui.setup.groups_window import GroupsWindow
from ui.setup.programs_window import ProgramsWindow
from ui.setup.schedule_editor import ScheduleEditor

__all__ = ["new_clinic"]  # the fixture


def add_program(qtbot: QtBot, clinic: Clinic, admin: SignedInUser) -> ProgramsWindow:
    window = ProgramsWindow(clinic, admin)
    qtbot.addWidget(window)
    dialog = window._dialog(None)
    dialog.setParent(None)  # a window of its own, as exec() shows it
    shown(qtbot, dialog)
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "Adult IOP")
    codes = dialog.codes.editor
    codes.table.setFocus()
    qtbot.keyClick(codes.table, Qt.Key.Key_Insert)
    codes.table.setCurrentIndex(codes.model.index(0, 0))
    qtbot.keyClick(codes.table, Qt.Key.Key_F2)
    qtbot.keyClicks(QApplication.focusWidget(), "h0015")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: codes.rows()[0].code == "H0015")
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    window.refresh()
    return window


def test_a_program_then_a_group_with_two_leaders_and_a_mon_thu_schedule(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    add_program(qtbot, clinic, admin)
    (program,) = clinic.setup.programs()
    assert program.details.name == "Adult IOP"
    assert [c.code for c in program.details.service_codes] == ["H0015"]

    window = GroupsWindow(clinic.setup, admin)
    qtbot.addWidget(window)
    dialog = GroupDialog(
        None,
        window.choices(),
        clinic.setup.today(),
        window._save_group,
        window._change_schedule,
    )
    shown(qtbot, dialog)
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "Morning IOP A")
    dialog.room.setFocus()
    qtbot.keyClicks(dialog.room, "Room 2")
    for combo, presses in ((dialog.lead, 2), (dialog.co_lead, 3)):  # after Alex Admin
        combo.setFocus()
        for _ in range(presses):
            qtbot.keyClick(combo, Qt.Key.Key_Down)
    schedule = dialog.schedule
    table = schedule.editor.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    edit_cell(qtbot, schedule, 0, 3, "")  # the first modality in the list
    modality = schedule.lines()[0].modality
    assert modality
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    qtbot.keyClick(table, Qt.Key.Key_Insert)
    for _ in range(3):  # Monday's blocks on Tuesday, then Wednesday, then Thursday
        qtbot.keyClick(table, Qt.Key.Key_D, CTRL)
    assert not schedule.problem_text()
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()

    (group,) = clinic.setup.groups()
    assert (group.details.name, group.details.room, group.program) == (
        "Morning IOP A",
        "Room 2",
        "Adult IOP",
    )
    assert {group.facilitator, group.co_facilitator} == {"Morgan Reyes", "Sam Okafor"}
    (period,) = group.schedule
    assert period.effective_from == clinic.setup.today()
    assert sorted({e.weekday for e in period.entries}) == [0, 1, 2, 3]
    assert [(e.start, e.end) for e in period.entries if e.weekday == 2] == [
        (time(9, 0), time(10, 0)),
        (time(10, 15), time(11, 15)),
        (time(11, 30), time(12, 30)),
    ]
    assert {e.modality for e in period.entries} == {modality}
    window.refresh()
    assert window.proxy.index(0, 6).data() == (
        f"Mon, Tue, Wed, Thu · 12 blocks a week (from {clinic.setup.today():%Y-%m-%d})"
    )


def test_an_overlapping_schedule_is_refused_inline_and_nothing_is_saved(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    add_program(qtbot, clinic, admin)
    window = GroupsWindow(clinic.setup, admin)
    qtbot.addWidget(window)
    dialog = GroupDialog(
        None, window.choices(), clinic.setup.today(), window._save_group, window._change_schedule
    )
    shown(qtbot, dialog)
    qtbot.keyClicks(dialog.name, "Evening IOP")
    schedule = dialog.schedule
    schedule.editor.table.setFocus()
    qtbot.keyClick(schedule.editor.table, Qt.Key.Key_Insert)
    edit_cell(qtbot, schedule, 0, 3, "")
    qtbot.keyClick(schedule.editor.table, Qt.Key.Key_Insert)
    edit_cell(qtbot, schedule, 1, 1, "0930")  # starts before the first one ends
    assert schedule.lines()[1].start == time(9, 30)
    assert "Monday blocks overlap: 09:00-10:00 and 09:30-" in schedule.problem_text()
    assert schedule.editor.problems.isVisible()
    save(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.error.text().startswith("Nothing was saved. Correct the schedule:")
    assert clinic.setup.groups() == []


def test_a_bad_npi_is_refused_inline_and_the_profile_is_not_changed(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    setup = clinic.setup
    dialog = ClinicProfileDialog(setup.profile(), lambda p: setup.save_profile(admin, p))
    shown(qtbot, dialog)
    qtbot.keyClicks(dialog.name, "Riverside Recovery")
    dialog.npi.setFocus()
    qtbot.keyClicks(dialog.npi, "1234567890")
    dialog.time_zone.setFocus()
    dialog.time_zone.lineEdit().selectAll()
    qtbot.keyClicks(dialog.time_zone, "America/Chicago")
    popup = QApplication.activePopupWidget()
    if popup is not None:  # the completer's list of matching zones
        qtbot.keyClick(popup, Qt.Key.Key_Escape)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    save(qtbot, dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "1234567890 is not a valid NPI: its check digit" in dialog.error.text()
    assert setup.profile().name == ""  # nothing saved
    dialog.npi.clear()
    qtbot.keyClicks(dialog.npi, "1234567893")
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    saved = setup.profile()
    assert (saved.name, saved.npi, saved.time_zone) == (
        "Riverside Recovery",
        "1234567893",
        "America/Chicago",
    )


def test_the_schedule_model_passes_qts_model_checks(qtmodeltester: ModelTester) -> None:
    editor = ScheduleEditor([("CBT", "Cognitive behavioural")], date(2026, 12, 7))
    editor.set_lines(
        [
            ScheduleEntry(1, time(9), time(10), "CBT"),
            ScheduleEntry(0, time(9), time(10), "CBT", "Room 4"),
        ]
    )
    qtmodeltester.check(editor.editor.model)
    assert editor.editor.model.index(0, 0).data() == "Monday"
    assert editor.editor.model.index(0, 4).data() == "Room 4"
    assert editor.editor.model.index(1, 4).data() == "(the group's room)"
    editor.deleteLater()


def test_a_new_clinic_shows_what_to_set_up_next(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    window = MainWindow(clinic, admin)
    shown(qtbot, window)
    checklist = window.today_view.checklist
    assert checklist.isVisible()
    texts = [b.text() for b in checklist.buttons]
    assert texts == [
        "1. Clinic profile…",
        "2. Programs…",
        "3. Groups and schedules…",
        "4. Admit new participant…",
    ]
    qtbot.keyClick(window, Qt.Key.Key_G, CTRL | Qt.KeyboardModifier.ShiftModifier)
    groups = window.setup_actions.windows["groups"]
    assert isinstance(groups, GroupsWindow) and groups.isVisible()
    groups.close()
