"""The lock screen: the only window shown while the app is locked. It shows no records."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.users import SignedInUser
from ui.colors import warning_style
from ui.widgets import page_title


class LockScreen(QWidget):
    """Asks the signed-in clinician's password, or lets another clinician sign in."""

    unlock_requested = Signal(str)  # password
    switch_requested = Signal(str, str)  # username, password
    closing = Signal()  # the window is closed: the app quits

    def __init__(self, user: SignedInUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Facilitator is locked"))
        self._build_widgets(user)
        self._connect_signals()
        self.switch_box.setVisible(False)

    def _build_widgets(self, user: SignedInUser) -> None:
        title = page_title(self.tr("Facilitator is locked"), self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        explanation = QLabel(
            self.tr(
                "Records are hidden and every draft was saved. Enter your password to go on "
                "where you left off."
            ),
            self,
        )
        explanation.setWordWrap(True)
        self.signed_in = QLabel(
            self.tr("Signed in: %1 (%2)")
            .replace("%1", user.display_name)
            .replace("%2", user.username),
            self,
        )
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        self.unlock_button.setDefault(True)
        self.unlock_button.setToolTip(self.tr("Enter"))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(warning_style())
        self.message.hide()  # shown with a refusal; no empty gap above Switch user before
        self.show_switch = QPushButton(self.tr("&Switch user…"), self)
        self.show_switch.setShortcut(QKeySequence("Alt+S"))
        self.show_switch.setToolTip(
            self.tr("Another clinician signs in; this one's windows close (all saved). Alt+S")
        )
        self.switch_box = QGroupBox(self.tr("Another clinician signs in"), self)
        self.username = QLineEdit(self.switch_box)
        self.username.setPlaceholderText(self.tr("Username"))
        self.switch_password = QLineEdit(self.switch_box)
        self.switch_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.switch_password.setPlaceholderText(self.tr("Password"))
        self.sign_in_button = QPushButton(self.tr("Sign &in"), self.switch_box)
        form = QFormLayout(self.switch_box)
        form.addRow(self.tr("Username:"), self.username)
        form.addRow(self.tr("Password:"), self.switch_password)
        form.addRow("", self.sign_in_button)

        unlock_row = QHBoxLayout()
        unlock_row.addWidget(self.password, 1)
        unlock_row.addWidget(self.unlock_button)
        panel = QFrame(self)
        panel.setFrameShape(QFrame.Shape.StyledPanel)
        panel.setMinimumWidth(420)
        panel.setMaximumWidth(520)
        inner = QVBoxLayout(panel)
        inner.setSpacing(12)
        inner.addWidget(title)
        inner.addWidget(explanation)
        inner.addWidget(self.signed_in)
        inner.addLayout(unlock_row)
        inner.addWidget(self.message)
        inner.addWidget(self.show_switch, 0, Qt.AlignmentFlag.AlignLeft)
        inner.addWidget(self.switch_box)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(panel, 1)
        centred.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)

    def _connect_signals(self) -> None:
        self.unlock_button.clicked.connect(self._on_unlock_button_clicked)
        self.password.returnPressed.connect(self._on_unlock_button_clicked)
        self.show_switch.clicked.connect(self._on_show_switch_clicked)
        self.sign_in_button.clicked.connect(self._on_sign_in_button_clicked)
        self.switch_password.returnPressed.connect(self._on_sign_in_button_clicked)

    def refuse(self, message: str) -> None:
        """Say why the password or sign-in was refused; the fields are cleared."""
        self.message.setText(message)
        self.message.show()
        self.password.clear()
        self.switch_password.clear()
        (self.switch_password if self.switch_box.isVisible() else self.password).setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.password.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)

    def _on_unlock_button_clicked(self) -> None:
        self.message.hide()
        self.unlock_requested.emit(self.password.text())

    def _on_show_switch_clicked(self) -> None:
        self.switch_box.setVisible(True)
        self.username.setFocus()

    def _on_sign_in_button_clicked(self) -> None:
        self.message.hide()
        self.switch_requested.emit(self.username.text().strip(), self.switch_password.text())
