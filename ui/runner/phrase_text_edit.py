"""A note field: plain text, Tab moves on, Ctrl+Space offers the field's quick phrases."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QWidget

QUICK_PHRASE_KEYS = "Ctrl+Space"


class PhraseTextEdit(QPlainTextEdit):
    """Inserts a chosen quick phrase at the cursor, ready to be finished by hand."""

    def __init__(self, phrases: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.phrases = list(phrases)
        self.setTabChangesFocus(True)
        self.setMinimumHeight(56)
        self.setMaximumHeight(100)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() == Qt.Key.Key_Space
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier
        ):
            self.show_phrases()
            return
        super().keyPressEvent(event)

    def phrase_menu(self) -> QMenu:
        menu = QMenu(self)
        for number, phrase in enumerate(self.phrases, start=1):
            label = phrase.strip().replace("&", "&&")
            prefix = f"&{number} " if number < 10 else ""
            action = menu.addAction(prefix + label)
            action.triggered.connect(lambda _=False, p=phrase: self.insert_phrase(p))
        if not self.phrases:
            menu.addAction(self.tr("No quick phrases for this field")).setEnabled(False)
        return menu

    def show_phrases(self) -> None:
        position = self.viewport().mapToGlobal(self.cursorRect().bottomLeft())
        self.phrase_menu().exec(position)

    def insert_phrase(self, phrase: str) -> None:
        cursor = self.textCursor()
        before = self.toPlainText()[: cursor.position()]
        spacer = " " if before and not before[-1].isspace() else ""
        cursor.insertText(f"{spacer}{phrase.strip()} ")
        self.setTextCursor(cursor)
        self.setFocus()
