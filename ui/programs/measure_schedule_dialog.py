"""A program's measure schedule (administrators): which measures, at admission, every N weeks,
at discharge, and the program's planned length. Today's due list and the runner follow it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.measures import MeasureDefinition, MeasureSchedule
from facilitator.domain.users import SignedInUser
from facilitator.services.measures import ProgramSchedule
from ui.participant.form_parts import labelled_form, refusal_label, save_buttons

Save = Callable[[uuid.UUID, MeasureSchedule, int | None], object]  # program, schedule, weeks
NOT_SET = 0  # the length spin box's "not set"


class MeasureScheduleDialog(QDialog):
    """Ctrl+S or Save saves every program changed (switching programs keeps the edits); a
    refused schedule keeps the dialog open on that program with why."""

    def __init__(
        self,
        programs: Sequence[ProgramSchedule],
        definitions: Sequence[MeasureDefinition],
        save: Save,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Measure schedule"))
        self._programs = list(programs)
        self._save = save
        self._shown = -1  # the program the form holds
        self._drafts: dict[int, tuple[MeasureSchedule, int | None]] = {}
        self.program = QComboBox(self)
        for p in self._programs:
            self.program.addItem(f"{p.name} ({p.level_of_care})", p.program_id)
        self.length = QSpinBox(self)
        self.length.setRange(NOT_SET, 104)
        self.length.setSpecialValueText(self.tr("Not set"))
        self.length.setSuffix(self.tr(" weeks"))
        self.length.setToolTip(
            self.tr("The planned length: completion milestones, and the discharge measure when ")
            + self.tr("no discharge is recorded yet")
        )
        self.measures = QListWidget(self)
        self.measures.setAccessibleName(self.tr("Measures given"))
        for definition in definitions:
            item = QListWidgetItem(definition.name)
            item.setToolTip(definition.description)
            item.setData(Qt.ItemDataRole.UserRole, definition.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.measures.addItem(item)
        rows = max(3, min(self.measures.count(), 8))
        self.measures.setFixedHeight(rows * self.measures.sizeHintForRow(0) + 8)
        self.at_admission = QCheckBox(self.tr("At ad&mission"), self)
        self.repeat = QCheckBox(self.tr("&Every"), self)
        self.every = QSpinBox(self)
        self.every.setRange(1, 52)
        self.every.setSuffix(self.tr(" weeks after admission"))
        self.every.setAccessibleName(self.tr("Repeat every how many weeks"))
        self.at_discharge = QCheckBox(self.tr("At &discharge (or at the planned completion)"), self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the program's schedule (Ctrl+S)"))
        self._build_layout()
        self._connect_signals()
        self._show_program(0)

    def schedule(self) -> MeasureSchedule:
        """The schedule as the form shows it."""
        codes = []
        for row in range(self.measures.count()):
            item = self.measures.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                codes.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return MeasureSchedule(
            measures=tuple(codes),
            at_admission=self.at_admission.isChecked(),
            every_weeks=self.every.value() if self.repeat.isChecked() else None,
            at_discharge=self.at_discharge.isChecked(),
        )

    def length_weeks(self) -> int | None:
        return None if self.length.value() == NOT_SET else self.length.value()

    def _build_layout(self) -> None:
        form = labelled_form(
            self,
            (
                (self.tr("&Program:"), self.program),
                (self.tr("Planned &length:"), self.length),
                (self.tr("Measures &given:"), self.measures),
            ),
        )
        repeat = QHBoxLayout()
        repeat.addWidget(self.repeat)
        repeat.addWidget(self.every)
        repeat.addStretch(1)
        when = QVBoxLayout()
        when.addWidget(self.at_admission)
        when.addLayout(repeat)
        when.addWidget(self.at_discharge)
        form.addRow(QLabel(self.tr("When:"), self), when)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _connect_signals(self) -> None:
        self.program.currentIndexChanged.connect(self._show_program)
        self.repeat.toggled.connect(self.every.setEnabled)
        for box in (self.at_admission, self.repeat, self.at_discharge):
            box.toggled.connect(self._show_summary)
        self.every.valueChanged.connect(self._show_summary)
        self.length.valueChanged.connect(self._show_summary)
        self.measures.itemChanged.connect(self._show_summary)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _show_program(self, index: int) -> None:
        if 0 <= self._shown < len(self._programs):
            self._drafts[self._shown] = (self.schedule(), self.length_weeks())
        self._shown = index
        if not 0 <= index < len(self._programs):
            return
        program = self._programs[index]
        schedule, weeks = self._drafts.get(index, (program.schedule, program.length_weeks))
        self.length.setValue(weeks or NOT_SET)
        for row in range(self.measures.count()):
            item = self.measures.item(row)
            chosen = item.data(Qt.ItemDataRole.UserRole) in schedule.measures
            item.setCheckState(Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
        self.at_admission.setChecked(schedule.at_admission)
        self.repeat.setChecked(schedule.every_weeks is not None)
        self.every.setValue(schedule.every_weeks or 4)
        self.every.setEnabled(schedule.every_weeks is not None)
        self.at_discharge.setChecked(schedule.at_discharge)
        self.error.clear()
        self._show_summary()

    def _show_summary(self, *_args: object) -> None:
        """The schedule in one sentence, as the due lists will apply it."""
        schedule = self.schedule()
        names = [
            self.measures.item(row).text()
            for row in range(self.measures.count())
            if self.measures.item(row).checkState() == Qt.CheckState.Checked
        ]
        points = []
        if schedule.at_admission:
            points.append(self.tr("at admission"))
        if schedule.every_weeks:
            points.append(
                self.tr("every week")
                if schedule.every_weeks == 1
                else self.tr("every %1 weeks").replace("%1", str(schedule.every_weeks))
            )
        if schedule.at_discharge:
            points.append(
                self.tr("at discharge")
                if self.length_weeks()
                else self.tr("at discharge (no planned length: only once a discharge is set)")
            )
        if not names or not points:
            text = self.tr("No measure is scheduled: nothing will show as due for this program.")
        else:
            text = (
                self.tr("Due lists in Today and the runner will show %1 %2.")
                .replace("%1", ", ".join(names))
                .replace("%2", ", ".join(points))
            )
        self.summary.setText(text)

    def _on_buttons_accepted(self) -> None:
        if not self._programs:
            self.error.setText(self.tr("There is no program to set up."))
            return
        self._drafts[self._shown] = (self.schedule(), self.length_weeks())
        for index, (schedule, weeks) in sorted(self._drafts.items()):
            program = self._programs[index]
            if (_normal(schedule), weeks) == (_normal(program.schedule), program.length_weeks):
                continue  # unchanged (the order of the measures does not matter)
            try:
                self._save(program.program_id, schedule, weeks)
            except DomainError as error:
                self.program.setCurrentIndex(index)
                self.error.setText(f"{program.name}: {error}")
                return
            self._programs[index] = replace(program, schedule=schedule, length_weeks=weeks)
        self.accept()


def _normal(schedule: MeasureSchedule) -> MeasureSchedule:
    return replace(schedule, measures=tuple(sorted(schedule.measures)))


def open_schedule_dialog(clinic: Clinic, user: SignedInUser, parent: QWidget) -> bool:
    """Show the dialog for the clinic's programs; True when a schedule was saved."""
    measures = clinic.measures

    def save(program_id: uuid.UUID, schedule: MeasureSchedule, weeks: int | None) -> None:
        measures.set_program_schedule(user, program_id, schedule, weeks)

    dialog = MeasureScheduleDialog(measures.programs(), measures.definitions(), save, parent)
    return dialog.exec() == QDialog.DialogCode.Accepted
