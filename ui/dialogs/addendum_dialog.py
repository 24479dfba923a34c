"""Write and sign an addendum to a signed note; a returned note can be resubmitted with it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.content import SignatureText
from facilitator.domain.users import SignedInUser
from ui.dialogs.signature_form import SignatureForm
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
        self.signature = SignatureForm(user, words, self.tr("Sign addendum"), self)
        self.password = self.signature.password
        self.error = self.signature.error
        self.sign_button = self.signature.sign_button
        self.sign_button.setToolTip(self.tr("Sign addendum (Ctrl+Enter)"))
        self.accept_action = QAction(self)
        self.accept_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.addAction(self.accept_action)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Addendum to ") + about, self))
        layout.addWidget(comment)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.resubmit)
        layout.addWidget(self.signature)
        self.resize(640, 520)
        self._connect_signals()
        self.text.setFocus()

    def _connect_signals(self) -> None:
        self.signature.buttons.accepted.connect(self._on_buttons_accepted)
        self.accept_action.triggered.connect(self._on_buttons_accepted)
        self.signature.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        text, resubmit = self.text.toPlainText(), self.resubmit.isChecked()
        if self.signature.sign(lambda password: self._add(text, password, resubmit)):
            self.accept()
