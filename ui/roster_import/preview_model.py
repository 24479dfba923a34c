"""The roster import preview as a table: one row per line, problems marked in their cells."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont

from facilitator.services.roster_csv import COLUMNS
from facilitator.services.roster_import import RosterRow, RowAction
from ui.colors import WARNING_ON_LIGHT
from ui.models.row_table_model import AnyIndex, Column, RowTableModel

PROBLEM_BACKGROUND = QColor(253, 228, 231)  # a pale red behind dark red text, in any palette
ROW_PROBLEMS = "problems"  # a column with every problem of the line, in words


def _bold() -> QFont:
    font = QFont()
    font.setBold(True)
    return font


def _tr(text: str) -> str:
    return QCoreApplication.translate("RosterPreviewModel", text)


def _action_text(row: RosterRow) -> str:
    if row.action is None:
        return _tr("Error")
    return {
        RowAction.CREATE: _tr("Create"),
        RowAction.UPDATE: _tr("Update"),
        RowAction.UNCHANGED: _tr("Unchanged"),
    }[row.action]


def _problems_text(row: RosterRow) -> str:
    return " ".join(p.message for p in row.problems)


def _value_column(key: str, label: str) -> tuple[str, Column[RosterRow]]:
    return key, Column(
        _tr(label),
        lambda r: r.values.get(key, ""),
        flagged=lambda r: bool(r.problems_in(key)),
    )


def preview_columns() -> tuple[tuple[str | None, Column[RosterRow]], ...]:
    """(the column key whose problems a cell shows, or None, and how the cell shows a row)."""
    return (
        (None, Column(_tr("Line"), lambda r: str(r.line), lambda r: r.line, align_right=True)),
        (None, Column(_tr("Action"), _action_text, flagged=lambda r: r.action is None)),
        (ROW_PROBLEMS, Column(_tr("Problems"), _problems_text, flagged=lambda r: bool(r.problems))),
        *(_value_column(c.key, c.label) for c in COLUMNS),
    )


class RosterPreviewModel(RowTableModel[RosterRow]):
    """Cells with a problem are flagged, shaded and explain it in their tooltip; the values an
    update changes are bold."""

    def __init__(self, parent: Any = None) -> None:
        keyed = preview_columns()
        super().__init__([column for _, column in keyed], parent)
        self._keys = tuple(key for key, _ in keyed)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        messages = self.problems_at(index.row(), index.column())
        changed = self._keys[index.column()] in self.row_at(index.row()).changes
        if role == Qt.ItemDataRole.BackgroundRole and messages:
            return PROBLEM_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and messages:
            return WARNING_ON_LIGHT  # the shading is light on a dark palette too
        if role == Qt.ItemDataRole.ToolTipRole and messages:
            return "\n".join(messages)
        if role == Qt.ItemDataRole.ToolTipRole and changed:
            return _tr("This import changes the participant's record here.")
        if role == Qt.ItemDataRole.FontRole and changed:
            return _bold()
        return super().data(index, role)

    def problems_at(self, row: int, column: int) -> list[str]:
        """The problems a cell stands for: its column's, or all of the line's in Problems."""
        line = self.row_at(row)
        key = self._keys[column]
        if key == ROW_PROBLEMS:
            return [p.message for p in line.problems]
        return [p.message for p in line.problems_in(key)] if key else []
