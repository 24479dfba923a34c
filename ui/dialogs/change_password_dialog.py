"""A clinician chooses a new password: their own, or one to replace an administrator's."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.passwords import MIN_LENGTH
from facilitator.services.accounts import Accounts
from ui.colors import warning_style
from ui.widgets import grow_to_fit


class ChangePasswordDialog(QDialog):
    """Asks for the current password (unless given), then the new one twice."""

    def __init__(
        self,
        accounts: Accounts,
        user: SignedInUser,
        current: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self._user = user
        self._given_current = current
        self.new_password = ""
        self.setWindowTitle(self.tr("Choose a new password"))
        intro = (
            self.tr("%1, your password was set by an administrator: choose your own.")
            if current is not None
            else self.tr("Change the password of %1.")
        ).replace("%1", user.display_name)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.rules = QLabel(
            self.tr(
                "At least %1 characters, without your username, your name or the clinic's "
                "name, and not a common password or pattern (password123, qwerty, 1111). A "
                "few unrelated words make a long password that is easy to remember."
            ).replace("%1", str(MIN_LENGTH)),
            self,
        )
        self.rules.setWordWrap(True)
        self.current = self._password_edit(self.tr("Current password"))
        self.new = self._password_edit(self.tr("New password"))
        self.repeat = self._password_edit(self.tr("Repeat the new password"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(warning_style())
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        form = QFormLayout()
        if current is None:
            form.addRow(self.tr("&Current password:"), self.current)
        else:
            self.current.hide()
        form.addRow(self.tr("&New password:"), self.new)
        form.addRow(self.tr("&Repeat:"), self.repeat)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.rules)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._connect_signals()

    def _password_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        return edit

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        if self.new.text() != self.repeat.text():
            self._refuse(self.tr("The two new passwords differ. Type them again."))
            return
        current = self._given_current if self._given_current is not None else self.current.text()
        try:
            self._accounts.change_password(self._user, current, self.new.text())
        except DomainError as error:
            self._refuse(str(error))
            return
        self.new_password = self.new.text()
        self.accept()

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        grow_to_fit(self)
        for edit in (self.new, self.repeat):
            edit.clear()
        self.new.setFocus()
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
