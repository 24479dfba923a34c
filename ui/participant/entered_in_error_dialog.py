"""Mark a measure result entered in error (the wrong participant, or never given): the reason
is asked; the result stays in its history, struck through, and counts nowhere from then on."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.services.measure_results import MeasureResultRow
from ui.participant.form_parts import labelled_form, refusal_label

Mark = Callable[[str], object]  # the reason


class EnteredInErrorDialog(QDialog):
    """Ctrl+S or the Mark button saves; a refused mark keeps the dialog open with why."""

    def __init__(self, row: MeasureResultRow, mark: Mark, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mark = mark
        self.setWindowTitle(self.tr("Mark a measure result entered in error"))
        self.intro = QLabel(
            self.tr(
                "Mark %1 given %2 (total %3 of %4, %5) entered in error: recorded for the wrong "
                "participant, or never given."
            )
            .replace("%1", row.name)
            .replace("%2", row.taken_on.isoformat())
            .replace("%3", str(row.total))
            .replace("%4", str(row.high))
            .replace("%5", row.band),
            self,
        )
        self.intro.setWordWrap(True)
        self.kept = QLabel(
            self.tr(
                "It stays in the record and in its history, struck through, with your name, the "
                "time and this reason, and counts nowhere from then on: totals, plots, the "
                "measures due, the risk highlight, the discharge summary. The mark cannot be "
                "undone or corrected; a result given but scored wrongly is corrected instead."
            ),
            self,
        )
        self.kept.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("e.g. recorded for the wrong participant"))
        self.reason.setAccessibleName(self.tr("Reason the result was entered in error"))
        self.error = refusal_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.mark_button = self.buttons.addButton(
            self.tr("&Mark entered in error"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.mark_button.setShortcut(QKeySequence.StandardKey.Save)
        self.mark_button.setToolTip(self.tr("Mark the result entered in error (Ctrl+S)"))
        self.mark_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(labelled_form(self, ((self.tr("&Reason:"), self.reason),)))
        layout.addWidget(self.kept)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        try:
            self._mark(self.reason.text())
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()
