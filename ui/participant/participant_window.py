"""One participant's record: attendance and notes, hours by week, short days, curriculum, goals."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.app import Clinic
from facilitator.documents.requests import ChartRequest, NoteRequest
from facilitator.domain.enrollment import ended_text
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.participant_record import ParticipantRecord
from facilitator.visible_text import isolated_if_needed
from ui.export.document_exporter import DocumentExporter, not_found
from ui.export.period_dialog import PeriodDialog
from ui.models.row_table_model import SORT_ROLE, Column, RowTableModel
from ui.participant import record_columns as columns
from ui.participant.details_actions import DetailsActions
from ui.participant.discharge_actions import DischargeActions, summary_state, voided_text
from ui.participant.progress_actions import ProgressActions
from ui.participant.progress_tab import ProgressTab
from ui.printing.document_printer import DocumentPrinter, print_actions
from ui.widgets import (
    count_of,
    duration_text,
    fit_columns,
    fit_to_screen,
    page_title,
    read_only_table,
)

FIT_SAMPLE_ROWS = 60  # columns are sized to this many rows, so years of attendance open fast


class ParticipantWindow(QMainWindow):
    """One person over their enrollment; F5 reloads, Esc or Ctrl+W closes. The Record menu
    edits the details and goals (kept in the History), transfers or steps down, adds and
    corrects measures, sets the recovery start date, discharges with a summary and readmits."""

    closed = Signal(object)  # participant id

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        participant_id: uuid.UUID,
        today: Callable[[], date] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self.user = user
        self._today = today = today or clinic.today
        self.participant_id = participant_id
        self.record: ParticipantRecord = clinic.view_participant(user, participant_id, today())
        self._models: list[tuple[RowTableModel[Any], QTableView]] = []
        self._title = page_title("", self)
        self._details = QLabel(self)
        self._enrollments = QLabel(self)
        self._summary = QLabel(self)
        for label in (self._details, self._enrollments, self._summary):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.tabs = QTabWidget(self)
        self.attendance_table = self._table(columns.ATTENDANCE, sort=(0, False), stretch=3)
        self.weeks_table = self._table(columns.WEEKS, sort=(0, True))
        self.days_table = self._table(columns.DAYS, sort=(0, True), stretch=3)
        self.covered_table = self._table(columns.COVERED, stretch=2)
        self.to_cover_table = self._table(columns.TO_COVER, stretch=3)
        self.goals_table = self._table(columns.GOALS, stretch=0)
        self.history_table = self._table(columns.HISTORY, sort=(0, False), stretch=4)
        self._days_note = QLabel(self)
        self._covered_title = QLabel(self)
        self._to_cover_title = QLabel(self)
        self._unfitted: set[QTableView] = set()
        self.progress = ProgressTab(self)
        self.printer = DocumentPrinter(clinic, user, self)
        self.exporter = DocumentExporter(clinic, user, self)
        self.progress_actions = ProgressActions(clinic, user, participant_id, today, self)
        self.discharge_actions = DischargeActions(
            clinic, user, participant_id, lambda: self.record, today, self.exporter, self
        )
        self.details_actions = DetailsActions(
            clinic, user, participant_id, lambda: self.record.name, today, self
        )
        for actions in (self.progress_actions, self.discharge_actions, self.details_actions):
            actions.records_changed.connect(self.refresh)
        self.discharged_bar = QWidget(self)
        self.discharged_note = QLabel(self.discharged_bar)
        self.voided_note = QLabel(self)  # discharges entered in error, kept in the record
        self.voided_note.setWordWrap(True)
        self.readmit_button = QToolButton(self.discharged_bar)
        self.readmit_button.setDefaultAction(self.discharge_actions.readmit)
        self.readmit_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._build_layout()
        self._build_menus()
        self.tabs.currentChanged.connect(self._fit_page)
        fit_to_screen(self, 1180, 760)
        self._show(self.record)

    def refresh(self) -> None:
        """Read the record again and show it."""
        self.record = self._clinic.participant_record(self.participant_id, self._today())
        self._show(self.record)

    def _show(self, record: ParticipantRecord) -> None:
        name, chart = isolated_if_needed(record.name), isolated_if_needed(record.chart_number)
        self.setWindowTitle(f"{name} · {chart} — " + self.tr("Facilitator"))
        self._show_header(record)
        minimum = duration_text(record.daily_minimum_minutes)
        history = self._clinic.admissions.participant_history(record.participant_id)
        pages: tuple[Sequence[Any], ...] = (
            record.attendance,
            record.weeks,
            columns.short_days(record),
            record.covered,
            record.to_cover,
            record.goals,
            history,
        )
        for (model, _), rows in zip(self._models, pages, strict=True):
            model.set_rows(rows)
        self._unfitted = {table for _, table in self._models}
        self._fit_page(self.tabs.currentIndex())
        self._days_note.setText(
            self.tr("Days with attendance under the daily minimum of %1: %2 of %3.")
            .replace("%1", minimum)
            .replace("%2", str(len(record.short_days)))
            .replace("%3", str(len(record.days)))
        )
        self._covered_title.setText(self.tr("Covered (%1)").replace("%1", str(len(record.covered))))
        to_cover = (
            self.tr("Not covered before discharge (%1)")
            if record.discharged
            else self.tr("Still to cover, in the order the group brings them (%1)")
        )
        self._to_cover_title.setText(to_cover.replace("%1", str(len(record.to_cover))))
        for index, text in enumerate(
            (
                self.tr("Attendance and notes (%1)").replace("%1", str(len(record.attendance))),
                self.tr("Hours by week"),
                self.tr("Days under %1 (%2)")
                .replace("%1", minimum)
                .replace("%2", str(len(record.short_days))),
                self.tr("Curriculum"),
                self.tr("Goals (%1)").replace("%1", str(len(record.goals))),
                self.tr("Progress"),
                self.tr("History (%1)").replace("%1", str(len(history))),
            )
        ):
            self.tabs.setTabText(index, text)
        self.progress.show_trends(self._clinic.trends(record.participant_id, self._today()))
        voided = self._clinic.discharges.voided(record.participant_id)
        self.voided_note.setText("\n".join(voided_text(v) for v in voided))
        self.voided_note.setVisible(bool(voided))
        latest = self._clinic.discharges.latest(record.participant_id)
        enrolled = any(e.discharged is None for e in record.enrollments)
        self.discharge_actions.update_state(latest, enrolled)
        self.details_actions.update_state(enrolled)
        self.discharged_bar.setVisible(latest is not None and not enrolled)
        if latest is not None:
            summary = summary_state(latest)
            self.discharged_note.setText(
                self.tr("Discharged on %1 (%2): off the rosters from %3. Records are kept.")
                .replace("%1", latest.discharged.isoformat())
                .replace("%2", latest.reason.label)
                .replace("%3", (latest.discharged + timedelta(days=1)).isoformat())
                + " "
                + summary
            )

    def _table(
        self,
        table_columns: Sequence[Column[Any]],
        sort: tuple[int, bool] | None = None,
        stretch: int | None = None,
    ) -> QTableView:
        """A read-only table over a new model, sorted by (column, ascending) if `sort` is given.

        Without `sort` the rows keep the record's order: the order that carries meaning there.
        """
        model: RowTableModel[Any] = RowTableModel(table_columns, self)
        if sort is None:
            table = read_only_table(model, self, stretch_column=stretch, sortable=False)
        else:
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(model)
            proxy.setSortRole(SORT_ROLE)
            table = read_only_table(proxy, self, stretch_column=stretch)
            order = Qt.SortOrder.AscendingOrder if sort[1] else Qt.SortOrder.DescendingOrder
            table.sortByColumn(sort[0], order)
        table.horizontalHeader().setResizeContentsPrecision(FIT_SAMPLE_ROWS)
        self._models.append((model, table))
        return table

    def _fit_page(self, index: int) -> None:
        """Size a page's columns to their contents the first time it shows, not before.

        Measuring every cell of every table costs more than reading the record does.
        """
        page = self.tabs.widget(index)
        if page is None:
            return
        for table in [t for t in self._unfitted if page is t or page.isAncestorOf(t)]:
            fit_columns(table)
            self._unfitted.discard(table)

    def _show_header(self, record: ParticipantRecord) -> None:
        today = self._today()
        born = record.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        details = [
            isolated_if_needed(record.pronouns),
            f"Chart {isolated_if_needed(record.chart_number)}",
            f"Born {born} (age {age})",
        ]
        if record.legal_name != record.name:
            details.append(f"Legal name {isolated_if_needed(record.legal_name)}")
        recovery = self._clinic.measures.recovery_start(record.participant_id)
        if recovery is not None:
            details.append(f"Recovery since {recovery} ({(today - recovery).days} days)")
        self._title.setText(record.name)
        self._details.setText(" · ".join(d for d in details if d))
        self._enrollments.setText(
            "\n".join(
                f"{e.group} ({e.program}): {e.status}, admitted {e.admitted}"
                + ended_text(e.discharged, e.discharge_reason, e.transferred_to)
                for e in reversed(record.enrollments)
            )
            or self.tr("Not enrolled in a group")
        )
        self._summary.setText(" · ".join(self._summary_parts(record)))

    def _summary_parts(self, record: ParticipantRecord) -> list[str]:
        """One line: this week's hours, the weeks and days that fell short, notes, topics."""
        parts = []
        current = next((w for w in record.weeks if w.in_progress), None)
        if current is not None and current.target_minutes is not None:
            parts.append(
                f"This week so far {duration_text(current.minutes)} "
                f"of {duration_text(current.target_minutes)}"
            )
        below = sum(1 for w in record.weeks if w.below_target)
        parts.append(f"{count_of(below, 'week')} below target")
        parts.append(
            f"{count_of(len(record.short_days), 'day')} under "
            f"{duration_text(record.daily_minimum_minutes)}"
        )
        outstanding = sum(1 for a in record.attendance if columns.note_outstanding(a))
        if outstanding:
            parts.append(f"{count_of(outstanding, 'note')} still to write")
        left = "not covered" if record.discharged else "to go"
        parts.append(f"{len(record.covered)} topics covered, {len(record.to_cover)} {left}")
        return parts

    def _build_layout(self) -> None:
        days = QWidget(self)
        days_layout = QVBoxLayout(days)
        days_layout.addWidget(self._days_note)
        days_layout.addWidget(self.days_table, 1)
        curriculum = QSplitter(Qt.Orientation.Vertical, self)
        for title, table in (
            (self._covered_title, self.covered_table),
            (self._to_cover_title, self.to_cover_table),
        ):
            pane = QWidget(curriculum)
            pane_layout = QVBoxLayout(pane)
            pane_layout.setContentsMargins(0, 0, 0, 0)
            pane_layout.addWidget(title)
            pane_layout.addWidget(table, 1)
            curriculum.addWidget(pane)
        for page in (
            self.attendance_table,
            self.weeks_table,
            days,
            curriculum,
            self.goals_table,
            self.progress,
            self.history_table,
        ):
            self.tabs.addTab(page, "")
        bar = QHBoxLayout(self.discharged_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.discharged_note)
        bar.addWidget(self.readmit_button)
        bar.addStretch(1)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        for label in (
            self._title,
            self._details,
            self._enrollments,
            self.voided_note,
            self._summary,
        ):
            layout.addWidget(label)
        layout.addWidget(self.discharged_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_menus(self) -> None:
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        titles = (
            self.tr("&Attendance and notes"),
            self.tr("&Hours by week"),
            self.tr("&Days under the daily minimum"),
            self.tr("&Curriculum"),
            self.tr("&Goals"),
            self.tr("&Progress: measures, craving, hours"),
            self.tr("Hi&story of changes to the details and goals"),
        )
        for index, title in enumerate(titles):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(partial(self.tabs.setCurrentIndex, index))
            view_menu.addAction(action)
        view_menu.addSeparator()
        refresh = QAction(self.tr("&Refresh"), self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.refresh)
        view_menu.addAction(refresh)
        close = QAction(self.tr("&Close"), self)
        close.setShortcuts([QKeySequence("Ctrl+W"), QKeySequence(Qt.Key.Key_Escape)])
        close.triggered.connect(self.close)
        view_menu.addAction(close)
        record_menu = self.menuBar().addMenu(self.tr("&Record"))
        record_menu.addActions(self.details_actions.actions)
        record_menu.addSeparator()
        record_menu.addActions(self.progress_actions.actions)
        record_menu.addSeparator()
        record_menu.addActions(self.discharge_actions.actions)
        record_menu.addSeparator()
        chart = partial(ChartRequest, self.participant_id)
        record_menu.addActions(print_actions(self.printer, chart, self.tr("chart"), self))
        record_menu.addSeparator()
        number = self.record.chart_number
        for text, keys, request in (
            (self.tr("E&xport chart…"), "Ctrl+Alt+C", self._chart_request),
            (self.tr("Export selected &note…"), "Ctrl+Alt+N", self._note_request),
        ):
            record_menu.addAction(self.exporter.action(text, keys, request, number))

    def _chart_request(self) -> ChartRequest | None:
        """The chart over a period the user picks (admission to today by default)."""
        today = self._today()
        first = min((e.admitted for e in self.record.enrollments), default=today)
        dialog = PeriodDialog(self.tr("Export chart"), first, today, offer_drafts=True, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        first, last = dialog.period()
        return ChartRequest(self.participant_id, first, last, dialog.drafts.isChecked())

    def _note_request(self) -> NoteRequest | None:
        """The note of the block selected on the Attendance and notes page."""
        index = self.attendance_table.currentIndex()
        if not index.isValid():
            QMessageBox.information(
                self,
                self.tr("Export note"),
                self.tr("Select a block on the Attendance and notes page (Ctrl+1) first."),
            )
            return None
        proxy = self.attendance_table.model()
        if isinstance(proxy, QSortFilterProxyModel):
            index = proxy.mapToSource(index)
        block = self._models[0][0].row_at(index.row())
        try:
            return NoteRequest(self._clinic.documents.note_id(block.block_id, self.participant_id))
        except DomainError as error:
            not_found(self, error)
            return None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit(self.participant_id)
        super().closeEvent(event)
