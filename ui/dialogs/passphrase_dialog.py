"""Asks the administrator for the passphrase that protects the database key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.security.errors import PassphraseRequiredError
from facilitator.security.passphrase_store import MIN_PASSPHRASE_LENGTH, AskPassphrase
from facilitator.security.passwords import PasswordPolicyError, check_policy
from ui.colors import warning_style
from ui.widgets import grow_to_fit


class PassphraseDialog(QDialog):
    """The passphrase, entered once to open a clinic, or twice when choosing a new one."""

    def __init__(self, folder: Path, new: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._new = new
        self.setWindowTitle(self.tr("Administrator passphrase"))
        if new:
            intro = self.tr(
                "No system keyring is available, so the key that encrypts the clinic's data "
                "in {folder} will be protected by an administrator passphrase. Choose one of "
                "at least {minimum} characters; it is asked each time Facilitator starts."
            ).format(folder=folder, minimum=MIN_PASSPHRASE_LENGTH)
        else:
            intro = self.tr("Enter the administrator passphrase to open the clinic in {0}.")
            intro = intro.format(folder)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat_edit = QLineEdit(self)
        self.repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(warning_style())
        self.problem.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        form = QFormLayout()
        form.addRow(self.tr("&Passphrase:"), self.passphrase_edit)
        if new:
            form.addRow(self.tr("&Repeat:"), self.repeat_edit)
        else:
            self.repeat_edit.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(440)  # the folder's path on one line, the intro in a few
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def passphrase(self) -> str:
        return self.passphrase_edit.text()

    def _on_buttons_accepted(self) -> None:
        text = self.passphrase()
        if self._new and len(text) < MIN_PASSPHRASE_LENGTH:
            self._show_problem(
                self.tr("The passphrase needs at least {0} characters.").format(
                    MIN_PASSPHRASE_LENGTH
                )
            )
        elif self._new and self.repeat_edit.text() != text:
            self._show_problem(self.tr("The two entries differ; type the passphrase again."))
        elif self._new and (refusal := policy_refusal(text)) is not None:
            self._show_problem(refusal)
        else:
            self.accept()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        grow_to_fit(self)


def policy_refusal(passphrase: str) -> str | None:
    """Why the password policy refuses `passphrase`, or None."""
    try:
        check_policy(passphrase, "")
    except PasswordPolicyError as error:
        return str(error)
    return None


def dialog_passphrase(folder: Path, parent: QWidget | None = None) -> AskPassphrase:
    """Asks with a PassphraseDialog; cancelling is "no passphrase given"."""

    def ask(*, new: bool) -> str:
        dialog = PassphraseDialog(folder, new, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            raise PassphraseRequiredError(folder)
        return dialog.passphrase()

    return ask
