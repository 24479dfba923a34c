"""Treatment goals as an editable list: type or F2 edits the selected goal, Ctrl+N adds one,
Ctrl+Up and Ctrl+Down move it. Shared by the Admit and Edit goals dialogs."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.services.goal_plan import PlanItem

ID_ROLE = Qt.ItemDataRole.UserRole


class GoalList(QWidget):
    """The list and its Add / Move up / Move down buttons; `focus_order()` in screen order."""

    def __init__(self, goals: Sequence[PlanItem] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        for goal_id, text in goals:
            self._add_item(text, goal_id)
        self.list.setCurrentRow(0)
        self.setFocusProxy(self.list)
        self.add_action = self._action(self.tr("&Add a goal"), "Ctrl+N", self.add_goal)
        self.up_action = self._action(self.tr("Move &up"), "Ctrl+Up", lambda: self._move(-1))
        self.down_action = self._action(self.tr("Move do&wn"), "Ctrl+Down", lambda: self._move(1))
        self.buttons: list[QPushButton] = []
        row = QHBoxLayout()
        for action in (self.add_action, self.up_action, self.down_action):
            button = QPushButton(action.text(), self)
            button.setAutoDefault(False)
            native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(native)
            button.clicked.connect(action.trigger)
            row.addWidget(button)
            self.buttons.append(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.list.setToolTip(
            self.tr("Type or F2 edits the goal; Ctrl+N adds one; Ctrl+Up and Ctrl+Down move it")
        )

    def focus_order(self) -> list[QWidget]:
        return [self.list, *self.buttons]

    def plan(self) -> list[PlanItem]:
        """The goals as listed, blank new ones left out."""
        items = [
            (self.list.item(row).data(ID_ROLE), self.list.item(row).text())
            for row in range(self.list.count())
        ]
        return [(goal_id, text) for goal_id, text in items if goal_id or text.strip()]

    def add_goal(self) -> None:
        """A new, empty goal at the end, its text being edited."""
        item = self._add_item("", None)
        self.list.setCurrentItem(item)
        self.list.setFocus()
        self.list.editItem(item)

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _add_item(self, text: str, goal_id: uuid.UUID | None) -> QListWidgetItem:
        item = QListWidgetItem(text, self.list)
        item.setData(ID_ROLE, goal_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        return item

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count():
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
