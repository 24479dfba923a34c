"""Attendance for one block: status and times per person, with totals and bulk actions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import time

from PySide6.QtCore import QItemSelection, Qt, QTime, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.attendance import AttendanceStatus, TimeSpan, clock_text
from facilitator.domain.errors import DomainError
from facilitator.services.session_runner import SessionRunner
from facilitator.services.session_sheet import BlockSheet, RosterEntry
from ui.colors import warning_style
from ui.models.row_table_model import Column, RowTableModel
from ui.widgets import count_of, fit_columns, read_only_table

MODE_KEY = "M"  # cycles in person, video, telephone (on the table, like the status keys)
MODE_MENU_KEYS = "Ctrl+Alt+M"
STATUS_KEYS = {
    AttendanceStatus.PRESENT: "P",
    AttendanceStatus.LATE: "L",
    AttendanceStatus.LEFT_EARLY: "E",
    AttendanceStatus.ABSENT_EXCUSED: "X",
    AttendanceStatus.ABSENT_UNEXCUSED: "U",
}


def _status(entry: RosterEntry) -> str:
    if entry.removed:
        return "Removed"
    return entry.attendance.status.label if entry.attendance else "Not taken"


def _mode(entry: RosterEntry) -> str:
    a = entry.attendance
    return a.mode.label if a is not None and a.status.attended and not entry.removed else ""


def _time_of(value: QTime) -> time:
    return time(value.hour(), value.minute())


def _reason(entry: RosterEntry) -> str:
    a = entry.attendance
    if a is None:
        return ""
    return a.removed_reason or a.absence_reason or a.added_reason or ""


def week_marks(entry: RosterEntry) -> str:
    """'Risk: PHQ-9 on … · Due: PHQ-9, GAD-7': a measure's risk and the measures due."""
    marks = []
    if entry.measure_risk:
        marks.append(f"Risk: {entry.measure_risk}")
    if entry.measures_due:
        marks.append(f"Due: {', '.join(entry.measures_due)}")
    return " · ".join(marks)


def columns(span: TimeSpan) -> tuple[Column[RosterEntry], ...]:
    """Arrival and departure show the block's times unless the person's own were recorded."""

    def times(entry: RosterEntry) -> tuple[str, str]:
        a = entry.attendance
        if a is None or entry.removed or not a.status.attended:
            return "", ""
        return clock_text(a.arrived or span.start), clock_text(a.left or span.end)

    return (
        Column("Participant", lambda e: e.name),
        Column("Status", _status),
        Column("How", _mode, flagged=lambda e: _mode(e) not in ("", "In person")),
        Column("Arrived", lambda e: times(e)[0]),
        Column("Left", lambda e: times(e)[1]),
        Column(
            "Minutes", lambda e: str(e.attendance.minutes) if e.attendance else "", align_right=True
        ),
        Column("Reason", _reason),
        Column("This week", week_marks, flagged=lambda e: e.measure_risk is not None),
    )


class AttendancePanel(QWidget):
    """Keyboard first: arrows pick a person, P/L/E/X/U set the status, M how they attended."""

    attendance_changed = Signal()

    def __init__(
        self,
        runner: SessionRunner,
        session_id: uuid.UUID,
        pick_participant: Callable[[BlockSheet], tuple[uuid.UUID, str] | None],
        correct: Callable[[BlockSheet, RosterEntry], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._session_id = session_id
        self._pick_participant = pick_participant
        self._correct = correct
        self._block: BlockSheet | None = None
        self._model: RowTableModel[RosterEntry] = RowTableModel(
            columns(TimeSpan(time(), time())), self
        )
        self.table = read_only_table(self._model, self, stretch_column=5, sortable=False)
        self.status_buttons: dict[AttendanceStatus, QPushButton] = {}
        for status, key in STATUS_KEYS.items():
            button = QPushButton(f"{status.label} ({key})", self)
            button.setToolTip(self.tr("Set the selected person's status") + f" ({key})")
            self.status_buttons[status] = button
        self.arrived = QTimeEdit(self)
        self.left = QTimeEdit(self)
        for edit in (self.arrived, self.left):
            edit.setDisplayFormat("HH:mm")
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Reason for an absence"))
        self.mode = QPushButton(
            self.tr("How attended: next mode (%1)").replace("%1", MODE_KEY), self
        )
        self.mode.setToolTip(
            self.tr("In person, video or telephone, in turn, for the selected person")
            + f" ({MODE_KEY}, {MODE_MENU_KEYS})"
        )
        self.mark_all = QPushButton(self.tr("Mark all present"), self)
        self.copy_previous = QPushButton(self.tr("Same as previous block"), self)
        self.add_person = QPushButton(self.tr("Add participant…"), self)
        self.remove_person = QPushButton(self.tr("Remove from block…"), self)
        self.correct = QPushButton(self.tr("Correct attendance…"), self)
        self.totals = QLabel(self)
        self.capacity_warning = QLabel(self)  # above the group's capacity: warned, not refused
        self.capacity_warning.setStyleSheet(warning_style(bold=True))
        self._build_layout()
        self._set_shortcuts()
        self._connect_signals()

    def show_block(self, block: BlockSheet) -> None:
        """Show a block's roster, keeping the selected person selected."""
        selected = self.selected_participant()
        self._block = block
        self._model.set_columns(columns(block.span))
        self._model.set_rows(block.roster)
        fit_columns(self.table)
        rows = [e.participant_id for e in block.roster]
        self.table.selectRow(rows.index(selected) if selected in rows else 0)
        self._show_selected_times()
        self.totals.setText(
            f"{count_of(block.present, 'person', 'people')} present of {len(block.roster)} · "
            f"{block.minutes} minutes attended in all"
        )
        self.capacity_warning.setText(
            self.tr("%1 present: above the group's capacity of %2")
            .replace("%1", str(block.present))
            .replace("%2", str(block.capacity))
        )
        self.capacity_warning.setVisible(block.over_capacity)
        self.copy_previous.setEnabled(block.sequence > 1)

    def selected_participant(self) -> uuid.UUID | None:
        entry = self._selected_entry()
        return entry.participant_id if entry else None

    def _selected_entry(self) -> RosterEntry | None:
        indexes = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._model.row_at(indexes[0].row()) if indexes else None

    def _build_layout(self) -> None:
        statuses = QHBoxLayout()
        for button in self.status_buttons.values():
            statuses.addWidget(button)
        statuses.addWidget(self.mode)
        statuses.addStretch(1)
        times = QHBoxLayout()
        for text, widget in (
            (self.tr("&Arrived:"), self.arrived),
            (self.tr("L&eft:"), self.left),
            (self.tr("&Reason:"), self.reason),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            times.addWidget(label)
            times.addWidget(widget, 1 if widget is self.reason else 0)
        bulk = QHBoxLayout()
        for button in (
            self.mark_all,
            self.copy_previous,
            self.add_person,
            self.remove_person,
            self.correct,
        ):
            bulk.addWidget(button)
        bulk.addStretch(1)
        bulk.addWidget(self.capacity_warning)
        bulk.addWidget(self.totals)
        layout = QVBoxLayout(self)
        layout.addLayout(bulk)
        layout.addWidget(self.table, 1)
        layout.addLayout(statuses)
        layout.addLayout(times)

    def _set_shortcuts(self) -> None:
        for status, key in STATUS_KEYS.items():
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=status: self._set_status(s))
        mode_key = QShortcut(QKeySequence(MODE_KEY), self.table)
        mode_key.setContext(Qt.ShortcutContext.WidgetShortcut)
        mode_key.activated.connect(self.mode.click)
        mode_action = QAction(self.tr("&How attended: next mode"), self)
        mode_action.setShortcut(QKeySequence(MODE_MENU_KEYS))
        mode_action.triggered.connect(self.mode.click)
        self.menu_actions: list[QAction] = [mode_action]
        for button, keys in (
            (self.mark_all, "Ctrl+Shift+P"),
            (self.copy_previous, "Ctrl+Shift+C"),
            (self.add_person, "Ctrl+Shift+A"),
            (self.remove_person, "Ctrl+Shift+Delete"),
            (self.correct, "Ctrl+Shift+T"),
        ):
            action = QAction(button.text(), self)
            action.setShortcut(QKeySequence(keys))
            action.triggered.connect(button.click)
            button.setToolTip(f"{button.text().rstrip('…')} ({keys})")
            self.menu_actions.append(action)

    def _connect_signals(self) -> None:
        for status, button in self.status_buttons.items():
            button.clicked.connect(lambda _=False, s=status: self._set_status(s))
        self.mode.clicked.connect(self._on_mode_clicked)
        self.mark_all.clicked.connect(self._on_mark_all_clicked)
        self.copy_previous.clicked.connect(self._on_copy_previous_clicked)
        self.add_person.clicked.connect(self._on_add_person_clicked)
        self.remove_person.clicked.connect(self._on_remove_person_clicked)
        self.correct.clicked.connect(self._on_correct_clicked)
        self.arrived.editingFinished.connect(self._on_times_edited)
        self.left.editingFinished.connect(self._on_times_edited)
        self.reason.editingFinished.connect(self._on_times_edited)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    def _on_table_selection_changed(self, _selected: QItemSelection, _: object) -> None:
        self._show_selected_times()

    def _show_selected_times(self) -> None:
        entry = self._selected_entry()
        if entry is None or self._block is None:
            return
        span = self._block.span
        attendance = entry.attendance
        for edit, value in (
            (self.arrived, attendance.arrived if attendance else None),
            (self.left, attendance.left if attendance else None),
        ):
            shown = value or (span.start if edit is self.arrived else span.end)
            edit.blockSignals(True)
            edit.setTime(QTime(shown.hour, shown.minute))
            edit.blockSignals(False)
        attended = attendance is not None and attendance.status.attended
        self.arrived.setEnabled(attended)
        self.left.setEnabled(attended)
        self.reason.setText(attendance.absence_reason or "" if attendance else "")
        self.reason.setEnabled(attendance is not None and not attended)

    def _set_status(self, status: AttendanceStatus) -> None:
        """Change the status, keeping recorded times while the person still attended."""
        entry = self._selected_entry()
        if entry is None or self._block is None:
            return
        kept = entry.attendance if entry.attendance and status.attended else None
        self._apply(
            lambda: self._runner.record_attendance(
                self._block_id(),
                entry.participant_id,
                status,
                kept.arrived if kept else None,
                kept.left if kept else None,
            )
        )
        self.table.setFocus()

    def _on_mode_clicked(self) -> None:
        """The selected person's next mode: in person, video, telephone, in person ..."""
        entry = self._selected_entry()
        if entry is None or self._block is None:
            return
        attendance = entry.attendance
        if attendance is None or not attendance.status.attended or entry.removed:
            QMessageBox.information(
                self,
                self.tr("How attended"),
                self.tr(
                    "Mark %1 present, late or left early first (P, L or E), then set how they "
                    "attended."
                ).replace("%1", entry.name.split()[0]),
            )
            return
        self._apply(
            lambda: self._runner.record_attendance(
                self._block_id(),
                entry.participant_id,
                attendance.status,
                attendance.arrived,
                attendance.left,
                mode=attendance.mode.following,
            )
        )
        self.table.setFocus()

    def _on_times_edited(self) -> None:
        entry = self._selected_entry()
        if entry is None or entry.attendance is None or self._block is None:
            return
        span = self._block.span
        arrived = _time_of(self.arrived.time())
        left = _time_of(self.left.time())
        attendance = entry.attendance
        reason = self.reason.text().strip() or None
        unchanged = (
            arrived == (attendance.arrived or span.start)
            and left == (attendance.left or span.end)
            and (attendance.status.attended or reason == attendance.absence_reason)
        )
        if unchanged:
            return
        self._apply(
            lambda: self._runner.record_attendance(
                self._block_id(),
                entry.participant_id,
                attendance.status,
                arrived if arrived != span.start else None,
                left if left != span.end else None,
                reason,
            )
        )

    def _on_mark_all_clicked(self) -> None:
        self._apply(lambda: self._runner.mark_all_present(self._block_id(), self._session_id))

    def _on_copy_previous_clicked(self) -> None:
        self._apply(
            lambda: self._runner.copy_previous_attendance(self._block_id(), self._session_id)
        )

    def _on_add_person_clicked(self) -> None:
        if self._block is None:
            return
        picked = self._pick_participant(self._block)
        if picked is not None:
            participant_id, reason = picked
            self._apply(
                lambda: self._runner.add_participant(self._block_id(), participant_id, reason)
            )

    def _on_remove_person_clicked(self) -> None:
        entry = self._selected_entry()
        if entry is None:
            return
        reason, accepted = QInputDialog.getText(
            self,
            self.tr("Remove from block"),
            self.tr("Why is %1 removed from this block? Anything already written is kept.").replace(
                "%1", entry.name
            ),
        )
        if accepted:
            self._apply(
                lambda: self._runner.remove_participant(
                    self._block_id(), entry.participant_id, reason
                )
            )

    def _on_correct_clicked(self) -> None:
        entry = self._selected_entry()
        if entry is None or self._block is None:
            return
        if entry.note is None or not entry.note.status.locked or entry.attendance is None:
            QMessageBox.information(
                self,
                self.tr("Correct attendance"),
                self.tr(
                    "%1's note for this block is not signed: change the attendance in the "
                    "table. A correction is for attendance behind a signed note."
                ).replace("%1", entry.name.split()[0]),
            )
            return
        self._correct(self._block, entry)

    def _apply(self, change: Callable[[], object]) -> None:
        """Make the change; a refusal is shown and the table goes back to what is recorded."""
        try:
            change()
        except DomainError as error:
            self._show_selected_times()
            QMessageBox.warning(self, self.tr("Attendance not changed"), str(error))
            return
        self.attendance_changed.emit()

    def _block_id(self) -> uuid.UUID:
        assert self._block is not None
        return self._block.block_id
