"""Edit a participant's treatment goals: add, change a goal's text (with a reason; the old text
stays in the history), put them in another order. Saved all at once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.services.admissions import MAX_REASON_LENGTH
from facilitator.services.discharge import GoalRow
from facilitator.services.goal_plan import PlanItem
from ui.participant.details_form import chain_focus
from ui.participant.form_parts import refusal_label, save_buttons
from ui.participant.goal_list import GoalList
from ui.widgets import grow_to_fit

Save = Callable[[list[PlanItem], str], object]  # the plan, the reason


class GoalsDialog(QDialog):
    """The goal list (type or F2 edits, Ctrl+N adds, Ctrl+Up and Ctrl+Down move); Ctrl+S saves."""

    def __init__(
        self, name: str, goals: Sequence[GoalRow], save: Save, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Treatment goals of %1").replace("%1", name))
        self.goals = GoalList([(g.goal_id, g.text) for g in goals], self)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(MAX_REASON_LENGTH + 1)
        self.reason.setPlaceholderText(self.tr("Needed when a goal's text changes"))
        reason_label = QLabel(self.tr("Rea&son for changed text:"), self)
        reason_label.setBuddy(self.reason)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the goals (Ctrl+S)"))
        reason_row = QHBoxLayout()
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.reason, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("In plan order. A goal is never deleted; discharge sets its status."))
        )
        layout.addWidget(self.goals, 1)
        layout.addLayout(reason_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumSize(640, 420)
        save_button = self.buttons.button(self.buttons.StandardButton.Save)
        save_button.setDefault(True)
        chain_focus([*self.goals.focus_order(), self.reason, save_button])
        self.goals.setFocus()
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        self.error.clear()
        try:
            self._save(self.goals.plan(), self.reason.text())
        except DomainError as error:
            self.error.setText(str(error))
            grow_to_fit(self)
            return
        self.accept()
