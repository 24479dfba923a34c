"""Signing in: username and password, a clear refusal, and the wait after repeated failures."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.users import SignedInUser
from facilitator.services.accounts import (
    Accounts,
    LoginRefusedError,
    PasswordChangeRequiredError,
)
from ui.accounts.own_password import sign_in_with_own_password
from ui.colors import warning_style
from ui.widgets import grow_to_fit


class LoginDialog(QDialog):
    """Accepted once a clinician signed in (`user`); rejected when they quit instead."""

    def __init__(self, accounts: Accounts, clinic_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.user: SignedInUser | None = None
        self._remaining = timedelta()
        self.setWindowTitle(self.tr("Sign in — Facilitator"))
        self.intro = QLabel(self.tr("Sign in to the clinic in %1.").replace("%1", clinic_name))
        self.intro.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setAccessibleName(self.tr("Username"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(warning_style())
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.hide()
        self.sign_in_button = QPushButton(self.tr("&Sign in"), self)
        self.sign_in_button.setDefault(True)
        self.buttons = QDialogButtonBox(self)
        self.buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton(
            self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        form = QFormLayout()
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Password:"), self.password)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.countdown.timeout.connect(self._on_countdown_timeout)
        self.username.textEdited.connect(self._on_username_text_edited)

    def sign_in(self) -> bool:
        """Try the entered username and password; show why not when refused."""
        username = self.username.text()
        if not username.strip() or not self.password.text():
            self._show_error(self.tr("Enter your username and password."))
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # hashing takes a moment
        try:
            self.user = self._accounts.authenticate(username, self.password.text())
        except PasswordChangeRequiredError as required:
            QApplication.restoreOverrideCursor()
            return self._choose_password(required, username)
        except LoginRefusedError as error:
            QApplication.restoreOverrideCursor()
            self.password.clear()
            self._show_error(str(error))
            self._wait(error.retry_after)
            return False
        QApplication.restoreOverrideCursor()
        self.password.clear()
        self.accept()
        return True

    def _choose_password(self, required: PasswordChangeRequiredError, username: str) -> bool:
        temporary = self.password.text()
        self.password.clear()
        try:
            user = sign_in_with_own_password(self._accounts, required, username, temporary, self)
        except LoginRefusedError as error:
            self._show_error(str(error))
            return False
        if user is None:
            self._show_error(self.tr("Choose your own password to sign in."))
            return False
        self.user = user
        self.accept()
        return True

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        grow_to_fit(self)
        self.password.setFocus()

    def _wait(self, wait: timedelta | None) -> None:
        """Disable signing in until the username may try again, counting down."""
        if wait is None:
            return
        self._remaining = wait
        self.sign_in_button.setEnabled(False)
        self._show_wait()
        self.countdown.start()

    def _show_wait(self) -> None:
        seconds = int(self._remaining.total_seconds())
        left = f"{seconds // 60}:{seconds % 60:02d}" if seconds >= 60 else f"{seconds} s"
        self.sign_in_button.setText(self.tr("Wait %1").replace("%1", left))

    def _on_countdown_timeout(self) -> None:
        self._remaining -= timedelta(seconds=1)
        if self._remaining > timedelta():
            self._show_wait()
            return
        self._end_wait()

    def _end_wait(self) -> None:
        self.countdown.stop()
        self.sign_in_button.setText(self.tr("&Sign in"))
        self.sign_in_button.setEnabled(True)

    def _on_username_text_edited(self, _text: str) -> None:
        if self.countdown.isActive():  # the wait belongs to the username that was tried
            self._end_wait()

    def _on_buttons_accepted(self) -> None:
        self.sign_in()
