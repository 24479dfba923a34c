"""Add or edit a program (level of care): days per week, daily minimum and weekly target
minutes, note template, late-entry limit and the service codes it bills."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QSpinBox, QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.services.programs_setup import ProgramDetails, ProgramRow
from ui.participant.form_parts import labelled_form, refusal_label, save_buttons
from ui.setup.service_code_editor import ServiceCodeEditor
from ui.widgets import grow_to_fit

Save = Callable[[uuid.UUID | None, ProgramDetails], uuid.UUID]
LEVELS_OF_CARE = ("IOP", "PHP", "OP", "Aftercare")


def _minutes_box(parent: QWidget, maximum: int, tooltip: str) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(0, maximum)
    box.setSingleStep(15)
    box.setSuffix(" min")
    box.setToolTip(tooltip)
    return box


class ProgramDialog(QDialog):
    """`templates` are (code, name) of the active note templates; `modalities` the modality
    codes a service code may be limited to. Ctrl+S saves through `save`; a refusal stays
    inline. `saved_id` is the program's id once saved."""

    def __init__(
        self,
        editing: ProgramRow | None,
        templates: Sequence[tuple[str, str]],
        modalities: Sequence[str],
        save: Save,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.saved_id: uuid.UUID | None = editing.id if editing else None
        details = editing.details if editing else ProgramDetails(name="", level_of_care="IOP")
        self._details = details
        self.setWindowTitle(self.tr("Edit program") if editing else self.tr("Add program"))
        self.name = QLineEdit(details.name, self)
        self.name.setPlaceholderText(self.tr("for example Adult IOP"))
        self.level = QComboBox(self)
        self.level.setEditable(True)
        self.level.addItems(LEVELS_OF_CARE)
        self.level.setCurrentText(details.level_of_care)
        self.days = QSpinBox(self)
        self.days.setRange(1, 7)
        self.days.setValue(details.days_per_week)
        self.daily = _minutes_box(
            self, 1440, self.tr("A day below this counts as under the minimum (IOP: 180)")
        )
        self.daily.setValue(details.daily_minimum_minutes)
        self.weekly = _minutes_box(self, 10080, self.tr("The hours a week the program aims at"))
        self.weekly.setValue(details.weekly_target_minutes)
        self.template = QComboBox(self)
        for code, name in templates:
            self.template.addItem(f"{code} — {name}", code)
        if self.template.findData(details.note_template) < 0:
            self.template.addItem(details.note_template, details.note_template)
        self.template.setCurrentIndex(self.template.findData(details.note_template))
        self.late_hours = QSpinBox(self)
        self.late_hours.setRange(1, 720)
        self.late_hours.setSuffix(self.tr(" hours"))
        self.late_hours.setValue(details.late_entry_hours)
        self.late_hours.setToolTip(self.tr("A note signed later than this is marked late entry"))
        self.codes = ServiceCodeEditor(modalities, self)
        self.codes.set_codes(details.service_codes)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the program (Ctrl+S)"))
        form = labelled_form(
            self,
            (
                (self.tr("&Name:"), self.name),
                (self.tr("&Level of care:"), self.level),
                (self.tr("Days per &week:"), self.days),
                (self.tr("Daily &minimum:"), self.daily),
                (self.tr("Weekly &target:"), self.weekly),
                (self.tr("Note tem&plate:"), self.template),
                (self.tr("Late entry &after:"), self.late_hours),
                (self.tr("Service codes:"), self.codes),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(1040, 600)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.name.setFocus()

    def details(self) -> ProgramDetails:
        """The form as the service takes it (SetupError for a service code it refuses)."""
        return replace(
            self._details,
            name=self.name.text(),
            level_of_care=self.level.currentText(),
            days_per_week=self.days.value(),
            daily_minimum_minutes=self.daily.value(),
            weekly_target_minutes=self.weekly.value(),
            note_template=str(self.template.currentData()),
            late_entry_hours=self.late_hours.value(),
            service_codes=self.codes.codes(),
        )

    def refuse(self, message: str) -> None:
        self.error.setText(message)
        grow_to_fit(self)

    def _on_buttons_accepted(self) -> None:
        problems = self.codes.problem_text()
        if problems:
            self.refuse(self.tr("Nothing was saved. Correct the service codes: ") + problems)
            return
        try:
            self.saved_id = self._save(self.saved_id, self.details())
        except DomainError as error:
            self.refuse(str(error))
            return
        self.accept()
