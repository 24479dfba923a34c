"""Note templates (administrators): the shipped GIRP, DAP, BIRP and SOAP (read-only; copy one
to make it the clinic's own) and the clinic's templates (add, edit, deactivate)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from facilitator.domain.notes import NoteTemplate
from facilitator.domain.users import SignedInUser
from facilitator.services.clinic_setup import ClinicSetup
from facilitator.services.note_templates import TemplateRow
from ui.models.row_table_model import Column
from ui.setup.note_template_dialog import NoteTemplateDialog
from ui.setup.setup_list_window import SetupListWindow

COLUMNS: tuple[Column[TemplateRow], ...] = (
    Column("Code", lambda r: r.template.code),
    Column("Name", lambda r: r.template.name),
    Column("Fields", lambda r: ", ".join(f.label for f in r.template.fields)),
    Column("Source", lambda r: "Shipped (read-only)" if r.shipped else "This clinic's"),
    Column(
        "Status", lambda r: "Active" if r.active else "Deactivated", flagged=lambda r: not r.active
    ),
)


class NoteTemplatesWindow(SetupListWindow[TemplateRow]):
    """Once signed notes use a template its fields stay as they were (the service refuses a
    change and says so): make a new template instead."""

    def __init__(
        self, setup: ClinicSetup, user: SignedInUser, parent: QWidget | None = None
    ) -> None:
        super().__init__(COLUMNS, lambda r: r.template.code, lambda r: r.active, parent)
        self.describe(
            self.tr("Note templates"),
            self.tr(
                "The formats notes are written on; each program chooses one and a group may "
                "choose its own. Shipped templates are read-only: open one and copy it to make "
                "a template of the clinic's own. Signed notes keep the text they were signed with."
            ),
            self.tr("&Template"),
            self.tr("&Add template…"),
        )
        self._setup = setup
        self.user = user
        self.finish_menu()
        self.refresh()

    def load(self) -> list[TemplateRow]:
        return self._setup.templates()

    def _save(self, template: NoteTemplate) -> None:
        self._setup.save_template(self.user, template)

    def add(self, start: NoteTemplate | None = None) -> None:
        dialog = NoteTemplateDialog(None, self._save, start=start, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.select(dialog.template().code)

    def edit(self, row: TemplateRow) -> None:
        dialog = NoteTemplateDialog(row.template, self._save, read_only=row.shipped, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.copy_requested:
            self.add(start=row.template)
            return
        self.refresh()

    def set_active(self, row: TemplateRow, active: bool) -> None:
        self._setup.set_template_active(self.user, row.template.code, active)
