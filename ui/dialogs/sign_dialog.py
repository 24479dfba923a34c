"""Confirm a signature: what is signed, what it means, who signs, and the password again."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QVBoxLayout, QWidget

from facilitator.content import SignatureText
from facilitator.domain.users import SignedInUser
from ui.dialogs.signature_form import SignatureForm
from ui.widgets import page_title


class SignDialog(QDialog):
    """Lists every item to be signed with their count; `sign(password)` does the signing.
    The button says `verb` ("Co-sign"; "Sign" by default) and the count.

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
        verb: str = "",
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
        count = len(items)
        verb = verb or self.tr("Sign")
        self.signature = SignatureForm(user, words, verb + (f" {count}" if count > 1 else ""), self)
        self.password = self.signature.password
        self.error = self.signature.error
        self.sign_button = self.signature.sign_button
        self.sign_button.setDefault(True)
        self.sign_button.setToolTip(verb + self.tr(" (Enter)"))
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(title, self))
        layout.addWidget(self.items, 1)
        layout.addWidget(self.remark)
        layout.addWidget(self.signature)
        self.resize(640, 520)
        self._connect_signals()
        self.password.setFocus()

    def _connect_signals(self) -> None:
        self.signature.buttons.accepted.connect(self._on_buttons_accepted)
        self.signature.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        if self.signature.sign(self._sign):
            self.accept()
