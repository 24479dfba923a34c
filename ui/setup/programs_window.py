"""Programs (administrators): list, add, edit, deactivate; the measure schedule from here."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QWidget

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.programs_setup import ProgramDetails, ProgramRow
from ui.models.row_table_model import Column
from ui.programs.measure_schedule_dialog import open_schedule_dialog
from ui.setup.program_dialog import ProgramDialog
from ui.setup.setup_list_window import SetupListWindow
from ui.widgets import duration_text

COLUMNS: tuple[Column[ProgramRow], ...] = (
    Column("Name", lambda r: r.details.name),
    Column("Level of care", lambda r: r.details.level_of_care),
    Column("Days a week", lambda r: str(r.details.days_per_week), align_right=True),
    Column(
        "Daily minimum",
        lambda r: duration_text(r.details.daily_minimum_minutes),
        lambda r: r.details.daily_minimum_minutes,
    ),
    Column(
        "Weekly target",
        lambda r: duration_text(r.details.weekly_target_minutes),
        lambda r: r.details.weekly_target_minutes,
    ),
    Column("Note template", lambda r: r.details.note_template),
    Column("Late entry after", lambda r: f"{r.details.late_entry_hours} h"),
    Column("Service codes", lambda r: ", ".join(c.code for c in r.details.service_codes)),
    Column("Groups", lambda r: str(r.groups), lambda r: r.groups, align_right=True),
    Column(
        "Status", lambda r: "Active" if r.active else "Deactivated", flagged=lambda r: not r.active
    ),
)


class ProgramsWindow(SetupListWindow[ProgramRow]):
    """A program is never deleted (its groups' records refer to it): deactivate it."""

    programs_changed = Signal()

    def __init__(self, clinic: Clinic, user: SignedInUser, parent: QWidget | None = None) -> None:
        super().__init__(COLUMNS, lambda r: r.id, lambda r: r.active, parent)
        self.describe(
            self.tr("Programs"),
            self.tr(
                "Each level of care the clinic runs: the days and minutes it requires, the note "
                "template its groups write on, and the codes it bills. A program with active "
                "groups cannot be deactivated."
            ),
            self.tr("&Program"),
            self.tr("&Add program…"),
        )
        self._clinic = clinic
        self._setup = clinic.setup
        self.user = user
        self.measures_action = self.action(
            self.tr("&Measure schedule…"), "Ctrl+M", self.edit_measure_schedule
        )
        self.add_button(self.measures_action)
        self.finish_menu()
        self.refresh()

    def load(self) -> list[ProgramRow]:
        return self._setup.programs()

    def _dialog(self, editing: ProgramRow | None) -> ProgramDialog:
        templates = [
            (t.template.code, t.template.name) for t in self._setup.templates() if t.active
        ]
        modalities = [m.details.code for m in self._setup.modalities() if m.active]
        return ProgramDialog(editing, templates, modalities, self._save, self)

    def _save(self, program_id: uuid.UUID | None, details: ProgramDetails) -> uuid.UUID:
        return self._setup.save_program(self.user, program_id, details)

    def add(self) -> None:
        self._run(self._dialog(None))

    def edit(self, row: ProgramRow) -> None:
        self._run(self._dialog(row))

    def _run(self, dialog: ProgramDialog) -> None:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved_id is not None:
            self.refresh()
            self.select(dialog.saved_id)
            self.programs_changed.emit()

    def set_active(self, row: ProgramRow, active: bool) -> None:
        self._setup.set_program_active(self.user, row.id, active)
        self.programs_changed.emit()

    def edit_measure_schedule(self) -> None:
        if open_schedule_dialog(self._clinic, self.user, self):
            self.refresh()
            self.programs_changed.emit()
