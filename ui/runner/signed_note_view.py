"""A signed note in the runner: read only, as the record holds it, addenda after the original."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.services.signing_review import NoteRecord
from ui.colors import confirmation_style
from ui.review.note_record_html import note_record_html


class SignedNoteView(QWidget):
    """The note's content, signatures, review steps and signed addenda (the same read view as
    the review screen), with buttons for the note's actions (addendum, print, export)."""

    def __init__(self, actions: Sequence[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = QLabel(
            self.tr("Signed: this note is locked. Corrections are made with an addendum."), self
        )
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(confirmation_style())
        self.record = QTextBrowser(self)
        self.record.setOpenLinks(False)
        self.buttons: list[QToolButton] = []
        row = QHBoxLayout()
        row.addStretch(1)
        for action in actions:
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            row.addWidget(button)
            self.buttons.append(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.record, 1)
        layout.addLayout(row)

    def show_record(self, record: NoteRecord) -> None:
        self.record.setHtml(note_record_html(record))
