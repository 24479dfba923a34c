"""Settings: edit the quick phrases offered in each field of a note template."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteTemplate
from facilitator.services.quick_phrases import QuickPhrases


class QuickPhrasesDialog(QDialog):
    """One phrase per line, per field; saved when the user picks another field or closes."""

    def __init__(
        self, phrases: QuickPhrases, template: NoteTemplate, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Quick phrases: %1").replace("%1", template.name))
        self._phrases = phrases
        self._template = template
        self._current: str | None = None
        self.fields = QListWidget(self)
        for field in template.fields:
            self.fields.addItem(field.label)
        self.editor = QPlainTextEdit(self)
        self.editor.setPlaceholderText(self.tr("One phrase per line"))
        self.restore = QPushButton(self.tr("Restore the shipped phrases"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        right = QVBoxLayout()
        right.addWidget(QLabel(self.tr("Phrases offered with Ctrl+Space, one per line:"), self))
        right.addWidget(self.editor, 1)
        right.addWidget(self.restore)
        body = QHBoxLayout()
        body.addWidget(self.fields)
        body.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.fields.currentRowChanged.connect(self._on_fields_current_row_changed)
        self.restore.clicked.connect(self._on_restore_clicked)
        buttons.rejected.connect(self.accept)
        self.resize(760, 420)
        self.fields.setCurrentRow(0)

    def accept(self) -> None:
        if self._save():
            super().accept()

    def _save(self) -> bool:
        if self._current is None:
            return True
        lines = self.editor.toPlainText().splitlines()
        try:
            self._phrases.set_phrases(self._template.code, self._current, lines)
        except DomainError as error:
            QMessageBox.warning(self, self.tr("Quick phrases not saved"), str(error))
            return False
        return True

    def _on_fields_current_row_changed(self, row: int) -> None:
        if row < 0 or not self._save():
            return
        self._current = self._template.fields[row].key
        self.editor.setPlainText(
            "\n".join(self._phrases.phrases(self._template.code, self._current))
        )

    def _on_restore_clicked(self) -> None:
        if self._current is not None:
            shipped = self._phrases.restore_shipped(self._template.code, self._current)
            self.editor.setPlainText("\n".join(shipped))
