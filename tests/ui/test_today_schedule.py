"""Today shows any date from the schedule; Enter on a planned block makes its session and
opens the runner; a closed day shows closed and does not open."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from ui.main_window import MainWindow

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
    window = make_window(qtbot, writable_clinic, admin)
    go_to(qtbot, window, TUESDAY)
    assert window.today_view.day == TUESDAY
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
