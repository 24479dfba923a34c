"""The passphrase and recovery code dialogs, and the GUI start on a passphrase-protected clinic."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from facilitator.app import open_clinic
from facilitator.security import database_key
from facilitator.security.passphrase_store import PASSPHRASE_VARIABLE
from ui import application
from ui.dialogs.passphrase_dialog import PassphraseDialog
from ui.dialogs.recovery_code_dialog import RecoveryCodeDialog

CODE = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567-ABCD-EFGH-IJKL-MNOP-QRST-UVWX"


def test_recovery_code_is_shown_read_only_and_copied(qtbot: QtBot) -> None:
    dialog = RecoveryCodeDialog(CODE, "the system keyring")
    qtbot.addWidget(dialog)
    assert dialog.code_edit.text() == CODE
    assert dialog.code_edit.isReadOnly()
    assert "shown only this once" in dialog.explanation.text()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == CODE
    assert CODE in dialog.document().toPlainText()


def test_a_new_passphrase_must_be_long_and_repeated(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(tmp_path, new=True)
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText("short")
    dialog.repeat_edit.setText("short")
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "at least" in dialog.problem.text()
    dialog.passphrase_edit.setText("a long enough passphrase")
    dialog.repeat_edit.setText("a long enough passphrase!")
    dialog.buttons.accepted.emit()
    assert "differ" in dialog.problem.text()
    dialog.repeat_edit.setText("a long enough passphrase")
    dialog.buttons.accepted.emit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.passphrase() == "a long enough passphrase"


def test_a_new_passphrase_must_not_be_guessable(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = PassphraseDialog(tmp_path, new=True)
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText("qwertyuiop123")
    dialog.repeat_edit.setText("qwertyuiop123")
    dialog.buttons.accepted.emit()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "most commonly used" in dialog.problem.text()


def test_a_wrong_passphrase_is_explained_three_times_then_refused(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_key, "system_keyring", lambda: None)
    monkeypatch.setenv(PASSPHRASE_VARIABLE, "the administrator's passphrase")
    open_clinic(tmp_path).close()
    monkeypatch.delenv(PASSPHRASE_VARIABLE)
    asked: list[bool] = []

    def type_wrong_passphrase(dialog: PassphraseDialog) -> int:
        asked.append(dialog.repeat_edit.isVisibleTo(dialog))
        dialog.passphrase_edit.setText("not the passphrase")
        return QDialog.DialogCode.Accepted.value

    warnings: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(PassphraseDialog, "exec", type_wrong_passphrase)
    monkeypatch.setattr(
        application.QMessageBox, "warning", lambda _p, _t, text: warnings.append(text)
    )
    monkeypatch.setattr(
        application.QMessageBox, "critical", lambda _p, _t, text: errors.append(text)
    )
    assert application.run(tmp_path) == 2
    assert asked == [False] * application.PASSPHRASE_ATTEMPTS  # not the "choose one" form
    assert len(warnings) == application.PASSPHRASE_ATTEMPTS - 1
    assert "passphrase is not correct" in errors[0] and "recovery code" in errors[0]
