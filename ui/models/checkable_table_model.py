"""A row table whose first column holds a check box on the rows that may be checked."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic

from PySide6.QtCore import Qt, Signal

from ui.models.row_table_model import AnyIndex, Column, Row, RowTableModel


class CheckableTableModel(RowTableModel[Row], Generic[Row]):
    """Checks are kept by row key, so they survive set_rows() for rows still checkable."""

    checks_changed = Signal()

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        key: Callable[[Row], Hashable],
        checkable: Callable[[Row], bool],
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._key = key
        self._checkable = checkable
        self._checked: set[Hashable] = set()

    def set_rows(self, rows: Sequence[Row]) -> None:
        keep = {self._key(r) for r in rows if self._checkable(r)}
        self._checked &= keep
        super().set_rows(rows)
        self.checks_changed.emit()

    def checked_rows(self) -> list[Row]:
        """Checked rows, in the model's order."""
        return [r for r in self.rows() if self._key(r) in self._checked]

    def rows(self) -> list[Row]:
        return [self.row_at(i) for i in range(self.rowCount())]

    def is_checkable(self, row: int) -> bool:
        return self._checkable(self.row_at(row))

    def set_checked(self, row: int, checked: bool) -> None:
        if not self.is_checkable(row):
            return
        key = self._key(self.row_at(row))
        if checked:
            self._checked.add(key)
        else:
            self._checked.discard(key)
        cell = self.index(row, 0)
        self.dataChanged.emit(cell, cell, [Qt.ItemDataRole.CheckStateRole])
        self.checks_changed.emit()

    def toggle(self, row: int) -> None:
        self.set_checked(row, self._key(self.row_at(row)) not in self._checked)

    def check_all(self) -> None:
        """Check every checkable row."""
        for row in range(self.rowCount()):
            if self.is_checkable(row):
                self._checked.add(self._key(self.row_at(row)))
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )
        self.checks_changed.emit()

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 0 and self.is_checkable(index.row()):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.CheckStateRole
            and index.isValid()
            and index.column() == 0
            and index.row() < self.rowCount()
            and self.is_checkable(index.row())
        ):
            checked = self._key(self.row_at(index.row())) in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return super().data(index, role)

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid() or index.column() != 0:
            return False
        if not self.is_checkable(index.row()):
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        self.set_checked(index.row(), state == Qt.CheckState.Checked)
        return True
