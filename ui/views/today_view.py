"""Today: the day's sessions and blocks across all groups, with note progress."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.app import Clinic
from facilitator.domain.attendance import span_text
from facilitator.services.views import DayBlockRow
from ui.models.row_table_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel
from ui.views.setup_checklist import SetupChecklist, SetupStep
from ui.views.week_panel import WeekPanel
from ui.widgets import count_of, fit_columns, page_title, read_only_table

COLUMNS: tuple[Column[DayBlockRow], ...] = (
    Column("Time", lambda r: span_text(r.start, r.end), lambda r: r.start.isoformat()),
    Column("Group", lambda r: r.group),
    Column("Modality", lambda r: r.modality),
    Column("Topic", lambda r: r.topic),
    Column("Room", lambda r: r.room),
    Column("Facilitator", lambda r: r.facilitators),
    Column("Due", lambda r: str(r.notes_due), lambda r: r.notes_due, align_right=True),
    Column("Drafted", lambda r: str(r.notes_drafted), lambda r: r.notes_drafted, align_right=True),
    Column(
        "Complete", lambda r: str(r.notes_complete), lambda r: r.notes_complete, align_right=True
    ),
    Column("Signed", lambda r: str(r.notes_signed), lambda r: r.notes_signed, align_right=True),
    Column(
        "Co-signature",
        lambda r: cosign_text(r),
        lambda r: (r.notes_returned, r.notes_awaiting_cosign),
        flagged=lambda r: r.notes_returned > 0,
    ),
    Column("Status", lambda r: status_text(r), flagged=lambda r: not r.runs),
)


def status_text(row: DayBlockRow) -> str:
    """'closed: Holiday', 'cancelled: …', the day's changes, 'Planned' or 'Open'."""
    if row.marker:
        return row.marker
    state = "Planned" if row.session_id is None else "Open"
    return " · ".join((state, *row.changes))


def cosign_text(row: DayBlockRow) -> str:
    """'3 awaiting co-sign · 1 returned', or empty."""
    parts = []
    if row.notes_awaiting_cosign:
        parts.append(f"{row.notes_awaiting_cosign} awaiting co-sign")
    if row.notes_returned:
        parts.append(f"{row.notes_returned} returned")
    return " · ".join(parts)


class TodayView(QWidget):
    """Blocks for one day (today by default), in time order, made or planned from the
    schedule. Enter opens the block's runner (a planned block's session is made first)."""

    block_opened = Signal(object, object)  # session id, block id
    planned_block_opened = Signal(object, object, object)  # group id, day, start time

    def __init__(
        self, clinic: Clinic, today: Callable[[], date] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self._today = today or clinic.today
        self._day = self._today()
        self._model: RowTableModel[DayBlockRow] = RowTableModel(COLUMNS, self)
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._model)
        self._proxy.setSortRole(SORT_ROLE)
        self._title = page_title("", self)
        self.summary = QLabel(self)
        self._previous = QPushButton(self.tr("◀ Previous day"), self)
        self._next = QPushButton(self.tr("Next day ▶"), self)
        self._back_to_today = QPushButton(self.tr("Today"), self)
        self.table = read_only_table(self._proxy, self, stretch_column=3)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.week = WeekPanel(clinic, self)
        self.table.setToolTip(self.tr("Enter or double-click runs the block"))
        self._empty = QLabel(self.tr("No groups meet on this day."), self)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.checklist = SetupChecklist(self)
        self.checklist.hide()
        self._setup_steps: Callable[[], list[SetupStep]] | None = None
        self._build_layout()
        self._set_shortcuts()
        self._connect_signals()
        self.refresh()

    @property
    def day(self) -> date:
        return self._day

    def show_day(self, day: date) -> None:
        self._day = day
        self.refresh()

    def refresh(self) -> None:
        rows = self._clinic.day_blocks(self._day)
        self._model.set_rows(rows)
        fit_columns(self.table)
        is_today = self._day == self._today()
        prefix = self.tr("Today") + ", " if is_today else ""
        self._title.setText(f"{prefix}{self._day:%A %d %B %Y}")
        groups = len({r.group_id for r in rows})
        closed = sorted({r.marker for r in rows if r.marker and r.marker.startswith("closed")})
        due = sum(r.notes_due for r in rows)
        done = sum(r.notes_signed for r in rows)
        awaiting = sum(r.notes_awaiting_cosign for r in rows)
        returned = sum(r.notes_returned for r in rows)
        self.summary.setText(
            f"{count_of(len(rows), 'block')} in {count_of(groups, 'session')} · "
            f"{done} of {due} notes signed"
            + (f" · {awaiting} awaiting co-signature" if awaiting else "")
            + (f" · {returned} returned for changes" if returned else "")
            + "".join(f" · {text[0].upper()}{text[1:]}" for text in closed)
        )
        steps = self._setup_steps() if self._setup_steps is not None and not rows else []
        self.checklist.set_steps(steps)
        self.checklist.setVisible(bool(steps))
        self._empty.setVisible(not rows and not steps)
        self.table.setVisible(bool(rows))
        self._back_to_today.setEnabled(not is_today)
        self.week.show_week(self._day)

    def show_setup_steps(self, steps: Callable[[], list[SetupStep]]) -> None:
        """While `steps()` gives steps (the clinic is not set up), an empty day shows them."""
        self._setup_steps = steps
        self.refresh()

    def show_signing_actions(self, review: QAction, cosign: QAction | None) -> None:
        """Buttons for the window's "review and sign" and (supervisors) "co-sign queue"."""
        for action in (review, cosign):
            if action is None:
                continue
            button = QPushButton(action.text().replace("&", ""), self)
            native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{action.text().replace('&', '')} ({native})")
            button.clicked.connect(action.trigger)
            self._signing_buttons.addWidget(button)

    def _build_layout(self) -> None:
        navigation = QHBoxLayout()
        navigation.addWidget(self._title)
        navigation.addStretch(1)
        self._signing_buttons = QHBoxLayout()
        navigation.addLayout(self._signing_buttons)
        navigation.addWidget(self._previous)
        navigation.addWidget(self._back_to_today)
        navigation.addWidget(self._next)
        layout = QVBoxLayout(self)
        layout.addLayout(navigation)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self._empty, 1)
        layout.addWidget(self.checklist, 1)
        layout.addWidget(self.week, 1)

    def _set_shortcuts(self) -> None:
        """Window-wide actions, so the keys work from any widget and show in the menu."""
        self.navigation_actions: list[QAction] = []
        for button, keys, text in (
            (self._previous, "Alt+Left", self.tr("&Previous day")),
            (self._next, "Alt+Right", self.tr("&Next day")),
            (self._back_to_today, "Alt+Home", self.tr("Back to &today")),
        ):
            action = QAction(text, self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(button.click)
            native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{text.replace('&', '')} ({native})")
            self.navigation_actions.append(action)

    def _connect_signals(self) -> None:
        self.table.activated.connect(self._on_table_activated)
        self._previous.clicked.connect(self._on_previous_clicked)
        self._next.clicked.connect(self._on_next_clicked)
        self._back_to_today.clicked.connect(self._on_back_to_today_clicked)

    def _on_table_activated(self, index: QModelIndex) -> None:
        row = self._proxy.index(index.row(), 0).data(ROW_ROLE)
        if not isinstance(row, DayBlockRow):
            return
        if row.marker is not None:
            QMessageBox.information(
                self,
                self.tr("Block not held"),
                self.tr("This block does not run: %1.").replace("%1", row.marker),
            )
        elif row.session_id is None:
            self.planned_block_opened.emit(row.group_id, row.day, row.start)
        else:
            self.block_opened.emit(row.session_id, row.block_id)

    def _on_previous_clicked(self) -> None:
        self.show_day(self._day - timedelta(days=1))

    def _on_next_clicked(self) -> None:
        self.show_day(self._day + timedelta(days=1))

    def _on_back_to_today_clicked(self) -> None:
        self.show_day(self._today())
