"""Add or edit a curriculum topic: title, order, outline and objectives (one a line)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.services.curriculum_setup import TopicDetails
from ui.participant.form_parts import labelled_form, refusal_label, save_buttons
from ui.widgets import grow_to_fit


class TopicDialog(QDialog):
    """Ctrl+S saves through `save`; a refusal stays inline. Handouts are kept as they were."""

    def __init__(
        self,
        modality: str,
        editing: TopicDetails,
        save: Callable[[TopicDetails], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._editing = editing
        self._save = save
        self.setWindowTitle(self.tr("Topic of %1").replace("%1", modality))
        self.title = QLineEdit(editing.title, self)
        self.order = QSpinBox(self)
        self.order.setRange(1, 999)
        self.order.setValue(editing.order)
        self.outline = QPlainTextEdit(editing.outline, self)
        self.outline.setTabChangesFocus(True)
        self.objectives = QPlainTextEdit("\n".join(editing.objectives), self)
        self.objectives.setTabChangesFocus(True)
        self.objectives.setPlaceholderText(self.tr("One objective a line"))
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the topic (Ctrl+S)"))
        form = labelled_form(
            self,
            (
                (self.tr("&Title:"), self.title),
                (self.tr("&Order:"), self.order),
                (self.tr("O&utline:"), self.outline),
                (self.tr("O&bjectives:"), self.objectives),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, 520)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def details(self) -> TopicDetails:
        lines = self.objectives.toPlainText().splitlines()
        return TopicDetails(
            title=self.title.text(),
            order=self.order.value(),
            objectives=tuple(line.strip() for line in lines if line.strip()),
            outline=self.outline.toPlainText(),
            handouts=self._editing.handouts,
        )

    def _on_buttons_accepted(self) -> None:
        try:
            self._save(self.details())
        except DomainError as error:
            self.error.setText(str(error))
            grow_to_fit(self)
            return
        self.accept()
