"""A program's billing codes as a table: code, description, per day or block, modalities,
modifiers, telehealth modifiers, minimum minutes, minutes per unit and the places of service
in person and by telehealth. A code the domain refuses shows in red."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtWidgets import QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.domain.service_codes import (
    OFFICE,
    TELEHEALTH_HOME,
    ServiceCode,
    check_service_codes,
)
from ui.models.editable_row_model import EditableRowModel, EditColumn, Editor
from ui.setup.row_list_editor import RowListEditor


@dataclass(frozen=True)
class CodeDraft:
    """A service code as typed: lists as comma-separated text, checked only on save."""

    code: str = ""
    description: str = ""
    per: str = "day"
    modalities: str = ""
    modifiers: str = ""
    telehealth_modifiers: str = ""
    minimum_minutes: int | None = None
    unit_minutes: int | None = None
    place_of_service: str = OFFICE
    telehealth_place_of_service: str = TELEHEALTH_HOME

    @classmethod
    def of(cls, code: ServiceCode) -> CodeDraft:
        return cls(
            code.code,
            code.description,
            code.per,
            ", ".join(code.modalities),
            ", ".join(code.modifiers),
            ", ".join(code.telehealth_modifiers),
            code.minimum_minutes,
            code.unit_minutes,
            code.place_of_service,
            code.telehealth_place_of_service,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "description": self.description,
            "per": self.per,
            "modalities": _items(self.modalities),
            "modifiers": _items(self.modifiers),
            "telehealth_modifiers": _items(self.telehealth_modifiers),
            "minimum_minutes": self.minimum_minutes,
            "unit_minutes": self.unit_minutes,
            "place_of_service": self.place_of_service,
            "telehealth_place_of_service": self.telehealth_place_of_service,
        }

    def service_code(self) -> ServiceCode:
        """The domain's code (SetupError says what is wrong)."""
        return ServiceCode.from_dict(self.as_dict())


def _items(text: str) -> list[str]:
    return [item.strip().upper() for item in text.split(",") if item.strip()]


def code_problems(drafts: Sequence[CodeDraft], modalities: Sequence[str]) -> dict[int, str]:
    """Row -> why the domain refuses it (a bad code or modifier, an unknown modality, a code
    listed twice)."""
    problems: dict[int, str] = {}
    accepted: list[ServiceCode] = []
    for position, draft in enumerate(drafts):
        try:
            code = draft.service_code()
            check_service_codes([*accepted, code], modalities)
        except DomainError as error:
            problems[position] = str(error)
            continue
        accepted.append(code)
    return problems


def _text_column(title: str, field: str, tooltip: str) -> EditColumn[CodeDraft]:
    """A column editing the draft's text `field` as typed (trimmed)."""
    return EditColumn(
        title,
        lambda r: getattr(r, field),
        lambda r: getattr(r, field),
        lambda r, v: replace(r, **{field: str(v).strip()}),
        tooltip=tooltip,
    )


def _minutes_column(title: str, field: str, tooltip: str) -> EditColumn[CodeDraft]:
    """A column editing the draft's minutes `field` (none: not set)."""
    return EditColumn(
        title,
        lambda r: f"{getattr(r, field)} min" if getattr(r, field) else "",
        lambda r: getattr(r, field),
        lambda r, v: replace(r, **{field: v}),
        Editor.MINUTES,
        tooltip=tooltip,
    )


class ServiceCodeEditor(QWidget):
    """`modalities` are the clinic's modality codes (a code may be limited to some)."""

    def __init__(self, modalities: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        known = tuple(modalities)
        tr = self.tr
        columns: tuple[EditColumn[CodeDraft], ...] = (
            EditColumn(
                tr("Code"),
                lambda r: r.code,
                lambda r: r.code,
                lambda r, v: replace(r, code=str(v).strip().upper()),
                tooltip=tr("HCPCS (H0015) or CPT (90853)"),
            ),
            EditColumn(
                tr("Description"),
                lambda r: r.description,
                lambda r: r.description,
                lambda r, v: replace(r, description=str(v)),
            ),
            EditColumn(
                tr("Per"),
                lambda r: r.per,
                lambda r: r.per,
                lambda r, v: replace(r, per=str(v)),
                Editor.CHOICE,
                ((tr("day"), "day"), (tr("block"), "block")),
            ),
            EditColumn(
                tr("Modalities"),
                lambda r: r.modalities or tr("(every modality)"),
                lambda r: r.modalities,
                lambda r, v: replace(r, modalities=str(v)),
                tooltip=tr("Comma-separated modality codes; empty: every modality"),
            ),
            _text_column(tr("Modifiers"), "modifiers", tr("Comma-separated, for example HQ")),
            _text_column(
                tr("Telehealth modifiers"),
                "telehealth_modifiers",
                tr("Added when attended by video or telephone, for example 95 or GT"),
            ),
            _minutes_column(
                tr("Minimum"),
                "minimum_minutes",
                tr("A day or block shorter than this is not billed"),
            ),
            _minutes_column(
                tr("Unit"),
                "unit_minutes",
                tr("Minutes of one billed unit; none: one unit per day or block"),
            ),
            _text_column(
                tr("Place"),
                "place_of_service",
                tr("Place of service in person, two digits (11: office)"),
            ),
            _text_column(
                tr("Telehealth place"),
                "telehealth_place_of_service",
                tr("Place of service by video or telephone (10: patient's home, 02: other)"),
            ),
        )
        model = EditableRowModel(columns, lambda rows: code_problems(rows, known), self)
        self.editor: RowListEditor[CodeDraft] = RowListEditor(
            model, lambda _rows, _selected: CodeDraft(), (tr("Add &code"), tr("Remove cod&e")), self
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)

    def set_codes(self, codes: Sequence[ServiceCode]) -> None:
        self.editor.set_rows([CodeDraft.of(code) for code in codes])

    def codes(self) -> tuple[ServiceCode, ...]:
        """The codes as the domain reads them (SetupError for the first bad one)."""
        return tuple(draft.service_code() for draft in self.editor.rows())

    def problem_text(self) -> str:
        return self.editor.problem_text()
