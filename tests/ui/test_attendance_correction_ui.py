"""The runner and attendance behind a signed note: the table refuses, the correction dialog
changes it with a signed addendum shown after the note."""

from __future__ import annotations

import uuid
from datetime import time

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_export_actions import action
from tests.ui.test_runner_note_actions import addended_note, runner_on
from ui.runner.attendance_correction_dialog import AttendanceCorrectionDialog
from ui.runner.session_runner_window import SessionRunnerWindow


def signed_runner(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> SessionRunnerWindow:
    """The runner on the block of a signed note, its participant selected in both pages."""
    _note_id, session_id, block_id, participant_id = addended_note(clinic)
    window = runner_on(qtbot, clinic, user, session_id, block_id, participant_id)
    window.show_tab(0)
    ids = [e.participant_id for e in window.block.roster]
    window.attendance.table.selectRow(ids.index(participant_id))
    return window


def warnings_shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []

    def warn(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warn)
    return shown


def selected(window: SessionRunnerWindow) -> uuid.UUID:
    found = window.attendance.selected_participant()
    assert found is not None
    return found


def test_editing_a_signed_participants_attendance_shows_the_refusal(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = signed_runner(qtbot, writable_clinic, user)
    shown = warnings_shown(monkeypatch)
    before = window.block.entry(selected(window)).attendance
    window.attendance.status_buttons[AttendanceStatus.ABSENT_UNEXCUSED].click()
    window.attendance.left.setTime(QTime(9, 15))
    window.attendance.left.editingFinished.emit()

    assert len(shown) == 2
    assert all("note for this block is signed" in text for text in shown)
    assert "Correct attendance" in shown[0]
    assert window.block.entry(selected(window)).attendance == before
    assert before is not None
    recorded = before.left or window.block.span.end
    assert window.attendance.left.time() == QTime(recorded.hour, recorded.minute)


def test_correct_attendance_signs_an_addendum_and_shows_it(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    demo_passwords: dict[str, str],
) -> None:
    window = signed_runner(qtbot, writable_clinic, user)
    participant = selected(window)
    correct = action(window, "Correct attendance…")
    assert correct.shortcut().toString() == "Ctrl+Shift+T"
    correct.trigger()
    dialog = window.correction_dialog
    assert isinstance(dialog, AttendanceCorrectionDialog) and dialog.isVisible()
    dialog.status.setCurrentIndex(list(AttendanceStatus).index(AttendanceStatus.LEFT_EARLY))
    end = window.block.span.end
    dialog.left.setTime(QTime(end.hour - 1, 40))
    dialog.reason.setText("Sign-in sheet shows departure")

    dialog.password.setText("not the password")
    dialog.sign_button.click()
    assert dialog.isVisible() and "password" in dialog.error.text()
    unchanged = window.block.entry(participant).attendance
    assert unchanged is not None and unchanged.status is not AttendanceStatus.LEFT_EARLY

    dialog.password.setText(demo_passwords["mreyes"])
    dialog.sign_button.click()
    assert not dialog.isVisible()
    attendance = window.block.entry(participant).attendance
    assert attendance is not None and attendance.status is AttendanceStatus.LEFT_EARLY
    assert attendance.left == time(end.hour - 1, 40)
    row = [e.participant_id for e in window.block.roster].index(participant)
    model = window.attendance.table.model()
    assert model.index(row, 1).data() == "Left early"
    window.show_tab(2)
    text = window.signed_view.record.toPlainText()
    assert "Attendance corrected: was " in text[text.index("Addendum 2") :]
    assert "Reason: Sign-in sheet shows departure" in text
    assert "Attendance corrected" in window.statusBar().currentMessage()


def test_correcting_attendance_without_a_signed_note_is_explained(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = writable_clinic.day_blocks(DEMO_TODAY)[0]
    window = runner_on(qtbot, writable_clinic, user, first.session_id, first.block_id)
    window.show_tab(0)
    window.attendance.table.selectRow(0)
    explained: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda _p, _t, text: explained.append(text) or 0
    )
    action(window, "Correct attendance…").trigger()
    assert window.correction_dialog is None
    assert len(explained) == 1 and "change the attendance in the table" in explained[0]
