"""Add or edit a group: program, name, room, capacity, facilitator and co-facilitator, its own
note template, and its weekly schedule from a date."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.services.group_schedule import ScheduleEntry
from facilitator.services.groups_setup import GroupDetails, GroupRow
from ui.participant.form_parts import labelled_form, refusal_label, save_buttons
from ui.setup.schedule_editor import ScheduleEditor
from ui.widgets import grow_to_fit

SaveGroup = Callable[[uuid.UUID | None, GroupDetails], uuid.UUID]
ChangeSchedule = Callable[[uuid.UUID, date, Sequence[ScheduleEntry]], object]
NO_CAPACITY = 0


@dataclass(frozen=True)
class GroupChoices:
    """What the form offers: (id, name) of active programs and clinicians, (code, name) of
    active note templates and modalities."""

    programs: Sequence[tuple[uuid.UUID, str]]
    leaders: Sequence[tuple[uuid.UUID, str]]
    templates: Sequence[tuple[str, str]]
    modalities: Sequence[tuple[str, str]]


def current_entries(row: GroupRow | None) -> tuple[ScheduleEntry, ...]:
    """The entries of the group's latest schedule period (none for a new group)."""
    if row is None or not row.schedule:
        return ()
    return row.schedule[-1].entries


class GroupDialog(QDialog):
    """Ctrl+S saves the group, then its schedule if it changed (from the chosen day). The
    schedule's own problems are shown before anything is saved; a refusal stays inline."""

    def __init__(
        self,
        editing: GroupRow | None,
        choices: GroupChoices,
        today: date,
        save_group: SaveGroup,
        change_schedule: ChangeSchedule,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save_group = save_group
        self._change_schedule = change_schedule
        self._saved_entries = current_entries(editing)
        self.saved_id: uuid.UUID | None = editing.id if editing else None
        self.setWindowTitle(self.tr("Edit group") if editing else self.tr("Add group"))
        details = editing.details if editing else None
        self.program = _combo(self, choices.programs, details.program_id if details else None)
        self.name = QLineEdit(details.name if details else "", self)
        self.name.setPlaceholderText(self.tr("for example Evening IOP A"))
        self.room = QLineEdit(details.room if details else "", self)
        self.capacity = QSpinBox(self)
        self.capacity.setRange(NO_CAPACITY, 200)
        self.capacity.setSpecialValueText(self.tr("No limit"))
        self.capacity.setValue((details.capacity if details else None) or NO_CAPACITY)
        self.capacity.setToolTip(
            self.tr("More present than this is warned in the runner (90853 payers often cap at 12)")
        )
        none: list[tuple[uuid.UUID | None, str]] = [(None, self.tr("(none)"))]
        self.lead = _combo(
            self, [*none, *choices.leaders], details.facilitator_id if details else None
        )
        self.co_lead = _combo(
            self, [*none, *choices.leaders], details.co_facilitator_id if details else None
        )
        self.template = _combo(
            self,
            [(None, self.tr("(the program's template)")), *choices.templates],
            details.note_template if details else None,
        )
        has_schedule = bool(self._saved_entries)
        first_day = today + timedelta(days=1) if has_schedule else today
        self.schedule = ScheduleEditor(choices.modalities, first_day, self)
        self.schedule.set_lines(self._saved_entries)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the group and its schedule (Ctrl+S)"))
        self._build_layout(editing)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.name.setFocus()

    def _build_layout(self, editing: GroupRow | None) -> None:
        form = labelled_form(
            self,
            (
                (self.tr("&Program:"), self.program),
                (self.tr("&Name:"), self.name),
                (self.tr("R&oom:"), self.room),
                (self.tr("&Capacity:"), self.capacity),
                (self.tr("&Facilitator:"), self.lead),
                (self.tr("Co-fac&ilitator:"), self.co_lead),
                (self.tr("Note &template:"), self.template),
            ),
        )
        box = QGroupBox(self.tr("Weekly schedule"), self)
        box_layout = QVBoxLayout(box)
        if editing is not None and editing.schedule:
            since = editing.schedule[-1].effective_from
            box_layout.addWidget(
                QLabel(
                    self.tr(
                        "In force since %1. A change takes effect from the day you choose; "
                    ).replace("%1", f"{since:%Y-%m-%d}" if since else self.tr("the start"))
                    + self.tr("sessions before it keep their blocks."),
                    box,
                )
            )
        box_layout.addWidget(self.schedule)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(box, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(820, 720)

    def details(self) -> GroupDetails:
        program = _id(self.program)
        assert program is not None  # checked before saving
        return GroupDetails(
            program_id=program,
            name=self.name.text(),
            room=self.room.text(),
            capacity=self.capacity.value() or None,
            facilitator_id=_id(self.lead),
            co_facilitator_id=_id(self.co_lead),
            note_template=self.template.currentData(),
        )

    def refuse(self, message: str) -> None:
        self.error.setText(message)
        grow_to_fit(self)

    def _on_buttons_accepted(self) -> None:
        problems = self.schedule.problem_text()
        if problems:
            self.refuse(self.tr("Nothing was saved. Correct the schedule: ") + problems)
            return
        if self.program.currentData() is None:
            self.refuse(self.tr("Nothing was saved. Add a program first (Administration menu)."))
            return
        try:
            self.saved_id = self._save_group(self.saved_id, self.details())
        except DomainError as error:
            self.refuse(str(error))
            return
        entries = tuple(sorted(self.schedule.lines()))
        if entries != tuple(sorted(self._saved_entries)):
            try:
                self._change_schedule(self.saved_id, self.schedule.effective_date(), entries)
            except DomainError as error:
                self.refuse(self.tr("The group was saved; its schedule was not: ") + str(error))
                return
            self._saved_entries = entries
        self.accept()


def _combo(
    parent: QWidget, items: Sequence[tuple[uuid.UUID | str | None, str]], current: object
) -> QComboBox:
    """Ids are kept as text (a combo box finds text data reliably)."""
    combo = QComboBox(parent)
    for value, text in items:
        combo.addItem(text, None if value is None else str(value))
    position = combo.findData(str(current)) if current is not None else 0
    combo.setCurrentIndex(max(position, 0))
    return combo


def _id(combo: QComboBox) -> uuid.UUID | None:
    value = combo.currentData()
    return uuid.UUID(value) if value else None
