"""Add or edit a note template: code, name, description and its fields. A shipped template is
shown read-only; "Copy to edit" starts a new template from it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteTemplate
from ui.participant.form_parts import labelled_form, refusal_label, save_buttons
from ui.setup.template_field_editor import TemplateFieldEditor
from ui.widgets import grow_to_fit

Save = Callable[[NoteTemplate], object]


class NoteTemplateDialog(QDialog):
    """`editing` None: a new template (from `start` if given, a copy). `read_only`: a shipped
    template, with Copy to edit (`copy_requested` is set when chosen) instead of Save."""

    def __init__(
        self,
        editing: NoteTemplate | None,
        save: Save,
        read_only: bool = False,
        start: NoteTemplate | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.copy_requested = False
        shown = editing or start
        title = self.tr("Note template") if read_only else self.tr("Edit note template")
        self.setWindowTitle(title if editing else self.tr("Add note template"))
        self.code = QLineEdit(editing.code if editing else "", self)
        self.code.setReadOnly(editing is not None)
        self.code.setPlaceholderText(self.tr("for example GROUP-DAP (never changes)"))
        self.name = QLineEdit(shown.name if shown else "", self)
        self.name.setReadOnly(read_only)
        self.description = QPlainTextEdit(shown.description if shown else "", self)
        self.description.setReadOnly(read_only)
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.fields = TemplateFieldEditor(self)
        self.fields.set_fields(shown.fields if shown else ())
        self.fields.set_read_only(read_only)
        self.error = refusal_label(self)
        if read_only:
            self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
            self.copy_button = QPushButton(self.tr("Co&py to edit…"), self)
            self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.copy_button.clicked.connect(self._on_copy_button_clicked)
        else:
            self.buttons = save_buttons(self, self.tr("Save the template (Ctrl+S)"))
        form = labelled_form(
            self,
            (
                (self.tr("&Code:"), self.code),
                (self.tr("&Name:"), self.name),
                (self.tr("&Description:"), self.description),
                (self.tr("Fields:"), self.fields),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(860, 560)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def template(self) -> NoteTemplate:
        return NoteTemplate(
            self.code.text().strip().upper(),
            self.name.text(),
            self.description.toPlainText(),
            tuple(self.fields.fields()),
        )

    def _on_buttons_accepted(self) -> None:
        problems = self.fields.problem_text()
        if problems:
            self.error.setText(self.tr("Nothing was saved. Correct the fields: ") + problems)
            grow_to_fit(self)
            return
        try:
            self._save(self.template())
        except DomainError as error:
            self.error.setText(str(error))
            grow_to_fit(self)
            return
        self.accept()

    def _on_copy_button_clicked(self) -> None:
        self.copy_requested = True
        self.accept()
