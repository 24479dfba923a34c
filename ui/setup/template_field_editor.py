"""A note template's fields as a table: key, label, help, required (Space toggles). A field
the domain refuses (a bad key, no label, a key used twice) shows in red."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtWidgets import QVBoxLayout, QWidget

from facilitator.domain.clinic_setup import template_field
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import TemplateField
from ui.models.editable_row_model import EditableRowModel, EditColumn, Editor
from ui.setup.row_list_editor import RowListEditor


def field_problems(fields: Sequence[TemplateField]) -> dict[int, str]:
    """Row -> why the domain refuses the field."""
    problems: dict[int, str] = {}
    seen: set[str] = set()
    for position, field in enumerate(fields):
        try:
            template_field(
                {
                    "key": field.key,
                    "label": field.label,
                    "help": field.help,
                    "required": field.required,
                }
            )
        except DomainError as error:
            problems[position] = str(error)
            continue
        if field.key in seen:
            problems[position] = f"The field key {field.key} is used twice."
        seen.add(field.key)
    return problems


def _new_field(fields: Sequence[TemplateField], _selected: int | None) -> TemplateField:
    used = {f.key for f in fields}
    number = next(n for n in range(1, len(used) + 2) if f"field_{n}" not in used)
    return TemplateField(f"field_{number}", "", "", False)


class TemplateFieldEditor(QWidget):
    """Rows are the domain's TemplateField (quick phrases are kept as they were)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        columns: tuple[EditColumn[TemplateField], ...] = (
            EditColumn(
                tr("Key"),
                lambda r: r.key,
                lambda r: r.key,
                lambda r, v: replace(r, key=str(v).strip()),
                tooltip=tr("Lowercase letters, digits and _; stored with each note"),
            ),
            EditColumn(
                tr("Label"),
                lambda r: r.label,
                lambda r: r.label,
                lambda r, v: replace(r, label=str(v)),
            ),
            EditColumn(
                tr("Required"),
                lambda r: tr("Required") if r.required else tr("Optional"),
                lambda r: r.required,
                lambda r, v: replace(r, required=bool(v)),
                Editor.CHECK,
                tooltip=tr("Space toggles: a note cannot be signed with this field empty"),
            ),
            EditColumn(
                tr("Help"),
                lambda r: r.help,
                lambda r: r.help,
                lambda r, v: replace(r, help=str(v)),
                tooltip=tr("Shown to the clinician under the field's label"),
            ),
        )
        model = EditableRowModel(columns, field_problems, self)
        self.editor: RowListEditor[TemplateField] = RowListEditor(
            model, _new_field, (tr("Add &field"), tr("Remove fi&eld")), self
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)

    def set_fields(self, fields: Sequence[TemplateField]) -> None:
        self.editor.set_rows(fields)

    def fields(self) -> list[TemplateField]:
        return self.editor.rows()

    def set_read_only(self, read_only: bool) -> None:
        self.editor.set_read_only(read_only)

    def problem_text(self) -> str:
        return self.editor.problem_text()
