"""Groups and schedule: each group's program, room, facilitator and weekly blocks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from facilitator.app import Clinic
from facilitator.domain.schedule import WEEKDAY_NAMES
from facilitator.services.views import GroupRow, ScheduleSlot
from ui.models.row_table_model import Column, RowTableModel
from ui.widgets import fit_columns, read_only_table

MAX_LIST_WIDTH = 480  # pixels; longer names are cut off, the schedule keeps its room
GROUP_COLUMNS: tuple[Column[GroupRow], ...] = (
    Column("Group", lambda g: g.name),
    Column("Program", lambda g: g.program),
    Column("Room", lambda g: g.room),
    Column(
        "Active",
        lambda g: str(g.active_participants),
        lambda g: g.active_participants,
        align_right=True,
    ),
)
SLOT_COLUMNS: tuple[Column[ScheduleSlot], ...] = (
    Column("Day", lambda s: WEEKDAY_NAMES[s.weekday], lambda s: s.weekday),
    Column("Start", lambda s: f"{s.start:%H:%M}"),
    Column("End", lambda s: f"{s.end:%H:%M}"),
    Column("Modality", lambda s: s.modality),
)


class GroupsView(QWidget):
    """A list of groups; the selected one's details and weekly schedule beside it."""

    def __init__(
        self, clinic: Clinic, today: Callable[[], date] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self._today = today or clinic.today
        self._groups: RowTableModel[GroupRow] = RowTableModel(GROUP_COLUMNS, self)
        self._slots: RowTableModel[ScheduleSlot] = RowTableModel(SLOT_COLUMNS, self)
        self.group_table = read_only_table(self._groups, self, sortable=False)
        self.group_table.horizontalHeader().setStretchLastSection(False)  # sized to contents
        self.schedule_table = read_only_table(self._slots, self, sortable=False)
        self._details = {
            key: QLabel(self)
            for key in ("program", "level", "target", "room", "facilitator", "census")
        }
        self._build_layout()
        self.group_table.selectionModel().selectionChanged.connect(
            self._on_group_table_selection_changed
        )
        self.refresh()

    def refresh(self) -> None:
        self._groups.set_rows(self._clinic.groups(self._today()))
        fit_columns(self.group_table)
        self._show_whole_group_table()
        if self._groups.rowCount():
            self.group_table.selectRow(0)

    def _show_whole_group_table(self) -> None:
        """Wide enough for every column of the group list (up to MAX_LIST_WIDTH), so its room
        and census are not cut off behind a scroll bar."""
        table = self.group_table
        needed = (
            table.horizontalHeader().length()
            + 2 * table.frameWidth()
            + table.verticalScrollBar().sizeHint().width()
        )
        table.setMinimumWidth(min(needed, MAX_LIST_WIDTH))

    def _build_layout(self) -> None:
        form = QFormLayout()
        for label, key in (
            ("Program", "program"),
            ("Level of care", "level"),
            ("Weekly target", "target"),
            ("Room", "room"),
            ("Default facilitator", "facilitator"),
            ("Active participants", "census"),
        ):
            form.addRow(self.tr(label) + ":", self._details[key])
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        right_layout.addWidget(QLabel(self.tr("<b>Weekly schedule</b>"), self))
        right_layout.addWidget(self.schedule_table, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.group_table)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

    def _on_group_table_selection_changed(self, selected: QItemSelection, _: object) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        group = self._groups.row_at(indexes[0].row())
        hours, minutes = divmod(group.weekly_target_minutes, 60)
        values = {
            "program": group.program,
            "level": group.level_of_care,
            "target": f"{hours} h {minutes:02d} min" if minutes else f"{hours} h",
            "room": group.room,
            "facilitator": group.default_facilitator,
            "census": str(group.active_participants),
        }
        for key, value in values.items():
            self._details[key].setText(value)
        self._slots.set_rows(group.schedule)
        fit_columns(self.schedule_table)
