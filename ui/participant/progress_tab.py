"""The Progress tab: measure totals, craving, and hours per week against the target, each as a
plot with its values in a table beside it (for screen readers and exact values)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QTableView, QVBoxLayout, QWidget

from facilitator.domain.trends import Trends, TrendSeries, WeekBar
from ui.models.row_table_model import Column, RowTableModel
from ui.participant.trend_plot import TrendPlot
from ui.widgets import fit_columns, read_only_table


@dataclass(frozen=True)
class ValueRow:
    day: date
    series: str
    value: float
    detail: str
    risk: bool = False  # flagged: the detail says why


VALUE_COLUMNS: tuple[Column[ValueRow], ...] = (
    Column("Date", lambda r: r.day.isoformat()),
    Column("Series", lambda r: r.series),
    Column("Value", lambda r: f"{r.value:g}", align_right=True),
    Column("Band or source", lambda r: r.detail, flagged=lambda r: r.risk),
)
WEEK_COLUMNS: tuple[Column[WeekBar], ...] = (
    Column("Week of", lambda r: r.monday.isoformat()),
    Column("Hours", lambda r: f"{r.hours:.1f}", align_right=True),
    Column(
        "Target",
        lambda r: f"{r.target_hours:g}" if r.target_hours is not None else "",
        align_right=True,
    ),
    Column("Status", lambda r: r.status, flagged=lambda r: r.status == "Below target"),
)


def value_rows(series: tuple[TrendSeries, ...]) -> list[ValueRow]:
    rows = [ValueRow(p.day, s.name, p.value, p.detail, p.risk) for s in series for p in s.points]
    return sorted(rows, key=lambda r: (r.day, r.series))


class ProgressTab(QWidget):
    """Three plots over the enrollment, admission and milestones marked on each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.measures_plot = TrendPlot(self.tr("Measure totals"), self)
        self.craving_plot = TrendPlot(self.tr("Craving (0-10), from notes and measures"), self)
        self.hours_plot = TrendPlot(self.tr("Hours attended per week"), self)
        self.measures_model: RowTableModel[ValueRow] = RowTableModel(VALUE_COLUMNS, self)
        self.craving_model: RowTableModel[ValueRow] = RowTableModel(VALUE_COLUMNS, self)
        self.hours_model: RowTableModel[WeekBar] = RowTableModel(WEEK_COLUMNS, self)
        self.measures_table = self._table(self.measures_model, self.tr("Measure totals table"))
        self.craving_table = self._table(self.craving_model, self.tr("Craving table"))
        self.hours_table = self._table(self.hours_model, self.tr("Hours per week table"))
        self.markers = QLabel(self)
        self.markers.setWordWrap(True)
        self.markers.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._build_layout()

    def show_trends(self, trends: Trends) -> None:
        high = max((s.high for s in trends.measures), default=10)
        self.measures_plot.show_lines(
            trends.first, trends.last, trends.measures, high, trends.markers
        )
        self.craving_plot.show_lines(trends.first, trends.last, trends.craving, 10, trends.markers)
        self.hours_plot.show_bars(trends.first, trends.last, trends.weeks, trends.markers)
        self.measures_model.set_rows(value_rows(trends.measures))
        self.craving_model.set_rows(value_rows(trends.craving))
        self.hours_model.set_rows(trends.weeks)
        for table in (self.measures_table, self.craving_table, self.hours_table):
            fit_columns(table)
        self.markers.setText(
            self.tr("Marked on the plots: ")
            + ("; ".join(f"{m.label} {m.day}" for m in trends.markers) or self.tr("nothing"))
        )

    def _table(
        self, model: RowTableModel[ValueRow] | RowTableModel[WeekBar], name: str
    ) -> QTableView:
        table = read_only_table(model, self, sortable=False)
        table.setAccessibleName(name)
        return table

    def _build_layout(self) -> None:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addWidget(self.markers)
        for plot, table in (
            (self.measures_plot, self.measures_table),
            (self.craving_plot, self.craving_table),
            (self.hours_plot, self.hours_table),
        ):
            pair = QSplitter(body)
            pair.addWidget(plot)
            pair.addWidget(table)
            pair.setSizes([700, 480])
            pair.setMinimumHeight(220)
            layout.addWidget(pair)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
