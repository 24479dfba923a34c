"""Write and sign an addendum to a signed note; a returned note can be resubmitted with it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.content import SignatureText
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from ui.widgets import page_title


class AddendumDialog(QDialog):
    """`add(text, password, resubmit)` signs the addendum; a refusal keeps the dialog open."""

    def __init__(
        self,
        user: SignedInUser,
        about: str,
        words: SignatureText,
        add: Callable[[str, str, bool], object],
        can_resubmit: bool = False,
        return_comment: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._add = add
        self.setWindowTitle(self.tr("Addendum"))
        self.text = QPlainTextEdit(self)
        self.text.setPlaceholderText(
            self.tr(
                "What the note did not say, or what needs correcting. The note stays as signed."
            )
        )
        self.resubmit = QCheckBox(self.tr("&Resubmit the note for co-signature"), self)
        self.resubmit.setChecked(can_resubmit)
        self.resubmit.setVisible(can_resubmit)
        comment = QLabel(self.tr("Supervisor's comment: ") + return_comment, self)
        comment.setWordWrap(True)
        comment.setVisible(bool(return_comment))
        attestation = QLabel(words.attestation, self)
        attestation.setWordWrap(True)
        attestation.setFrameShape(QLabel.Shape.StyledPanel)
        attestation.setMargin(8)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.sign_button = self.buttons.addButton(
            self.tr("Sign addendum"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setToolTip(self.tr("Sign addendum (Ctrl+Enter)"))
        self.accept_action = QAction(self)
        self.accept_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.addAction(self.accept_action)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        form.addRow(self.tr("Meaning:"), QLabel(words.meaning, self))
        form.addRow(self.tr("Printed name:"), QLabel(user.display_name, self))
        form.addRow(self.tr("Credentials:"), QLabel(user.credentials or "—", self))
        form.addRow(self.tr("&Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Addendum to ") + about, self))
        layout.addWidget(comment)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.resubmit)
        layout.addWidget(attestation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, 520)
        self._connect_signals()
        self.text.setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.accept_action.triggered.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        try:
            self._add(self.text.toPlainText(), self.password.text(), self.resubmit.isChecked())
        except DomainError as error:
            self.error.setText(str(error))
            self.error.show()
            self.password.clear()
            return
        self.accept()
