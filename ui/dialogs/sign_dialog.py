"""Confirm a signature: what is signed, what it means, who signs, and the password again."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from facilitator.content import SignatureText
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from ui.widgets import page_title


class SignDialog(QDialog):
    """Lists every item to be signed with their count; `sign(password)` does the signing.

    A refused password (or any other refusal) is shown here and the dialog stays open, with
    nothing signed.
    """

    def __init__(
        self,
        user: SignedInUser,
        title: str,
        items: Sequence[str],
        words: SignatureText,
        sign: Callable[[str], object],
        remark: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sign = sign
        self.setWindowTitle(title)
        self.items = QListWidget(self)
        self.items.addItems(list(items))
        self.items.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.remark = QLabel(remark, self)
        self.remark.setWordWrap(True)
        self.remark.setVisible(bool(remark))
        attestation = QLabel(words.attestation, self)
        attestation.setWordWrap(True)
        attestation.setFrameShape(QLabel.Shape.StyledPanel)
        attestation.setMargin(8)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Your password, to sign"))
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        count = len(items)
        self.sign_button = self.buttons.addButton(
            self.tr("Sign") + (f" {count}" if count > 1 else ""),
            QDialogButtonBox.ButtonRole.AcceptRole,
        )
        self.sign_button.setDefault(True)
        self.sign_button.setToolTip(self.tr("Sign (Enter)"))
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        form.addRow(self.tr("Meaning:"), QLabel(words.meaning, self))
        form.addRow(self.tr("Printed name:"), QLabel(user.display_name, self))
        form.addRow(self.tr("Credentials:"), QLabel(user.credentials or "—", self))
        form.addRow(self.tr("&Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(title, self))
        layout.addWidget(self.items, 1)
        layout.addWidget(self.remark)
        layout.addWidget(attestation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, 520)
        self._connect_signals()
        self.password.setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        try:
            self._sign(self.password.text())
        except DomainError as error:
            self.error.setText(str(error))
            self.error.show()
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()
