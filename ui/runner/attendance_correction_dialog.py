"""Correct the attendance behind a signed note: new status and times, a reason, the password;
the change is signed as an addendum to the note."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.content import SignatureText
from facilitator.domain.attendance import AttendanceMode, AttendanceStatus, TimeSpan
from facilitator.domain.users import SignedInUser
from facilitator.services.session_sheet import AttendanceRow
from ui.dialogs.signature_form import SignatureForm
from ui.widgets import page_title

Correct = Callable[[str, AttendanceStatus, time | None, time | None, str, str], object]
"""correct(password, status, arrived, left, reason, mode): raises DomainError when refused."""


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


class AttendanceCorrectionDialog(QDialog):
    """Status, arrived, left and reason, then the signature; a refusal keeps it open."""

    def __init__(
        self,
        user: SignedInUser,
        name: str,
        attendance: AttendanceRow,
        span: TimeSpan,
        words: SignatureText,
        correct: Correct,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._correct = correct
        self._span = span
        self.setWindowTitle(self.tr("Correct attendance"))
        self.status = QComboBox(self)
        for status in AttendanceStatus:
            self.status.addItem(status.label, status)
        self.status.setCurrentIndex(list(AttendanceStatus).index(attendance.status))
        self.mode = QComboBox(self)
        for mode in AttendanceMode:
            self.mode.addItem(mode.label, mode.value)
        self.mode.setCurrentIndex(list(AttendanceMode).index(attendance.mode))
        self.arrived = QTimeEdit(_qtime(attendance.arrived or span.start), self)
        self.left = QTimeEdit(_qtime(attendance.left or span.end), self)
        for edit in (self.arrived, self.left):
            edit.setDisplayFormat("HH:mm")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why the attendance is corrected (required)"))
        self.signature = SignatureForm(user, words, self.tr("Sign correction"), self)
        self.password = self.signature.password
        self.error = self.signature.error
        self.sign_button = self.signature.sign_button
        self.sign_button.setToolTip(self.tr("Sign correction (Ctrl+Enter)"))
        self.accept_action = QAction(self)
        self.accept_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.addAction(self.accept_action)
        form = QFormLayout()
        form.addRow(self.tr("&Status:"), self.status)
        form.addRow(self.tr("&How attended:"), self.mode)
        form.addRow(self.tr("&Arrived:"), self.arrived)
        form.addRow(self.tr("L&eft:"), self.left)
        form.addRow(self.tr("&Reason:"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Correct attendance: ") + name, self))
        layout.addLayout(form)
        layout.addWidget(self.signature)
        self.setMinimumWidth(560)  # as tall as its contents
        self._connect_signals()
        self._on_status_changed()
        self.status.setFocus()

    def _connect_signals(self) -> None:
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self.signature.buttons.accepted.connect(self._on_buttons_accepted)
        self.accept_action.triggered.connect(self._on_buttons_accepted)
        self.signature.buttons.rejected.connect(self.reject)

    def chosen_status(self) -> AttendanceStatus:
        return AttendanceStatus(self.status.currentData())

    def _on_status_changed(self) -> None:
        attended = self.chosen_status().attended
        self.arrived.setEnabled(attended)
        self.left.setEnabled(attended)

    def _on_buttons_accepted(self) -> None:
        status = self.chosen_status()
        arrived = time(self.arrived.time().hour(), self.arrived.time().minute())
        left = time(self.left.time().hour(), self.left.time().minute())
        reason = self.reason.text()
        if self.signature.sign(
            lambda password: self._correct(
                password,
                status,
                arrived if arrived != self._span.start else None,
                left if left != self._span.end else None,
                reason,
                str(self.mode.currentData()),
            )
        ):
            self.accept()
