"""A table of rows edited in place by keyboard: add (Ins), remove (Del), move
(Alt+Up/Down), F2 or typing edits a cell; what is wrong shows inline in red before saving."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.editable_row_model import EditableRowModel
from ui.models.row_table_model import Row
from ui.participant.form_parts import refusal_label
from ui.setup.row_delegate import RowEditDelegate

NewRow = Callable[[Sequence[Row], int | None], Row]  # the rows, the selected position


class RowListEditor(QWidget, Generic[Row]):
    """`labels` are the Add and Remove buttons' texts (with access keys that suit the window
    holding the editor); `new_row` makes the row Add inserts after the selected one."""

    changed = Signal()

    def __init__(
        self,
        model: EditableRowModel[Row],
        new_row: NewRow[Row],
        labels: tuple[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._new_row = new_row
        self._edit_actions: list[QAction] = []
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setItemDelegate(RowEditDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setToolTip(self.tr("F2 or typing edits a cell; Enter keeps the change"))
        self.problems = refusal_label(self)
        self.problems.hide()
        self.add_action = self._action(labels[0], "Ins", self.add_row)
        self.remove_action = self._action(labels[1], "Del", self.remove_selected)
        self.up_action = self._action(self.tr("Move up"), "Alt+Up", lambda: self._move(-1))
        self.down_action = self._action(self.tr("Move down"), "Alt+Down", lambda: self._move(1))
        self.buttons = QHBoxLayout()
        self._build_layout()
        for action in (self.add_action, self.remove_action):
            self._button(action)
        self._connect_signals()

    def _action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        self._edit_actions.append(action)
        return action

    def _build_layout(self) -> None:
        self.buttons.addStretch(1)
        hint = QLabel(self.tr("F2 edits · Ins adds · Del removes · Alt+↑/↓ moves"), self)
        hint.setEnabled(False)
        self.buttons.addWidget(hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)

    def _connect_signals(self) -> None:
        self.model.rows_changed.connect(self._on_model_rows_changed)

    def extra_action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        """One more action with its button after the others (Repeat the day...)."""
        action = self._action(text, keys, slot)
        self._button(action)
        return action

    def _button(self, action: QAction) -> None:
        button = QPushButton(action.text(), self)
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(native)
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        self.buttons.insertWidget(self.buttons.count() - 2, button)  # before stretch and hint
        QWidget.setTabOrder(button, self.table)  # Tab reaches the buttons, then the table below

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        if rows:
            self.table.setCurrentIndex(self.model.index(0, 0))

    def set_read_only(self, read_only: bool) -> None:
        self.model.read_only = read_only
        for action in self._edit_actions:
            action.setEnabled(not read_only)

    def rows(self) -> list[Row]:
        return self.model.rows()

    def problem_text(self) -> str:
        """What is wrong, one line per problem ('' when nothing)."""
        problems = self.model.problems()
        lines = [problems[position] for position in sorted(problems)]
        return "\n".join(dict.fromkeys(lines))  # an overlap is told once, not per block

    def selected_position(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def add_row(self) -> None:
        if self.model.read_only:
            return
        selected = self.selected_position()
        position = len(self.model.rows()) if selected is None else selected + 1
        self.model.insert_row(position, self._new_row(self.model.rows(), selected))
        self._select(position, 0)

    def remove_selected(self) -> None:
        selected = self.selected_position()
        if selected is None or self.model.read_only:
            return
        column = self.table.currentIndex().column()
        self.model.remove_row(selected)
        if self.model.rowCount():
            self._select(min(selected, self.model.rowCount() - 1), column)

    def _move(self, offset: int) -> None:
        selected = self.selected_position()
        if (
            selected is not None
            and not self.model.read_only
            and self.model.move_row(selected, offset)
        ):
            self._select(selected + offset, self.table.currentIndex().column())

    def _select(self, row: int, column: int) -> None:
        index = self.model.index(row, max(column, 0))
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.table.scrollTo(index)

    def _on_model_rows_changed(self) -> None:
        text = self.problem_text()
        self.problems.setText(text)
        self.problems.setVisible(bool(text))
        self.changed.emit()
