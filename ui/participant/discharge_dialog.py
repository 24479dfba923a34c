"""Discharge a participant: day, reason and transition plan (or edit an unsigned one)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.discharge import (
    DischargeReason,
    DischargeRequest,
    GoalStatus,
    TransitionPlan,
)
from facilitator.domain.errors import DomainError
from facilitator.services.discharge import GoalRow
from ui.date_edit import DateEdit
from ui.participant.form_parts import (
    from_qdate,
    labelled_form,
    refusal_label,
    save_buttons,
    to_qdate,
)

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
        goals: Sequence[GoalRow] = (),
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._goals = list(goals)
        self.setWindowTitle(self.tr("Discharge %1").replace("%1", name))
        day, reason, plan = existing or (today, DischargeReason.COMPLETED, TransitionPlan())
        self.day = DateEdit(day, self)
        self.day.setMaximumDate(to_qdate(max(day, today)))  # a discharge is not recorded ahead
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
        self.goal_statuses: list[QComboBox] = []
        for goal in self._goals:
            status = QComboBox(self)
            for outcome in GoalStatus:
                status.addItem(outcome.label, outcome.value)
            status.setCurrentIndex(max(0, status.findData(goal.status)))
            status.setAccessibleName(self.tr("Status of the goal: %1").replace("%1", goal.text))
            self.goal_statuses.append(status)
        self.note = QLabel(
            self.tr(
                "The participant stays on this day's roster and leaves the rosters from the next "
                "day. Every record is kept; attending again needs a readmission."
            ),
            self,
        )
        self.note.setWordWrap(True)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the discharge (Ctrl+S)"))
        self._build_layout()
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def request(self) -> DischargeRequest:
        return DischargeRequest(
            day=from_qdate(self.day.date()),
            reason=DischargeReason(self.reason.currentData()),
            plan=TransitionPlan(
                next_level_of_care=self.next_level.text().strip(),
                referrals=self.referrals.toPlainText().strip(),
                support_groups=self.support_groups.text().strip(),
                follow_up=self.follow_up.text().strip(),
                relapse_prevention=self.relapse_prevention.toPlainText().strip(),
            ),
            goals=tuple(
                (goal.goal_id, GoalStatus(box.currentData()))
                for goal, box in zip(self._goals, self.goal_statuses, strict=True)
            ),
        )

    def _build_layout(self) -> None:
        form = labelled_form(
            self,
            (
                (self.tr("&Discharge date:"), self.day),
                (self.tr("&Reason:"), self.reason),
                (self.tr("&Next level of care:"), self.next_level),
                (self.tr("Re&ferrals:"), self.referrals),
                (self.tr("&Support groups:"), self.support_groups),
                (self.tr("F&ollow-up appointment:"), self.follow_up),
                (self.tr("Relapse-&prevention highlights:"), self.relapse_prevention),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if self._goals:
            layout.addWidget(self._goals_box())
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 0)

    def _goals_box(self) -> QGroupBox:
        """Each treatment goal with its status at discharge, shown in the summary."""
        box = QGroupBox(self.tr("&Treatment plan goals at discharge"), self)
        form = QFormLayout(box)
        for goal, status in zip(self._goals, self.goal_statuses, strict=True):
            label = QLabel(goal.text, box)
            label.setWordWrap(True)
            label.setBuddy(status)
            form.addRow(label, status)
        return box

    def _on_buttons_accepted(self) -> None:
        try:
            self._save(self.request())
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()
