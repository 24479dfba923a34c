"""First start: show the database recovery code once, and create the first administrator."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.passwords import MIN_LENGTH
from facilitator.services.accounts import Accounts
from ui.colors import warning_style
from ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
from ui.widgets import grow_to_fit


class SetupDialog(QDialog):
    """Accepted once the first administrator exists (`user`, signed in)."""

    def __init__(
        self,
        accounts: Accounts,
        recovery_code: str | None,
        kept_in: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self._code = recovery_code
        self._kept_in = kept_in
        self.user: SignedInUser | None = None
        self.setWindowTitle(self.tr("Set up Facilitator"))
        self.intro = QLabel(
            self.tr(
                "Welcome. Records in this clinic are encrypted, and only clinicians with an "
                "account can open them. Create the administrator's account: the administrator "
                "adds the other clinicians and resets forgotten passwords."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.code_edit = QLineEdit(recovery_code or "", self)
        self.stored = QCheckBox(
            self.tr("I have printed or written down the recovery code and will lock it away"), self
        )  # made before Copy and Print: Tab reaches it first, as it reads, left of them
        self.copy_button = QPushButton(self.tr("&Copy"), self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.username = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.credentials = QLineEdit(self)
        self.credentials.setPlaceholderText(self.tr("for example LCSW, LCADC (may stay empty)"))
        self.password = self._password_edit(self.tr("Password"))
        self.repeat = self._password_edit(self.tr("Repeat the password"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(warning_style())
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(
            self.tr("C&reate administrator"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("&Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        if recovery_code is not None:
            layout.addWidget(self._recovery_box())
        layout.addWidget(self._administrator_box())
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(620)
        self._connect_signals()
        self._on_stored_toggled(self.stored.isChecked())

    def _recovery_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("1. The recovery code (shown only now)"), self)
        explanation = QLabel(
            self.tr(
                "The clinic's data is encrypted with a new key, kept in %1. If that key is lost "
                "(keyring cleared, new computer, forgotten passphrase), this code is the only "
                "way back into the records. Anyone holding it and the data folder can read "
                "them: keep it locked away from this computer."
            ).replace("%1", self._kept_in),
            box,
        )
        explanation.setWordWrap(True)
        self.code_edit.setReadOnly(True)
        self.code_edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        width = self.code_edit.fontMetrics().horizontalAdvance(self.code_edit.text())
        self.code_edit.setMinimumWidth(width + 24)  # the whole code in view, never scrolled
        actions = QHBoxLayout()
        actions.addWidget(self.stored, 1)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.print_button)
        layout = QVBoxLayout(box)
        layout.addWidget(explanation)
        layout.addWidget(self.code_edit)
        layout.addLayout(actions)
        return box

    def _administrator_box(self) -> QGroupBox:
        number = "2. " if self._code is not None else ""
        box = QGroupBox(number + self.tr("The administrator"), self)
        rules = QLabel(
            self.tr(
                "Usernames are lowercase (for example jlee). The password needs at least %1 "
                "characters, without the username or your name, and not a common password or "
                "pattern (password123, qwerty, 1111)."
            ).replace("%1", str(MIN_LENGTH)),
            box,
        )
        rules.setWordWrap(True)
        form = QFormLayout(box)
        form.addRow(rules)
        form.addRow(self.tr("&Username:"), self.username)
        form.addRow(self.tr("&Name:"), self.display_name)
        form.addRow(self.tr("Cre&dentials:"), self.credentials)
        form.addRow(self.tr("Pass&word:"), self.password)
        form.addRow(self.tr("R&epeat password:"), self.repeat)
        return box

    def _password_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.setAccessibleName(name)
        return edit

    def _connect_signals(self) -> None:
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.stored.toggled.connect(self._on_stored_toggled)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def create_administrator(self) -> bool:
        """Create the administrator from the form; show why not when it cannot be."""
        if self.password.text() != self.repeat.text():
            self._refuse(self.tr("The two passwords differ. Type them again."))
            return False
        try:
            created = self._accounts.create_first_administrator(
                self.username.text(),
                self.display_name.text(),
                self.credentials.text(),
                self.password.text(),
            )
            self.user = self._accounts.authenticate(created.username, self.password.text())
        except DomainError as error:
            self._refuse(str(error))
            return False
        self.accept()
        return True

    def _refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        grow_to_fit(self)
        self.password.clear()
        self.repeat.clear()

    def _on_stored_toggled(self, checked: bool) -> None:
        self.create_button.setEnabled(checked or self._code is None)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self._code or "")

    def _on_print_button_clicked(self) -> None:
        printer = QPrinter()
        if QPrintDialog(printer, self).exec() != QDialog.DialogCode.Accepted:
            return
        RecoveryCodeDialog(self._code or "", self._kept_in, self).document().print_(printer)

    def _on_buttons_accepted(self) -> None:
        self.create_administrator()
