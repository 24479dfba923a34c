"""Participants: a searchable roster with each person's enrollment status."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.app import Clinic
from facilitator.services.views import RosterRow
from ui.models.row_table_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel
from ui.widgets import count_of, fit_columns, read_only_table


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


COLUMNS: tuple[Column[RosterRow], ...] = (
    Column("Name", lambda r: r.name, lambda r: f"{r.name.split()[-1]} {r.name}"),
    Column("Chart #", lambda r: r.chart_number),
    Column("Pronouns", lambda r: r.pronouns),
    Column("Group", lambda r: r.group),
    Column("Admitted", lambda r: _day(r.admitted)),
    Column("Discharged", lambda r: _day(r.discharged)),
    Column("Status", lambda r: r.status.capitalize()),
)

STATUS_FILTERS = (
    ("Active", ("active",)),
    ("Active and upcoming", ("active", "pending")),
    ("Discharged", ("discharged",)),
    ("Everyone", ()),
)


class RosterFilterModel(QSortFilterProxyModel):
    """Filters by free text over name, chart number and group, and by enrollment status."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._statuses: tuple[str, ...] = ()
        self._text = ""
        self.setSortRole(SORT_ROLE)

    def set_statuses(self, statuses: tuple[str, ...]) -> None:
        self.beginFilterChange()
        self._statuses = statuses
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        row = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        if not isinstance(row, RosterRow):
            return False
        if self._statuses and row.status not in self._statuses:
            return False
        haystack = f"{row.name} {row.chart_number} {row.group}".casefold()
        return all(word in haystack for word in self._text.split())


class ParticipantsView(QWidget):
    """Everyone in the clinic, filtered to the active roster by default. Enter opens a record."""

    participant_opened = Signal(object)  # participant id

    def __init__(
        self, clinic: Clinic, today: Callable[[], date] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self._today = today or clinic.today
        self._model: RowTableModel[RosterRow] = RowTableModel(COLUMNS, self)
        self.proxy = RosterFilterModel(self)
        self.proxy.setSourceModel(self._model)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search by name, chart number or group"))
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip(self.tr("Search participants (Ctrl+F)"))
        self.status_filter = QComboBox(self)
        for label, statuses in STATUS_FILTERS:
            self.status_filter.addItem(self.tr(label), statuses)
        self.table = read_only_table(self.proxy, self, stretch_column=0)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setToolTip(self.tr("Enter or double-click opens the participant's record"))
        self._count = QLabel(self)
        self._controls = QHBoxLayout()
        self._build_layout()
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)
        self._connect_signals()
        self.proxy.set_statuses(STATUS_FILTERS[0][1])
        self.refresh()

    def refresh(self) -> None:
        self._model.set_rows(self._clinic.roster(self._today()))
        fit_columns(self.table)
        self._update_count()

    def show_admit_action(self, action: QAction) -> None:
        """A button for the window's Admit action (Ctrl+N), beside the search."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{action.text().replace('&', '')} ({native})")
        self._controls.insertWidget(0, button)

    def select(self, participant_id: uuid.UUID) -> bool:
        """Select the participant's row, showing everyone if the filter hides them."""
        for attempt in range(2):
            for position in range(self.proxy.rowCount()):
                row = self.proxy.index(position, 0).data(ROW_ROLE)
                if isinstance(row, RosterRow) and row.participant_id == participant_id:
                    self.table.selectRow(position)
                    self.table.setFocus()
                    return True
            if attempt == 0:
                self.search.clear()
                self.status_filter.setCurrentIndex(len(STATUS_FILTERS) - 1)
        return False

    def _build_layout(self) -> None:
        controls = self._controls
        controls.addWidget(self.search, 1)
        controls.addWidget(QLabel(self.tr("Show:"), self))
        controls.addWidget(self.status_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._count)

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self.status_filter.currentIndexChanged.connect(self._on_status_filter_changed)
        self.table.activated.connect(self._on_table_activated)

    def _on_search_text_changed(self, text: str) -> None:
        self.proxy.set_text(text)
        self._update_count()

    def _on_status_filter_changed(self, index: int) -> None:
        self.proxy.set_statuses(STATUS_FILTERS[index][1])
        self._update_count()

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = self.proxy.index(index.row(), 0).data(ROW_ROLE)
        if isinstance(row, RosterRow):
            self.participant_opened.emit(row.participant_id)

    def _update_count(self) -> None:
        shown = count_of(self.proxy.rowCount(), "participant")
        self._count.setText(f"{shown} shown of {self._model.rowCount()}")
