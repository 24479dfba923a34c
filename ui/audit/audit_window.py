"""The audit log for administrators: entries filtered by user, action, dates and object."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from facilitator.security.audit_verify import AuditReport
from facilitator.services.audit_log import AuditFilter, AuditRow
from ui.date_edit import DateEdit
from ui.models.row_table_model import SORT_ROLE, Column, RowTableModel
from ui.widgets import count_of, fit_columns, fit_to_screen, page_title, read_only_table

DEFAULT_DAYS = 30
INTACT_STYLE = "background: #e8f5e9; color: #1b5e20; padding: 6px; font-weight: bold;"
PROBLEM_STYLE = "background: #ffebee; color: #b71c1c; padding: 6px; font-weight: bold;"


def _columns(zone: ZoneInfo) -> tuple[Column[AuditRow], ...]:
    """The table's columns; times in the clinic's zone, like its days."""
    return (
        Column("#", lambda r: str(r.sequence), lambda r: r.sequence, align_right=True),
        Column(
            "Time",
            lambda r: f"{r.occurred_at.astimezone(zone):%Y-%m-%d %H:%M:%S}",
            lambda r: r.occurred_at,
        ),
        Column("User", lambda r: r.username or "—"),
        Column("Action", lambda r: r.action.replace("_", " ")),
        Column("Object", lambda r: r.object_type or ""),
        Column("Object id", lambda r: r.object_id or ""),
        Column("Outcome", lambda r: r.outcome, flagged=lambda r: r.outcome != "success"),
        Column("Detail", lambda r: r.detail),
    )


class AuditWindow(QMainWindow):
    """Reads the log through the clinic (which refuses anyone but an administrator)."""

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        today: Callable[[], date] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self.user = user
        self.setWindowTitle(self.tr("Audit log — Facilitator"))
        self._zone = clinic.time_zone()
        self._build_widgets((today or clinic.today)())
        self._build_menus()
        self._connect_signals()
        fit_to_screen(self, 1200, 720)
        self.refresh()

    def _build_widgets(self, today: date) -> None:
        self.user_filter = QComboBox(self)
        self.user_filter.addItem(self.tr("Everyone"), None)
        for username in self._clinic.audit_usernames(self.user):
            self.user_filter.addItem(username, username)
        self.action_filter = QComboBox(self)
        self.action_filter.addItem(self.tr("Any action"), None)
        for action in AuditAction:
            self.action_filter.addItem(action.value.replace("_", " "), action.value)
        start = today - timedelta(days=DEFAULT_DAYS)
        self.since = DateEdit(start, self)
        self.until = DateEdit(today, self)
        self.object_filter = QLineEdit(self)
        self.object_filter.setPlaceholderText(self.tr("Object id (or part of it)"))
        self.object_filter.setClearButtonEnabled(True)
        filters = QHBoxLayout()
        for label, widget in (
            (self.tr("&User:"), self.user_filter),
            (self.tr("A&ction:"), self.action_filter),
            (self.tr("&From:"), self.since),
            (self.tr("&To:"), self.until),
            (self.tr("&Object:"), self.object_filter),
        ):
            caption = QLabel(label, self)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget, 1 if widget is self.object_filter else 0)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setVisible(False)
        self.problems = QListWidget(self)
        self.problems.setVisible(False)
        self.problems.setMaximumHeight(140)
        self.model: RowTableModel[AuditRow] = RowTableModel(_columns(self._zone), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self.proxy, self)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.count = QLabel(self)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(page_title(self.tr("Audit log"), central))
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.problems)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.setCentralWidget(central)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Audit"))
        self.verify_action = self._action(
            menu, self.tr("&Verify the chain"), QKeySequence("Ctrl+Shift+V"), self.verify
        )
        self._action(menu, self.tr("&Refresh"), QKeySequence.StandardKey.Refresh, self.refresh)
        menu.addSeparator()
        self._action(menu, self.tr("&Close"), QKeySequence.StandardKey.Close, self.close)
        toolbar = self.addToolBar(self.tr("Audit"))
        toolbar.setObjectName("audit_toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(self.verify_action)

    def _action(
        self,
        menu: object,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey,
        slot: Callable[[], object],
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(shortcut)
        action.setToolTip(f"{text.replace('&', '')} ({QKeySequence(shortcut).toString()})")
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _connect_signals(self) -> None:
        self.user_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.action_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.since.dateChanged.connect(self._on_filter_changed)
        self.until.dateChanged.connect(self._on_filter_changed)
        self.object_filter.textChanged.connect(self._on_filter_changed)

    def audit_filter(self) -> AuditFilter:
        """The filter the controls describe; dates are the clinic's days, `To` included."""
        return AuditFilter(
            since=_start_of(_day(self.since.date()), self._zone),
            until=_start_of(_day(self.until.date()) + timedelta(days=1), self._zone),
            username=self.user_filter.currentData(),
            action=AuditAction(action) if (action := self.action_filter.currentData()) else None,
            object_id=self.object_filter.text().strip() or None,
        )

    def refresh(self) -> None:
        rows = self._clinic.audit_entries(self.user, self.audit_filter())
        self.model.set_rows(rows)
        fit_columns(self.table)
        self.count.setText(count_of(len(rows), self.tr("entry"), self.tr("entries")))

    def verify(self) -> AuditReport:
        """Check the whole chain and show the result above the table."""
        report = self._clinic.verify_audit(self.user)
        self.problems.clear()
        if report.intact:
            self.banner.setStyleSheet(INTACT_STYLE)
            self.banner.setText(
                self.tr("The audit log is intact: %1 entries checked, none altered.").replace(
                    "%1", str(report.entries)
                )
            )
        else:
            self.banner.setStyleSheet(PROBLEM_STYLE)
            self.banner.setText(
                self.tr("The audit log was tampered with: %1 problem(s) in %2 entries.")
                .replace("%1", str(len(report.problems)))
                .replace("%2", str(report.entries))
            )
            for problem in report.problems:
                self.problems.addItem(f"#{problem.sequence} · {problem.kind}: {problem.message}")
        self.banner.setVisible(True)
        self.problems.setVisible(not report.intact)
        self.refresh()  # the check itself is now the newest entry
        return report

    def _on_filter_changed(self) -> None:
        self.refresh()


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    """Midnight of `day` in the clinic's zone, as an aware UTC instant."""
    return datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
