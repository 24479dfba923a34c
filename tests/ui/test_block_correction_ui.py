"""The runner and a block whose notes are signed: its group note is read-only with a hint,
Block > Correct block… (Ctrl+Shift+B) changes it with a signed addendum on each note."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from tests.ui.test_attendance_correction_ui import signed_runner
from tests.ui.test_export_actions import action
from ui.runner.block_correction_dialog import BlockCorrectionDialog


def test_a_signed_blocks_group_note_is_read_only_and_says_how_to_correct(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    window = signed_runner(qtbot, writable_clinic, user)
    window.show_tab(1)
    panel = window.group_note
    assert panel.summary.isReadOnly() and not panel.interventions.isEnabled()
    assert "Correct block" in panel.locked_hint.text() and not panel.locked_hint.isHidden()


def test_correct_block_signs_an_addendum_on_each_note(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    demo_passwords: dict[str, str],
) -> None:
    window = signed_runner(qtbot, writable_clinic, user)
    correct = action(window, "Correct block…")
    assert correct.shortcut().toString() == "Ctrl+Shift+B"
    qtbot.keyClick(
        window,
        Qt.Key.Key_B,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = window.block_correction_dialog
    assert isinstance(dialog, BlockCorrectionDialog) and dialog.isVisible()
    end = window.block.span.end
    dialog.end.setTime(QTime(end.hour - 1, 30))
    dialog.reason.setText("Fire drill ended the group early")
    dialog.password.setText("not the password")
    dialog.signature.sign_button.click()
    assert dialog.isVisible() and "password" in dialog.error.text()
    assert window.block.span.end == end

    dialog.password.setText(demo_passwords["mreyes"])
    dialog.signature.sign_button.click()
    assert not dialog.isVisible()
    assert window.block.span.end.hour == end.hour - 1
    assert "Block corrected" in window.statusBar().currentMessage()
    window.show_tab(2)
    text = window.signed_view.record.toPlainText()
    assert "Block corrected: Time was" in text
    assert "Reason: Fire drill ended the group early" in text
