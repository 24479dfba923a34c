"""A whole block run as a facilitator would: keys and clicks, then close, reopen, all there."""

from datetime import datetime, time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.notes import NoteProgress
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from ui.dialogs.quick_phrases_dialog import QuickPhrasesDialog
from ui.runner.session_runner_window import SessionRunnerWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


def open_runner(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> SessionRunnerWindow:
    session_id = clinic.day_blocks(DEMO_TODAY)[0].session_id
    window = SessionRunnerWindow(clinic, user, session_id, now=lambda: datetime(2026, 11, 23, 9, 4))
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def type_into_field(qtbot: QtBot, window: SessionRunnerWindow, number: int, text: str) -> None:
    qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), CTRL)
    focused = QApplication.focusWidget()
    assert focused is list(window.editor.fields.values())[number - 1]
    qtbot.keyClicks(focused, text)


def test_a_whole_block_survives_closing_and_reopening(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    window = open_runner(qtbot, writable_clinic, user)
    qtbot.keyClick(window, Qt.Key.Key_S, CTRL | SHIFT)  # start the block now
    assert window.block.actual_start == time(9, 4)

    # Attendance: everyone present, then the second person absent with a reason.
    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_P, CTRL | SHIFT)
    roster = window.block.roster
    assert all(e.attendance and e.attendance.status is AttendanceStatus.PRESENT for e in roster)
    window.attendance.table.setFocus()
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_X)
    absent = window.block.roster[1]
    assert absent.attendance and absent.attendance.status is AttendanceStatus.ABSENT_EXCUSED
    qtbot.keyClicks(window.attendance.reason, "Medical appointment")
    qtbot.keyClick(window.attendance.reason, Qt.Key.Key_Return)
    assert window.block.roster[1].attendance.absence_reason == "Medical appointment"  # type: ignore[union-attr]
    assert window.block.present == len(roster) - 1

    # Group note: one intervention ticked and a summary.
    qtbot.keyClick(window, Qt.Key.Key_F3)
    first = window.group_note.interventions.item(0)
    first.setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(window.group_note.summary, "Members mapped thoughts to cravings.")

    # Notes for three participants; the absent one offers no note.
    qtbot.keyClick(window, Qt.Key.Key_F4)
    written = {}
    for index in (0, 2, 3):
        window.notes.people.setCurrentRow(index)
        entry = window.block.roster[index]
        text = f"Goal text for participant {index}"
        type_into_field(qtbot, window, 1, text)
        written[entry.participant_id] = text
    # The fourth is complete: every required field filled, one via a quick phrase.
    for number in (2, 3, 4):
        type_into_field(qtbot, window, number, "Specific observation.")
    window.editor.fields["plan"].phrase_menu().actions()[0].trigger()
    assert "Specific observation." in window.editor.fields["plan"].toPlainText()
    assert "complete" in window.notes.people.item(3).text()
    window.notes.people.setCurrentRow(1)
    assert window.notes.pages.currentWidget() is window.notes.absence
    assert "Medical appointment" in window.notes.absence.text()

    # Alt+Up goes back to the previous person, with what was typed still there.
    window.notes.people.setCurrentRow(3)
    qtbot.keyClick(window, Qt.Key.Key_Up, ALT)
    assert window.notes.people.currentRow() == 2
    assert window.editor.fields["goal"].toPlainText() == written[roster[2].participant_id]

    window.close()

    reopened = open_runner(qtbot, writable_clinic, user)
    block = reopened.block
    assert block.actual_start == time(9, 4)
    assert block.group_note == "Members mapped thoughts to cravings."
    assert block.interventions == (first.text(),)
    assert block.roster[1].attendance.absence_reason == "Medical appointment"  # type: ignore[union-attr]
    assert block.roster[1].note is None
    for participant_id, text in written.items():
        entry = block.entry(participant_id)
        assert entry.note is not None
        assert entry.note.draft.fields["goal"] == text
    assert block.roster[3].progress is NoteProgress.COMPLETE
    assert block.roster[0].progress is NoteProgress.DRAFTED
    reopened.notes.people.setCurrentRow(2)
    assert reopened.editor.fields["goal"].toPlainText() == written[roster[2].participant_id]


def test_autosave_writes_without_any_button(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    window = open_runner(qtbot, writable_clinic, user)
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_P, CTRL | SHIFT)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    window.notes.people.setCurrentRow(0)
    type_into_field(qtbot, window, 1, "Typed and left alone")
    participant_id = window.block.roster[0].participant_id
    qtbot.waitUntil(lambda: window.save_state.text() == "All changes saved", timeout=2000)

    stored = writable_clinic.runner.sheet(window.session_id).blocks[0].entry(participant_id)
    assert stored.note is not None and stored.note.draft.fields["goal"] == "Typed and left alone"


def test_risk_flags_stand_out(qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser) -> None:
    window = open_runner(qtbot, writable_clinic, user)
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_P, CTRL | SHIFT)
    qtbot.keyClick(window, Qt.Key.Key_F4)
    editor = window.editor
    assert editor.risk_box.title() == "Risk"
    editor.craving.setValue(8)
    assert editor.risk_box.title() == "Risk: raised"
    assert "c62828" in editor.risk_box.styleSheet()
    editor.craving.setValue(2)
    editor.suicidal.setChecked(True)
    assert editor.risk_box.title() == "Risk: raised"


def test_quick_phrases_edited_in_settings_are_offered(
    qtbot: QtBot, writable_clinic: Clinic, monkeypatch: pytest.MonkeyPatch, user: SignedInUser
) -> None:
    window = open_runner(qtbot, writable_clinic, user)

    def edit_and_close(dialog: QuickPhrasesDialog) -> int:
        dialog.fields.setCurrentRow(0)
        dialog.editor.setPlainText("Named a new trigger\nPractised the skill")
        dialog.accept()
        return 1

    monkeypatch.setattr(QuickPhrasesDialog, "exec", edit_and_close)
    qtbot.keyClick(window, Qt.Key.Key_Q, CTRL | SHIFT)
    first_field = next(iter(window.editor.fields.values()))
    menu = first_field.phrase_menu()
    assert [a.text() for a in menu.actions()] == [
        "&1 Named a new trigger",
        "&2 Practised the skill",
    ]
    first_key = window.sheet.template.fields[0].key
    assert writable_clinic.quick_phrases.phrases("GIRP", first_key) == (
        "Named a new trigger",
        "Practised the skill",
    )


def test_the_group_note_shows_in_every_participant_note(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    window = open_runner(qtbot, writable_clinic, user)
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_P, CTRL | SHIFT)
    qtbot.keyClick(window, Qt.Key.Key_F4)  # a participant's note is on screen
    qtbot.keyClick(window, Qt.Key.Key_F3)
    qtbot.keyClicks(window.group_note.summary, "Group practised urge surfing.")
    assert "Group practised urge surfing." in window.editor.context.text()
    qtbot.keyClick(window, Qt.Key.Key_Down, ALT)
    assert "Group practised urge surfing." in window.editor.context.text()
    assert window.editor.fields["goal"].isReadOnly() is False


def test_opening_and_closing_a_block_rewrites_nothing(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    session_id = writable_clinic.day_blocks(DEMO_TODAY)[0].session_id
    block = writable_clinic.runner.sheet(session_id).blocks[0]
    ticked = list(reversed(block.intervention_choices[:2]))  # not the order the list shows
    writable_clinic.runner.save_group_note(block.block_id, ticked, "", "Summary as written.")
    window = open_runner(qtbot, writable_clinic, user)
    window.close()
    stored = writable_clinic.runner.sheet(session_id).blocks[0]
    assert list(stored.interventions) == ticked
