"""Add or edit a modality (yoga, art, family, 12-step facilitation...): code, name,
description."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.services.curriculum_setup import ModalityDetails
from ui.participant.form_parts import labelled_form, refusal_label, save_buttons
from ui.widgets import grow_to_fit


class ModalityDialog(QDialog):
    """Ctrl+S saves through `save`; a refusal stays inline with what was typed."""

    def __init__(
        self,
        editing: ModalityDetails | None,
        save: Callable[[ModalityDetails], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._editing = editing or ModalityDetails(code="", name="")
        self._save = save
        self.setWindowTitle(self.tr("Edit modality") if editing else self.tr("Add modality"))
        self.code = QLineEdit(self._editing.code, self)
        self.code.setReadOnly(editing is not None)
        self.code.setPlaceholderText(self.tr("for example YOGA (never changes)"))
        self.name = QLineEdit(self._editing.name, self)
        self.description = QPlainTextEdit(self._editing.description, self)
        self.description.setTabChangesFocus(True)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the modality (Ctrl+S)"))
        form = labelled_form(
            self,
            (
                (self.tr("&Code:"), self.code),
                (self.tr("&Name:"), self.name),
                (self.tr("&Description:"), self.description),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def details(self) -> ModalityDetails:
        return replace(
            self._editing,
            code=self.code.text().strip().upper(),
            name=self.name.text(),
            description=self.description.toPlainText(),
        )

    def _on_buttons_accepted(self) -> None:
        try:
            self._save(self.details())
        except DomainError as error:
            self.error.setText(str(error))
            grow_to_fit(self)
            return
        self.accept()
