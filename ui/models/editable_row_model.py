"""An editable table over immutable rows: an edit replaces the row with a changed copy."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal

from ui.colors import warning_color
from ui.models.row_table_model import ROW_ROLE, AnyIndex, Row

CHOICES_ROLE = Qt.ItemDataRole.UserRole + 3  # a column's [(label, value)] for its combo box
EDITOR_ROLE = Qt.ItemDataRole.UserRole + 4  # the column's Editor


class Editor(Enum):
    """How a cell is edited (the delegate makes the widget)."""

    TEXT = "text"
    CHOICE = "choice"  # a combo box of the column's choices
    TIME = "time"  # HH:mm
    MINUTES = "minutes"  # whole minutes, 0 shown as "none"
    CHECK = "check"  # a check box (Space toggles)


@dataclass(frozen=True)
class EditColumn(Generic[Row]):
    """A header, how a row shows in it, its value to edit, and the row with a new value."""

    header: str
    text: Callable[[Row], str]
    value: Callable[[Row], Any]
    apply: Callable[[Row, Any], Row]
    editor: Editor = Editor.TEXT
    choices: Sequence[tuple[str, Any]] = ()
    tooltip: str = ""


class EditableRowModel(QAbstractTableModel, Generic[Row]):
    """Rows are frozen values; `problems` names what is wrong with rows (by position), shown
    in red with the reason as their tooltip. `rows_changed` follows every change."""

    rows_changed = Signal()

    def __init__(
        self,
        columns: Sequence[EditColumn[Row]],
        problems: Callable[[Sequence[Row]], Mapping[int, str]] = lambda _rows: {},
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._problems_of = problems
        self._rows: list[Row] = []
        self._problems: Mapping[int, str] = {}
        self.read_only = False

    def rows(self) -> list[Row]:
        return list(self._rows)

    def problems(self) -> Mapping[int, str]:
        """Row position -> what is wrong with it."""
        return self._problems

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._problems = self._problems_of(self._rows)
        self.endResetModel()
        self.rows_changed.emit()

    def insert_row(self, position: int, row: Row) -> None:
        position = max(0, min(position, len(self._rows)))
        self.beginInsertRows(QModelIndex(), position, position)
        self._rows.insert(position, row)
        self.endInsertRows()
        self._changed()

    def remove_row(self, position: int) -> None:
        if not 0 <= position < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), position, position)
        del self._rows[position]
        self.endRemoveRows()
        self._changed()

    def move_row(self, position: int, offset: int) -> bool:
        """Move a row up (-1) or down (+1); False at either end."""
        target = position + offset
        if not (0 <= position < len(self._rows) and 0 <= target < len(self._rows)):
            return False
        destination = target + 1 if offset > 0 else target  # Qt counts before the move
        self.beginMoveRows(QModelIndex(), position, position, QModelIndex(), destination)
        self._rows.insert(target, self._rows.pop(position))
        self.endMoveRows()
        self._changed()
        return True

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.read_only:
            return flags
        if self._columns[index.column()].editor is Editor.CHECK:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and column.editor is Editor.CHECK:
            return Qt.CheckState.Checked if column.value(row) else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if column.editor is Editor.CHECK else column.text(row)
        if role == Qt.ItemDataRole.EditRole:
            return column.value(row)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return column.text(row)
        if role == ROW_ROLE:
            return row
        if role == CHOICES_ROLE:
            return list(column.choices)
        if role == EDITOR_ROLE:
            return column.editor
        problem = self._problems.get(index.row())
        if role == Qt.ItemDataRole.ToolTipRole:
            return problem or column.tooltip or None
        if role == Qt.ItemDataRole.ForegroundRole and problem:
            return warning_color()
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self.read_only or index.row() >= len(self._rows):
            return False
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.CheckStateRole and column.editor is Editor.CHECK:
            state = Qt.CheckState(value) if isinstance(value, int) else value
            value = state == Qt.CheckState.Checked
        elif role != Qt.ItemDataRole.EditRole:
            return False
        self._rows[index.row()] = column.apply(self._rows[index.row()], value)
        first, last = self.index(index.row(), 0), self.index(index.row(), len(self._columns) - 1)
        self.dataChanged.emit(first, last)
        self._changed()
        return True

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self._columns)
        ):
            return self._columns[section].header
        return None

    def _changed(self) -> None:
        """Recheck every row (a change in one can make or end an overlap with another)."""
        before = self._problems
        self._problems = self._problems_of(self._rows)
        if before != self._problems and self._rows:
            last = self.index(len(self._rows) - 1, len(self._columns) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
        self.rows_changed.emit()
