"""The runner's attendance panel shows how each person attended and M (or Ctrl+Alt+M) changes
it: in person, video, telephone, in turn."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceMode
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from ui.runner.session_runner_window import SessionRunnerWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
HOW = 2  # the attendance table's "How" column


def test_m_cycles_how_the_selected_person_attended(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session_id = writable_clinic.day_blocks(DEMO_TODAY)[0].session_id
    window = SessionRunnerWindow(
        writable_clinic, user, session_id, now=lambda: datetime(2026, 11, 23, 9, 4)
    )
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F2)
    table = window.attendance.table
    shown: list[str] = []

    def inform(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", inform)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_M)  # not taken yet: it says what to do first
    assert len(shown) == 1 and "present, late or left early first" in shown[0]
    qtbot.keyClick(table, Qt.Key.Key_P, CTRL | SHIFT)  # mark all present: in person
    assert table.model().index(0, HOW).data() == "In person"
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_M)
    assert window.block.roster[0].attendance.mode is AttendanceMode.VIDEO  # type: ignore[union-attr]
    assert table.model().index(0, HOW).data() == "Video"
    qtbot.keyClick(window, Qt.Key.Key_M, CTRL | ALT)  # the Attendance menu's action
    assert window.block.roster[0].attendance.mode is AttendanceMode.TELEPHONE  # type: ignore[union-attr]
    assert window.block.roster[0].attendance.minutes == 60  # type: ignore[union-attr]
    assert window.block.roster[1].attendance.mode is AttendanceMode.IN_PERSON  # type: ignore[union-attr]
    window.close()
