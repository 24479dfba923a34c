"""Today shows any date from the schedule; Enter on a planned block makes its session and
opens the runner; a closed day shows closed and does not open."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from tests.integration.test_day_plan import row_counts
from tests.ui.conftest import DEMO_TODAY
from tests.ui.modal import when_modal
from ui.main_window import MainWindow
from ui.schedule.day_change_dialog import DayChangeDialog

TUESDAY = DEMO_TODAY + timedelta(weeks=3, days=1)
STATUS = 11  # the Status column


def make_window(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> MainWindow:
    window = MainWindow(clinic, user, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def column(window: MainWindow, index: int) -> list[str]:
    model = window.today_view.table.model()
    return [model.index(row, index).data() for row in range(model.rowCount())]


def go_to(qtbot: QtBot, window: MainWindow, day: date) -> None:
    """Alt+Right from the demo's Monday until `day` shows."""
    while window.today_view.day < day:
        qtbot.keyClick(window.tabs, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)


def test_enter_on_a_future_planned_block_makes_the_session_and_runs_it(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser
) -> None:
    before = row_counts(writable_clinic)
    window = make_window(qtbot, writable_clinic, admin)
    go_to(qtbot, window, TUESDAY)
    assert window.today_view.day == TUESDAY
    assert row_counts(writable_clinic) == before  # days shown on the way wrote nothing
    assert column(window, 0)[:3] == ["09:00–10:00", "10:00–11:00", "11:00–12:00"]
    assert set(column(window, STATUS)) == {"Planned"}
    table = window.today_view.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the second block: 10:00 Morning
    qtbot.keyClick(table, Qt.Key.Key_Return)
    (session_id,) = window.runners
    runner = window.runners[session_id]
    assert runner.sheet.day == TUESDAY and runner.sheet.group == "Adult IOP Morning"
    assert len(runner.sheet.blocks) == 3 and len(runner.sheet.blocks[1].roster) == 13
    assert runner.tabs.currentIndex() == 0
    rows = [r for r in writable_clinic.day_blocks(TUESDAY) if r.group == "Adult IOP Morning"]
    assert {r.session_id for r in rows} == {session_id}
    assert column(window, STATUS)[:3] == ["Open"] * 3
    runner.close()


def test_a_closed_day_shows_closed_and_enter_says_why(
    qtbot: QtBot,
    writable_clinic: Clinic,
    admin: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writable_clinic.schedule_exceptions(admin).close_day(TUESDAY, "Snow day")
    shown: list[str] = []

    def inform(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", inform)
    window = make_window(qtbot, writable_clinic, admin)
    window.today_view.show_day(TUESDAY)
    assert set(column(window, STATUS)) == {"closed: Snow day"}
    assert "Closed: Snow day" in window.today_view.summary.text()
    window.today_view.table.setFocus()
    qtbot.keyClick(window.today_view.table, Qt.Key.Key_Return)
    assert shown == ["This block does not run: closed: Snow day."]
    assert window.runners == {}


def test_a_supervisor_moves_a_block_from_the_day_menu_and_today_shows_it(
    qtbot: QtBot, writable_clinic: Clinic, supervisor: SignedInUser
) -> None:
    window = make_window(qtbot, writable_clinic, supervisor)
    window.today_view.show_day(TUESDAY)
    seen: list[str] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, DayChangeDialog)
        dialog.kind.setCurrentIndex(dialog.kind.findData("moved"))
        dialog.group.setCurrentIndex(dialog.group.findText("Adult IOP Morning"))
        assert dialog.block.currentText() == "09:00-10:00 Cognitive behavioral therapy"
        dialog.start.setTime(QTime(13, 0))
        dialog.end.setTime(QTime(14, 0))
        qtbot.keyClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.Key.Key_Space)
        seen.append(dialog.error.text())  # no reason yet: refused, the dialog stays open
        qtbot.keyClicks(dialog.reason, "Room booked")
        qtbot.keyClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.Key.Key_Space)

    when_modal(fill)
    qtbot.keyClick(
        window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert seen and "Give a reason" in seen[0]
    morning = [r for r in writable_clinic.day_blocks(TUESDAY) if r.group == "Adult IOP Morning"]
    assert [r.start for r in morning] == [time(10), time(11), time(13)]
    assert column(window, 0)[:3] == ["10:00–11:00", "11:00–12:00", "13:00–14:00"]
    assert "moved from 09:00-10:00: Room booked" in column(window, STATUS)[2]


def test_a_facilitator_cannot_change_a_day(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    window = make_window(qtbot, writable_clinic, user)
    assert not window.day_changes.change_action.isEnabled()
    assert not window.day_changes.withdraw_action.isEnabled()


def test_an_administrator_withdraws_a_closure_from_the_day_menu(
    qtbot: QtBot,
    writable_clinic: Clinic,
    admin: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writable_clinic.schedule_exceptions(admin).close_day(TUESDAY, "Snow day")
    offered: list[list[str]] = []

    def pick(*args: object) -> tuple[str, bool]:
        items = args[3]
        assert isinstance(items, list)
        offered.append(items)
        return items[0], True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    window = make_window(qtbot, writable_clinic, admin)
    window.today_view.show_day(TUESDAY)
    assert set(column(window, STATUS)) == {"closed: Snow day"}
    qtbot.keyClick(
        window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    )
    assert offered == [["Whole clinic: closed (Snow day)"]]
    assert set(column(window, STATUS)) == {"Planned"}
