"""Change one day of the schedule: close it, cancel or move a block, a substitute, an extra
block. Only the fields the chosen kind needs are enabled; a refusal is shown in the dialog,
which stays open with what was entered."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, time

from PySide6.QtCore import QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.domain.schedule import ExceptionKind
from facilitator.services.day_changes import DayChoices, GroupChoice
from facilitator.services.schedule_exceptions import Change

CLINIC = "clinic"  # the kind combo's entry for closing the whole clinic
NEEDS = {  # which fields each kind uses
    CLINIC: set(),
    ExceptionKind.CLOSED.value: {"group"},
    ExceptionKind.CANCELLED.value: {"group", "block"},
    ExceptionKind.MOVED.value: {"group", "block", "times", "room"},
    ExceptionKind.SUBSTITUTE.value: {"group", "block", "clinician"},
    ExceptionKind.EXTRA.value: {"group", "times", "room", "modality"},
}


def _time_of(value: QTime) -> time:
    return time(value.hour(), value.minute())


class DayChangeDialog(QDialog):
    """One change to `day`, made by `apply` (which raises DomainError to refuse it)."""

    change_made = Signal(object)  # the exception's id

    def __init__(
        self,
        day: date,
        choices: DayChoices,
        apply: Callable[[Change], uuid.UUID],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change %1").replace("%1", f"{day:%A %d %B %Y}"))
        self._day = day
        self._choices = choices
        self._apply = apply
        self.kind = QComboBox(self)
        for text, value in (
            (self.tr("Close the whole clinic"), CLINIC),
            (self.tr("Close one group"), ExceptionKind.CLOSED.value),
            (self.tr("Cancel a block"), ExceptionKind.CANCELLED.value),
            (self.tr("Move a block"), ExceptionKind.MOVED.value),
            (self.tr("Substitute facilitator"), ExceptionKind.SUBSTITUTE.value),
            (self.tr("Extra block"), ExceptionKind.EXTRA.value),
        ):
            self.kind.addItem(text, value)
        self.group = QComboBox(self)
        for group in choices.groups:
            self.group.addItem(group.name, group.group_id)
        self.block = QComboBox(self)
        self.start = QTimeEdit(self)
        self.end = QTimeEdit(self)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.room = QLineEdit(self)
        self.room.setPlaceholderText(self.tr("empty: the group's room"))
        self.modality = QComboBox(self)
        for code, name in choices.modalities:
            self.modality.addItem(name, code)
        self.clinician = QComboBox(self)
        for clinician_id, name in choices.clinicians:
            self.clinician.addItem(name, clinician_id)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("shown on Today, for example: Snow day"))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._build_layout()
        self._connect_signals()
        self._on_group_current_index_changed()
        self._on_kind_current_index_changed()

    def _build_layout(self) -> None:
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Change:"), self.kind),
            (self.tr("&Group:"), self.group),
            (self.tr("&Block:"), self.block),
            (self.tr("&Starts:"), self.start),
            (self.tr("E&nds:"), self.end),
            (self.tr("R&oom:"), self.room),
            (self.tr("&Modality:"), self.modality),
            (self.tr("&Facilitator:"), self.clinician),
            (self.tr("&Reason:"), self.reason),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.group.currentIndexChanged.connect(self._on_group_current_index_changed)
        self.block.currentIndexChanged.connect(self._on_block_current_index_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _group(self) -> GroupChoice | None:
        index = self.group.currentIndex()
        return self._choices.groups[index] if index >= 0 else None

    def _on_kind_current_index_changed(self) -> None:
        kind = self.kind.currentData()
        needs = NEEDS[kind]
        for name, widgets in (
            ("group", (self.group,)),
            ("block", (self.block,)),
            ("times", (self.start, self.end)),
            ("room", (self.room,)),
            ("modality", (self.modality,)),
            ("clinician", (self.clinician,)),
        ):
            for widget in widgets:
                widget.setEnabled(name in needs)
        self._fill_blocks(every=kind == ExceptionKind.SUBSTITUTE.value)

    def _on_group_current_index_changed(self) -> None:
        self._fill_blocks(every=self.kind.currentData() == ExceptionKind.SUBSTITUTE.value)

    def _fill_blocks(self, every: bool) -> None:
        self.block.blockSignals(True)
        self.block.clear()
        if every:
            self.block.addItem(self.tr("Every block of the day"), None)
        group = self._group()
        for block in group.blocks if group else ():
            text = f"{block.start:%H:%M}-{block.end:%H:%M} {block.modality}"
            self.block.addItem(text, block.template_id)
        self.block.blockSignals(False)
        self._on_block_current_index_changed()

    def _on_block_current_index_changed(self) -> None:
        """A move starts from the block's own times."""
        group = self._group()
        template_id = self.block.currentData()
        found = next(
            (b for b in (group.blocks if group else ()) if b.template_id == template_id), None
        )
        if found is not None:
            self.start.setTime(QTime(found.start.hour, found.start.minute))
            self.end.setTime(QTime(found.end.hour, found.end.minute))

    def change(self) -> Change:
        """The change as entered (checked when applied)."""
        kind = self.kind.currentData()
        needs = NEEDS[kind]
        return Change(
            kind=ExceptionKind.CLOSED if kind == CLINIC else ExceptionKind(kind),
            day=self._day,
            reason=self.reason.text(),
            group_id=self.group.currentData() if "group" in needs else None,
            template_id=self.block.currentData() if "block" in needs else None,
            start=_time_of(self.start.time()) if "times" in needs else None,
            end=_time_of(self.end.time()) if "times" in needs else None,
            modality_code=self.modality.currentData() if "modality" in needs else None,
            room=self.room.text() if "room" in needs else None,
            clinician_id=self.clinician.currentData() if "clinician" in needs else None,
        )

    def _on_buttons_accepted(self) -> None:
        try:
            made = self._apply(self.change())
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.change_made.emit(made)
        self.accept()
