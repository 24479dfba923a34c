"""Today's "this week" panel: milestones to mark in group and measures due, by participant."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from facilitator.app import Clinic
from facilitator.domain.progress import week_of
from facilitator.services.this_week import MeasureDueRow, MilestoneRow
from ui.models.row_table_model import Column, RowTableModel
from ui.widgets import fit_columns, read_only_table

MILESTONE_COLUMNS: tuple[Column[MilestoneRow], ...] = (
    Column("Day", lambda r: f"{r.day:%a} {r.day.isoformat()}"),
    Column("Participant", lambda r: r.name),
    Column("Group", lambda r: r.group),
    Column("Milestone", lambda r: r.label),
)
DUE_COLUMNS: tuple[Column[MeasureDueRow], ...] = (
    Column("Participant", lambda r: r.name),
    Column("Group", lambda r: r.group),
    Column("Measure", lambda r: r.measure),
    Column(
        "Why",
        lambda r: f"{r.reason}, {'overdue since' if r.overdue else 'on'} {r.scheduled}",
        flagged=lambda r: r.overdue,
    ),
)


class WeekPanel(QWidget):
    """Two tables for the week holding the day shown; Enter opens the participant."""

    participant_opened = Signal(object)  # participant id

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self.milestones_model: RowTableModel[MilestoneRow] = RowTableModel(MILESTONE_COLUMNS, self)
        self.due_model: RowTableModel[MeasureDueRow] = RowTableModel(DUE_COLUMNS, self)
        self.milestones = read_only_table(self.milestones_model, self, sortable=False)
        self.milestones.setAccessibleName(self.tr("Milestones this week"))
        self.due = read_only_table(self.due_model, self, sortable=False)
        self.due.setAccessibleName(self.tr("Measures due this week"))
        for table in (self.milestones, self.due):
            table.setToolTip(self.tr("Enter or double-click opens the participant"))
        self.milestones_title = QLabel(self)
        self.due_title = QLabel(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, table in (
            (self.milestones_title, self.milestones),
            (self.due_title, self.due),
        ):
            column = QVBoxLayout()
            column.addWidget(title)
            column.addWidget(table, 1)
            layout.addLayout(column, 1)
        self.milestones.activated.connect(self._on_milestones_activated)
        self.due.activated.connect(self._on_due_activated)

    def show_week(self, day: date) -> None:
        monday = week_of(day)
        week = f"{monday:%d %b}–{monday + timedelta(days=6):%d %b}"
        milestones = self._clinic.week_milestones(day)
        due = self._clinic.week_measures_due(day)
        self.milestones_model.set_rows(milestones)
        self.due_model.set_rows(due)
        fit_columns(self.milestones)
        fit_columns(self.due)
        self.milestones_title.setText(
            self.tr("<b>Milestones this week</b> (%1): %2")
            .replace("%1", week)
            .replace("%2", str(len(milestones)))
        )
        self.due_title.setText(
            self.tr("<b>Measures due this week</b> (%1): %2")
            .replace("%1", week)
            .replace("%2", str(len(due)))
        )

    def _on_milestones_activated(self, index: QModelIndex) -> None:
        self.participant_opened.emit(self.milestones_model.row_at(index.row()).participant_id)

    def _on_due_activated(self, index: QModelIndex) -> None:
        self.participant_opened.emit(self.due_model.row_at(index.row()).participant_id)
