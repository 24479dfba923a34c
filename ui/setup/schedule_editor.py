"""A group's weekly schedule as a table (weekday, start, end, modality, room) with the date
it takes effect; overlapping or backwards blocks are shown in red before anything is saved."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.domain.schedule import WEEKDAY_NAMES, BlockTemplate, check_no_overlap
from facilitator.services.group_schedule import ScheduleEntry
from ui.date_edit import DateEdit
from ui.models.editable_row_model import EditableRowModel, EditColumn, Editor
from ui.setup.row_list_editor import RowListEditor

FIRST_START = time(9, 0)
DEFAULT_MINUTES = 60
BREAK_MINUTES = 15  # between a new block and the one before it


def _label(entry: ScheduleEntry) -> str:
    return f"{WEEKDAY_NAMES[entry.weekday]} {entry.start:%H:%M}-{entry.end:%H:%M}"


def schedule_problems(lines: Sequence[ScheduleEntry]) -> dict[int, str]:
    """Row -> why it cannot be saved: it ends before it starts, has no modality, or overlaps
    another block that weekday (the domain's own checks)."""
    problems: dict[int, str] = {}
    templates: dict[int, BlockTemplate] = {}
    for position, line in enumerate(lines):
        if not line.modality:
            problems[position] = f"{_label(line)}: choose a modality."
            continue
        try:
            templates[position] = BlockTemplate(line.weekday, line.start, line.end, line.modality)
        except DomainError as error:
            problems[position] = str(error)
    for position, template in templates.items():
        for other, other_template in templates.items():
            if other == position:
                continue
            try:
                check_no_overlap((template, other_template))
            except DomainError as error:
                problems.setdefault(position, str(error))
    return problems


def next_line(lines: Sequence[ScheduleEntry], selected: int | None) -> ScheduleEntry:
    """A new block after the selected one, the same length, a short break later (the first:
    Monday 09:00, an hour)."""
    if selected is None or not lines:
        return ScheduleEntry(0, FIRST_START, _plus(FIRST_START, DEFAULT_MINUTES), "")
    after = lines[selected]
    length = _minutes(after.end) - _minutes(after.start)
    start = _plus(after.end, BREAK_MINUTES)
    end = _plus(start, length if length > 0 else DEFAULT_MINUTES)
    return ScheduleEntry(after.weekday, start, max(end, start), after.modality, after.room)


def _minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def _plus(moment: time, minutes: int) -> time:
    total = min(_minutes(moment) + minutes, 23 * 60 + 59)
    return (datetime.combine(date.min, time()) + timedelta(minutes=total)).time()


class ScheduleEditor(QWidget):
    """`modalities` are (code, name) pairs; `effective_from` the first day the schedule is in
    force. Ctrl+D repeats the selected block's weekday on the next weekday."""

    def __init__(
        self,
        modalities: Sequence[tuple[str, str]],
        effective_from: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        names: Mapping[str, str] = dict(modalities)
        weekdays = [(name, number) for number, name in enumerate(WEEKDAY_NAMES)]
        columns: tuple[EditColumn[ScheduleEntry], ...] = (
            EditColumn(
                self.tr("Weekday"),
                lambda r: WEEKDAY_NAMES[r.weekday],
                lambda r: r.weekday,
                lambda r, v: replace(r, weekday=int(v)),
                Editor.CHOICE,
                weekdays,
            ),
            EditColumn(
                self.tr("Start"),
                lambda r: f"{r.start:%H:%M}",
                lambda r: r.start,
                lambda r, v: replace(r, start=v),
                Editor.TIME,
            ),
            EditColumn(
                self.tr("End"),
                lambda r: f"{r.end:%H:%M}",
                lambda r: r.end,
                lambda r, v: replace(r, end=v),
                Editor.TIME,
            ),
            EditColumn(
                self.tr("Modality"),
                lambda r: names.get(r.modality, r.modality) or self.tr("(choose)"),
                lambda r: r.modality,
                lambda r, v: replace(r, modality=str(v or "")),
                Editor.CHOICE,
                [(name, code) for code, name in modalities],
            ),
            EditColumn(
                self.tr("Room"),
                lambda r: r.room or self.tr("(the group's room)"),
                lambda r: r.room or "",
                lambda r, v: replace(r, room=str(v).strip() or None),
                tooltip=self.tr("Empty: the group's room"),
            ),
        )
        model = EditableRowModel(columns, schedule_problems, self)
        self.editor: RowListEditor[ScheduleEntry] = RowListEditor(
            model, next_line, (self.tr("Add &block"), self.tr("Remo&ve block")), self
        )
        self.repeat_action = self.editor.extra_action(
            self.tr("&Repeat the day on the next weekday"), "Ctrl+D", self.repeat_day
        )
        self.effective_from = DateEdit(effective_from, self)
        self.effective_from.setToolTip(
            self.tr("Sessions before this day keep the schedule they had; past ones never move")
        )
        self.effective_label = QLabel(self.tr("Takes &effect from:"), self)
        self.effective_label.setBuddy(self.effective_from)
        row = QHBoxLayout()
        row.addWidget(self.effective_label)
        row.addWidget(self.effective_from)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor, 1)
        layout.addLayout(row)
        self.setTabOrder(self.editor.table, self.effective_from)

    def set_lines(self, lines: Sequence[ScheduleEntry]) -> None:
        self.editor.set_rows(sorted(lines, key=lambda line: (line.weekday, line.start)))

    def lines(self) -> list[ScheduleEntry]:
        return self.editor.rows()

    def effective_date(self) -> date:
        return self.effective_from.value()

    def problem_text(self) -> str:
        return self.editor.problem_text()

    def repeat_day(self) -> None:
        """Copy the selected block's weekday's blocks to the next weekday (Sunday: Monday)."""
        selected = self.editor.selected_position()
        lines = self.lines()
        if selected is None or self.editor.model.read_only:
            return
        weekday = lines[selected].weekday
        target = (weekday + 1) % 7
        copies = [replace(line, weekday=target) for line in lines if line.weekday == weekday]
        self.set_lines([*lines, *copies])
        position = self.lines().index(copies[0])
        self.editor.table.setCurrentIndex(self.editor.model.index(position, 0))
