"""Correct a block whose notes are signed: its times, topic, interventions and group note, a
reason, the password; each signed note of the block gets a signed addendum saying was/now."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time

from PySide6.QtCore import QTime
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.content import SignatureText
from facilitator.domain.users import SignedInUser
from facilitator.services.block_correction import BlockChange
from facilitator.services.session_sheet import BlockSheet
from ui.dialogs.signature_form import SignatureForm
from ui.widgets import page_title

Correct = Callable[[str, BlockChange, str], object]
"""correct(password, change, reason): raises DomainError when refused."""


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def _time(edit: QTimeEdit) -> time:
    return time(edit.time().hour(), edit.time().minute())


class BlockCorrectionDialog(QDialog):
    """The block's service as recorded, editable; only what changed is corrected."""

    def __init__(
        self,
        user: SignedInUser,
        block: BlockSheet,
        words: SignatureText,
        correct: Correct,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._block = block
        self._correct = correct
        self.setWindowTitle(self.tr("Correct block"))
        self.start = QTimeEdit(_qtime(block.span.start), self)
        self.end = QTimeEdit(_qtime(block.span.end), self)
        for edit in (self.start, self.end):
            edit.setDisplayFormat("HH:mm")
        self.topic = QLineEdit(block.topic, self)
        self.interventions = QLineEdit(", ".join(block.interventions), self)
        self.interventions.setToolTip(self.tr("Interventions used, separated by commas"))
        self.other = QLineEdit(block.other_interventions, self)
        self.group_note = QPlainTextEdit(block.group_note, self)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("Why the block is corrected (required)"))
        self.signature = SignatureForm(user, words, self.tr("Sign correction"), self)
        self.password = self.signature.password
        self.error = self.signature.error
        self.signature.sign_button.setToolTip(self.tr("Sign correction (Ctrl+Enter)"))
        self.accept_action = QAction(self)
        self.accept_action.setShortcut(QKeySequence("Ctrl+Return"))
        self.addAction(self.accept_action)
        form = QFormLayout()
        form.addRow(self.tr("&Started:"), self.start)
        form.addRow(self.tr("&Ended:"), self.end)
        form.addRow(self.tr("&Topic:"), self.topic)
        form.addRow(self.tr("&Interventions:"), self.interventions)
        form.addRow(self.tr("&Other interventions:"), self.other)
        form.addRow(self.tr("&Group note:"), self.group_note)
        form.addRow(self.tr("&Reason:"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(page_title(self.tr("Correct block: ") + block.modality, self))
        layout.addLayout(form)
        layout.addWidget(self.signature)
        self.setMinimumWidth(600)
        self._connect_signals()
        self.end.setFocus()

    def _connect_signals(self) -> None:
        self.signature.buttons.accepted.connect(self._on_buttons_accepted)
        self.accept_action.triggered.connect(self._on_buttons_accepted)
        self.signature.buttons.rejected.connect(self.reject)

    def change(self) -> BlockChange:
        """What differs from the block as recorded (None: left as it is)."""
        block = self._block
        start, end = _time(self.start), _time(self.end)
        topic = self.topic.text().strip()
        ticked = tuple(i.strip() for i in self.interventions.text().split(",") if i.strip())
        note = self.group_note.toPlainText().strip()
        return BlockChange(
            actual_start=start if start != block.span.start else None,
            actual_end=end if end != block.span.end else None,
            free_topic=topic if topic != block.topic else None,
            interventions=ticked if ticked != tuple(block.interventions) else None,
            other_interventions=self.other.text()
            if self.other.text().strip() != block.other_interventions
            else None,
            group_note=note if note != block.group_note.strip() else None,
        )

    def _on_buttons_accepted(self) -> None:
        change, reason = self.change(), self.reason.text()
        if self.signature.sign(lambda password: self._correct(password, change, reason)):
            self.accept()
