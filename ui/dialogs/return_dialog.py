"""Return a note to its author with a comment saying what to address."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from ui.colors import warning_style
from ui.widgets import page_title


class ReturnDialog(QDialog):
    """`send(comment)` returns the note; a refusal keeps the dialog open."""

    def __init__(
        self, about: str, send: Callable[[str], object], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._send = send
        self.setWindowTitle(self.tr("Return to author"))
        self.comment = QPlainTextEdit(self)
        self.comment.setPlaceholderText(
            self.tr("What should the author address? They answer with an addendum.")
        )
        self.error = QLabel(self)
        self.error.setStyleSheet(warning_style(bold=True))
        self.error.hide()
        self.buttons = QDialogButtonBox(self)
        button = self.buttons.addButton(
            self.tr("Return to author"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.accept_action = QAction(self)
        self.accept_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.addAction(self.accept_action)
        button.setToolTip(self.tr("Return to author (Ctrl+Enter)"))
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Return ") + about, self))
        layout.addWidget(self.comment, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, 320)
        self._connect_signals()
        self.comment.setFocus()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.accept_action.triggered.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        try:
            self._send(self.comment.toPlainText())
        except DomainError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.accept()
