"""A read-only table model over a list of immutable rows, one Column per table column."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from facilitator.visible_text import isolated_if_needed
from ui.colors import WARNING_ON_LIGHT, warning_color

Row = TypeVar("Row")
AnyIndex = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
FLAG_COLOR = WARNING_ON_LIGHT  # on a dark palette, flags are a light red (warning_color)


@dataclass(frozen=True)
class Column(Generic[Row]):
    """A header, how to show a row in it, and (optionally) what to sort by.

    A row for which `flagged` is true shows in this column in bold red (dark on a light
    palette, light on a dark one): pair it with text that says the same, so the flag never
    rests on colour alone.
    """

    header: str
    text: Callable[[Row], str]
    sort_key: Callable[[Row], Any] | None = None
    align_right: bool = False
    flagged: Callable[[Row], bool] | None = None


_FLAG_ROLES = (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole)


def _bold() -> QFont:
    """Bold and nothing else, so the view's own font is kept for the rest."""
    font = QFont()
    font.setBold(True)
    return font


class RowTableModel(QAbstractTableModel, Generic[Row]):
    """Shows immutable rows; replace them all with set_rows()."""

    def __init__(self, columns: Sequence[Column[Row]], parent: Any = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[Row] = []

    def set_columns(self, columns: Sequence[Column[Row]]) -> None:
        """Replace the column definitions (same headers, new ways to show the rows)."""
        self.beginResetModel()
        self._columns = tuple(columns)
        self.endResetModel()

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> Row:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:  # user text: its direction kept to itself
            return isolated_if_needed(column.text(row))
        if role == SORT_ROLE:
            return column.sort_key(row) if column.sort_key else column.text(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role in _FLAG_ROLES and column.flagged is not None and column.flagged(row):
            return warning_color() if role == Qt.ItemDataRole.ForegroundRole else _bold()
        return None

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
