"""Edit a participant's treatment goals: add, change a goal's text (with a reason; the old text
stays in the history), put them in another order. Saved all at once."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.services.admissions import MAX_REASON_LENGTH
from facilitator.services.discharge import GoalRow
from ui.participant.details_form import chain_focus
from ui.participant.form_parts import refusal_label, save_buttons
from ui.widgets import grow_to_fit

ID_ROLE = Qt.ItemDataRole.UserRole
Save = Callable[[list[tuple[uuid.UUID | None, str]], str], object]  # the plan, the reason


class GoalsDialog(QDialog):
    """F2 or typing edits the selected goal; Ctrl+N adds one, Ctrl+Up and Ctrl+Down move it;
    Ctrl+S saves."""

    def __init__(
        self, name: str, goals: Sequence[GoalRow], save: Save, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._texts = {g.goal_id: g.text for g in goals}
        self.setWindowTitle(self.tr("Treatment goals of %1").replace("%1", name))
        self.goals = QListWidget(self)
        self.goals.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        for goal in goals:
            self._add_item(goal.text, goal.goal_id)
        self.goals.setCurrentRow(0)
        self.add_action = self._action(self.tr("&Add a goal"), "Ctrl+N", self._on_add_triggered)
        self.up_action = self._action(self.tr("Move &up"), "Ctrl+Up", lambda: self._move(-1))
        self.down_action = self._action(self.tr("Move do&wn"), "Ctrl+Down", lambda: self._move(1))
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(MAX_REASON_LENGTH + 1)
        self.reason.setPlaceholderText(self.tr("Needed when a goal's text changes"))
        reason_label = QLabel(self.tr("Rea&son for changed text:"), self)
        reason_label.setBuddy(self.reason)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the goals (Ctrl+S)"))
        buttons = QHBoxLayout()
        focus: list[QWidget] = [self.goals]
        for action in (self.add_action, self.up_action, self.down_action):
            button = QPushButton(action.text(), self)
            button.setToolTip(action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
            button.clicked.connect(action.trigger)
            buttons.addWidget(button)
            focus.append(button)
        buttons.addStretch(1)
        reason_row = QHBoxLayout()
        reason_row.addWidget(reason_label)
        reason_row.addWidget(self.reason, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("In plan order. A goal is never deleted; discharge sets its status."))
        )
        layout.addWidget(self.goals, 1)
        layout.addLayout(buttons)
        layout.addLayout(reason_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumSize(640, 420)
        chain_focus([*focus, self.reason])
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def plan(self) -> list[tuple[uuid.UUID | None, str]]:
        """The goals as listed: (id, or None for a new one; text)."""
        return [
            (self.goals.item(row).data(ID_ROLE), self.goals.item(row).text())
            for row in range(self.goals.count())
        ]

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _add_item(self, text: str, goal_id: uuid.UUID | None) -> QListWidgetItem:
        item = QListWidgetItem(text, self.goals)
        item.setData(ID_ROLE, goal_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _on_add_triggered(self) -> None:
        item = self._add_item("", None)
        self.goals.setCurrentItem(item)
        self.goals.setFocus()
        self.goals.editItem(item)

    def _move(self, step: int) -> None:
        row = self.goals.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.goals.count():
            return
        item = self.goals.takeItem(row)
        self.goals.insertItem(target, item)
        self.goals.setCurrentRow(target)

    def _on_buttons_accepted(self) -> None:
        self.error.clear()
        plan = [(goal_id, text) for goal_id, text in self.plan() if goal_id or text.strip()]
        try:
            self._save(plan, self.reason.text())
        except DomainError as error:
            self.error.setText(str(error))
            grow_to_fit(self)
            return
        self.accept()
