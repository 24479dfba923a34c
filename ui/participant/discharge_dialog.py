"""Discharge a participant: day, reason and transition plan (or edit an unsigned one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.discharge import DischargeReason, DischargeRequest, TransitionPlan
from facilitator.domain.errors import DomainError

Save = Callable[[DischargeRequest], object]


class DischargeDialog(QDialog):
    """Ctrl+S or the Save button saves; a refused discharge keeps the dialog open with why."""

    def __init__(
        self,
        name: str,
        today: date,
        save: Save,
        existing: tuple[date, DischargeReason, TransitionPlan] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Discharge %1").replace("%1", name))
        day, reason, plan = existing or (today, DischargeReason.COMPLETED, TransitionPlan())
        self.day = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setEnabled(existing is None)  # the day of a recorded discharge stays
        self.reason = QComboBox(self)
        for choice in DischargeReason:
            self.reason.addItem(choice.label, choice.value)
        self.reason.setCurrentIndex(self.reason.findData(reason.value))
        self.next_level = QLineEdit(plan.next_level_of_care, self)
        self.next_level.setPlaceholderText(self.tr("Required for a step down or step up"))
        self.referrals = QPlainTextEdit(plan.referrals, self)
        self.support_groups = QLineEdit(plan.support_groups, self)
        self.follow_up = QLineEdit(plan.follow_up, self)
        self.follow_up.setPlaceholderText(self.tr("Who, where and when"))
        self.relapse_prevention = QPlainTextEdit(plan.relapse_prevention, self)
        for edit in (self.referrals, self.relapse_prevention):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(70)
        self.note = QLabel(
            self.tr(
                "The participant stays on this day's roster and leaves the rosters from the next "
                "day. Every record is kept; attending again needs a readmission."
            ),
            self,
        )
        self.note.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c; font-weight: bold;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save_button.setShortcut(QKeySequence.StandardKey.Save)
        save_button.setToolTip(self.tr("Save the discharge (Ctrl+S)"))
        self._build_layout()
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def request(self) -> DischargeRequest:
        day = self.day.date()
        return DischargeRequest(
            day=date(day.year(), day.month(), day.day()),
            reason=DischargeReason(self.reason.currentData()),
            plan=TransitionPlan(
                next_level_of_care=self.next_level.text().strip(),
                referrals=self.referrals.toPlainText().strip(),
                support_groups=self.support_groups.text().strip(),
                follow_up=self.follow_up.text().strip(),
                relapse_prevention=self.relapse_prevention.toPlainText().strip(),
            ),
        )

    def _build_layout(self) -> None:
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Discharge date:"), self.day),
            (self.tr("&Reason:"), self.reason),
            (self.tr("&Next level of care:"), self.next_level),
            (self.tr("Re&ferrals:"), self.referrals),
            (self.tr("&Support groups:"), self.support_groups),
            (self.tr("F&ollow-up appointment:"), self.follow_up),
            (self.tr("Relapse-&prevention highlights:"), self.relapse_prevention),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 0)

    def _on_buttons_accepted(self) -> None:
        try:
            self._save(self.request())
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()
