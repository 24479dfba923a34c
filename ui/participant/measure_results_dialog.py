"""A participant's measure results, each with its history; a result entered wrongly is corrected
from here, and the correction (who, when, why, what it replaced) shows in that history. A result
recorded for the wrong participant or never given is marked entered in error: it stays listed,
struck through, with the mark (who, when, why) last in its history."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from facilitator.services.measure_results import MeasureResultRow, MeasureVersion
from ui.models.row_table_model import AnyIndex, Column, RowTableModel
from ui.widgets import fit_columns, read_only_table

Results = Callable[[], Sequence[MeasureResultRow]]
History = Callable[[uuid.UUID], Sequence[MeasureVersion]]
Correct = Callable[[MeasureResultRow], bool]  # opens the correction; True when one was saved
Mark = Callable[[MeasureResultRow], bool]  # opens the mark of entered in error; True when saved
Row = TypeVar("Row")


class StruckModel(RowTableModel[Row]):
    """Rows for which `struck` is true show struck through in the columns `values` (the text
    of another column says why, and is left plain to be read)."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        struck: Callable[[Row], bool],
        values: range,
        parent: Any = None,
    ) -> None:
        super().__init__(columns, parent)
        self._struck = struck
        self._values = values

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = super().data(index, role)
        struck = (
            role == Qt.ItemDataRole.FontRole
            and index.column() in self._values
            and 0 <= index.row() < self.rowCount()
            and self._struck(self.row_at(index.row()))
        )
        if struck:
            font = value if isinstance(value, QFont) else QFont()
            font.setStrikeOut(True)
            return font
        return value


def _status(row: MeasureResultRow) -> str:
    parts = ["Entered in error"] if row.entered_in_error else []
    if row.corrections:
        parts.append("Corrected" if row.corrections == 1 else f"Corrected {row.corrections} times")
    return "; ".join(parts)


RESULT_COLUMNS: tuple[Column[MeasureResultRow], ...] = (
    Column("Date given", lambda r: r.taken_on.isoformat()),
    Column("Measure", lambda r: r.name),
    Column("Total", lambda r: f"{r.total} of {r.high}", align_right=True),
    Column("Band", lambda r: r.band),
    Column(
        "Risk",
        lambda r: "Self-harm item above zero" if r.risk else "",
        flagged=lambda r: r.risk and not r.entered_in_error,
    ),
    Column("Status", _status),
)


@dataclass(frozen=True)
class VersionRow:
    label: str  # "Original entry", "Correction 1 (current)", "Marked entered in error"
    version: MeasureVersion
    struck: bool = False  # a version of a result entered in error

    def values(self, text: str) -> str:
        """`text` for a version; the mark itself shows only who, when and why."""
        return "" if self.version.entered_in_error else text


def version_rows(versions: Sequence[MeasureVersion]) -> list[VersionRow]:
    """The versions labelled: the original entry, each correction, the current one marked; a
    result entered in error has every version struck and the mark last."""
    values = [v for v in versions if not v.entered_in_error]
    mark = next((v for v in versions if v.entered_in_error), None)
    rows = []
    for number, version in enumerate(values):
        label = "Original entry" if number == 0 else f"Correction {number}"
        if number == len(values) - 1 and number > 0 and mark is None:
            label += " (current)"
        rows.append(VersionRow(label, version, struck=mark is not None))
    if mark is not None:
        rows.append(VersionRow("Marked entered in error", mark))
    return rows


VERSION_COLUMNS: tuple[Column[VersionRow], ...] = (
    Column("Version", lambda r: r.label, flagged=lambda r: r.version.entered_in_error),
    Column("Date given", lambda r: r.values(r.version.taken_on.isoformat())),
    Column("Total", lambda r: r.values(str(r.version.total)), align_right=True),
    Column("Band", lambda r: r.values(r.version.band)),
    Column(
        "Item scores",
        lambda r: r.values(" ".join(str(v) for v in r.version.item_scores.values())),
    ),
    Column("By", lambda r: r.version.by),
    Column("When", lambda r: r.version.at.astimezone().strftime("%Y-%m-%d %H:%M")),
    Column("Reason", lambda r: r.version.reason or ""),
)


REASON = len(VERSION_COLUMNS) - 1
STATUS = len(RESULT_COLUMNS) - 1
VALUES = range(1, 5)  # a version's date, total, band and item scores


class MeasureResultsDialog(QDialog):
    """Results newest first; the selected one's history below. Ctrl+E (or Enter on a result)
    corrects the selected result, Ctrl+Delete marks it entered in error; Esc closes."""

    def __init__(
        self,
        results: Results,
        history: History,
        correct: Correct,
        mark: Mark,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Measure results and corrections"))
        self._results = results
        self._history = history
        self._correct = correct
        self._mark = mark
        self.results_model: StruckModel[MeasureResultRow] = StruckModel(
            RESULT_COLUMNS, lambda r: r.entered_in_error, range(STATUS), self
        )
        self.results_table = read_only_table(self.results_model, self, sortable=False)
        self.results_table.setAccessibleName(self.tr("Measure results"))
        self.history_model: StruckModel[VersionRow] = StruckModel(
            VERSION_COLUMNS, lambda r: r.struck, VALUES, self
        )
        self.history_table = read_only_table(self.history_model, self, sortable=False)
        self.history_table.setAccessibleName(self.tr("History of the selected result"))
        self.history_table.setWordWrap(True)  # a reason is read whole
        self.history_title = QLabel(self)
        self.correct_button = QPushButton(self.tr("&Correct…"), self)
        self.correct_button.setShortcut(QKeySequence("Ctrl+E"))
        self.correct_button.setToolTip(self.tr("Correct the selected result (Ctrl+E or Enter)"))
        self.mark_button = QPushButton(self.tr("&Mark entered in error…"), self)
        self.mark_button.setShortcut(QKeySequence("Ctrl+Delete"))
        self.mark_button.setToolTip(
            self.tr(
                "Mark the selected result entered in error: the wrong participant, or never "
                "given (Ctrl+Delete)"
            )
        )
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.correct_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.mark_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._build_layout()
        self._connect_signals()
        self.reload()

    def reload(self, keep: uuid.UUID | None = None) -> None:
        """Read the results again, selecting `keep` (else the newest)."""
        rows = list(reversed(self._results()))  # given oldest first, then as recorded
        self.results_model.set_rows(rows)
        fit_columns(self.results_table)
        index = next((i for i, r in enumerate(rows) if r.result_id == keep), 0)
        if rows:
            self.results_table.selectRow(index)
        else:
            self._show_history(None)

    def selected(self) -> MeasureResultRow | None:
        rows = self.results_table.selectionModel().selectedRows()
        return self.results_model.row_at(rows[0].row()) if rows else None

    def _build_layout(self) -> None:
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.results_table)
        lower = QWidget(split)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.history_title)
        lower_layout.addWidget(self.history_table, 1)
        split.addWidget(lower)
        split.setSizes([260, 200])
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)
        self.resize(1040, 580)

    def _connect_signals(self) -> None:
        self.results_table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.results_table.activated.connect(self._on_correct_clicked)
        self.correct_button.clicked.connect(self._on_correct_clicked)
        self.mark_button.clicked.connect(self._on_mark_clicked)
        self.buttons.rejected.connect(self.reject)

    def _show_history(self, row: MeasureResultRow | None) -> None:
        standing = row is not None and not row.entered_in_error
        self.correct_button.setEnabled(standing)
        self.mark_button.setEnabled(standing)
        versions = list(self._history(row.result_id)) if row else []
        self.history_model.set_rows(version_rows(versions))
        fit_columns(self.history_table)
        self.history_table.setColumnWidth(REASON, max(self.history_table.columnWidth(REASON), 280))
        self.history_table.resizeRowsToContents()
        if row is None:
            self.history_title.setText(self.tr("No measure results recorded."))
        elif row.entered_in_error:
            self.history_title.setText(
                self.tr(
                    "History of %1 given %2: marked entered in error, so it counts nowhere; "
                    "its versions are kept, struck through."
                )
                .replace("%1", row.name)
                .replace("%2", row.taken_on.isoformat())
            )
        elif len(versions) == 1:
            self.history_title.setText(
                self.tr("History of %1 given %2: as entered, never corrected.")
                .replace("%1", row.name)
                .replace("%2", row.taken_on.isoformat())
            )
        else:
            self.history_title.setText(
                self.tr("History of %1 given %2: the original entry and each correction.")
                .replace("%1", row.name)
                .replace("%2", row.taken_on.isoformat())
            )

    def _on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_history(self.selected())

    def _on_correct_clicked(self) -> None:
        row = self.selected()
        if row is not None and not row.entered_in_error and self._correct(row):
            self.reload(keep=row.result_id)

    def _on_mark_clicked(self) -> None:
        row = self.selected()
        if row is not None and not row.entered_in_error and self._mark(row):
            self.reload(keep=row.result_id)
