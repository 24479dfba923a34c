"""A participant's measure results, each with its history; a result entered wrongly is corrected
from here, and the correction (who, when, why, what it replaced) shows in that history."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QKeySequence
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
from ui.models.row_table_model import Column, RowTableModel
from ui.widgets import fit_columns, read_only_table

Results = Callable[[], Sequence[MeasureResultRow]]
History = Callable[[uuid.UUID], Sequence[MeasureVersion]]
Correct = Callable[[MeasureResultRow], bool]  # opens the correction; True when one was saved


def _corrected(row: MeasureResultRow) -> str:
    if not row.corrections:
        return ""
    return "Corrected" if row.corrections == 1 else f"Corrected {row.corrections} times"


RESULT_COLUMNS: tuple[Column[MeasureResultRow], ...] = (
    Column("Date given", lambda r: r.taken_on.isoformat()),
    Column("Measure", lambda r: r.name),
    Column("Total", lambda r: f"{r.total} of {r.high}", align_right=True),
    Column("Band", lambda r: r.band),
    Column(
        "Risk", lambda r: "Self-harm item above zero" if r.risk else "", flagged=lambda r: r.risk
    ),
    Column("Corrections", _corrected),
)


@dataclass(frozen=True)
class VersionRow:
    label: str  # "Original entry", "Correction 1 (current)"
    version: MeasureVersion


def version_rows(versions: Sequence[MeasureVersion]) -> list[VersionRow]:
    """The versions labelled: the original entry, each correction, the current one marked."""
    rows = []
    for number, version in enumerate(versions):
        label = "Original entry" if number == 0 else f"Correction {number}"
        if number == len(versions) - 1 and number > 0:
            label += " (current)"
        rows.append(VersionRow(label, version))
    return rows


VERSION_COLUMNS: tuple[Column[VersionRow], ...] = (
    Column("Version", lambda r: r.label),
    Column("Date given", lambda r: r.version.taken_on.isoformat()),
    Column("Total", lambda r: str(r.version.total), align_right=True),
    Column("Band", lambda r: r.version.band),
    Column("Item scores", lambda r: " ".join(str(v) for v in r.version.item_scores.values())),
    Column("By", lambda r: r.version.by),
    Column("When", lambda r: r.version.at.astimezone().strftime("%Y-%m-%d %H:%M")),
    Column("Reason", lambda r: r.version.reason or ""),
)


REASON = len(VERSION_COLUMNS) - 1


class MeasureResultsDialog(QDialog):
    """Results newest first; the selected one's history below. Ctrl+E (or Enter on a result)
    corrects the selected result; Esc closes."""

    def __init__(
        self,
        results: Results,
        history: History,
        correct: Correct,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Measure results and corrections"))
        self._results = results
        self._history = history
        self._correct = correct
        self.results_model: RowTableModel[MeasureResultRow] = RowTableModel(RESULT_COLUMNS, self)
        self.results_table = read_only_table(self.results_model, self, sortable=False)
        self.results_table.setAccessibleName(self.tr("Measure results"))
        self.history_model: RowTableModel[VersionRow] = RowTableModel(VERSION_COLUMNS, self)
        self.history_table = read_only_table(self.history_model, self, sortable=False)
        self.history_table.setAccessibleName(self.tr("History of the selected result"))
        self.history_table.setWordWrap(True)  # a reason is read whole
        self.history_title = QLabel(self)
        self.correct_button = QPushButton(self.tr("&Correct…"), self)
        self.correct_button.setShortcut(QKeySequence("Ctrl+E"))
        self.correct_button.setToolTip(self.tr("Correct the selected result (Ctrl+E or Enter)"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.correct_button, QDialogButtonBox.ButtonRole.ActionRole)
        self._build_layout()
        self._connect_signals()
        self.reload()

    def reload(self, keep: uuid.UUID | None = None) -> None:
        """Read the results again, selecting `keep` (else the newest)."""
        rows = sorted(self._results(), key=lambda r: r.taken_on, reverse=True)
        self.results_model.set_rows(rows)
        fit_columns(self.results_table)
        index = next((i for i, r in enumerate(rows) if r.result_id == keep), 0)
        if rows:
            self.results_table.selectRow(index)
        else:
            self._show_history(None)
        self.correct_button.setEnabled(bool(rows))

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
        self.buttons.rejected.connect(self.reject)

    def _show_history(self, row: MeasureResultRow | None) -> None:
        versions = list(self._history(row.result_id)) if row else []
        self.history_model.set_rows(version_rows(versions))
        fit_columns(self.history_table)
        self.history_table.setColumnWidth(REASON, max(self.history_table.columnWidth(REASON), 280))
        self.history_table.resizeRowsToContents()
        if row is None:
            self.history_title.setText(self.tr("No measure results recorded."))
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
        if row is not None and self._correct(row):
            self.reload(keep=row.result_id)
