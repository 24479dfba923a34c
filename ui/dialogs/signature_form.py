"""The part of a signing dialog that signs: what the signature attests, what it means, who
signs, their password again, the reason a signature was refused, and the sign button."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.content import SignatureText
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from ui.colors import warning_style


class SignatureForm(QWidget):
    """Attestation, meaning, printed name, credentials and password, then Sign and Cancel.

    `buttons` accepts or rejects; the dialog connects them and calls sign() to sign.
    """

    def __init__(
        self,
        user: SignedInUser,
        words: SignatureText,
        sign_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        attestation = QLabel(words.attestation, self)
        attestation.setWordWrap(True)
        attestation.setFrameShape(QLabel.Shape.StyledPanel)
        attestation.setMargin(8)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Your password, to sign"))
        self.error = QLabel(self)
        self.error.setStyleSheet(warning_style(bold=True))
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.sign_button = self.buttons.addButton(sign_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        form.addRow(self.tr("Meaning:"), QLabel(words.meaning, self))
        form.addRow(self.tr("Printed name:"), QLabel(user.display_name, self))
        form.addRow(self.tr("Credentials:"), QLabel(user.credentials or "—", self))
        form.addRow(self.tr("&Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(attestation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def sign(self, act: Callable[[str], object]) -> bool:
        """Call `act` with the password typed; a refusal (DomainError) is shown here, the
        password cleared for another try, and False returned."""
        try:
            act(self.password.text())
        except DomainError as error:
            self.error.setText(str(error))
            self.error.show()
            self.password.clear()
            self.password.setFocus()
            return False
        return True
