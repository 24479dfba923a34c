"""Mark a discharge entered in error (the wrong participant or the wrong date) while its summary
is a draft: the reason is asked; the discharge stays in the record, marked, and the enrollment
reopens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.services.discharge import DischargeRow
from ui.participant.form_parts import labelled_form, refusal_label

Mark = Callable[[str], object]  # the reason


class DischargeErrorDialog(QDialog):
    """Ctrl+S or the Mark button saves; a refused mark keeps the dialog open with why."""

    def __init__(
        self, name: str, row: DischargeRow, mark: Mark, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._mark = mark
        self.setWindowTitle(self.tr("Mark the discharge entered in error"))
        self.intro = QLabel(
            self.tr(
                "Mark the discharge of %1 on %2 (%3) entered in error: recorded for the wrong "
                "participant or on the wrong date."
            )
            .replace("%1", name)
            .replace("%2", row.discharged.isoformat())
            .replace("%3", row.reason.label),
            self,
        )
        self.intro.setWordWrap(True)
        self.kept = QLabel(
            self.tr(
                "The enrollment reopens as if it had not been discharged: back on the rosters "
                "and attending again; discharge again on the right day if needed. The discharge "
                "stays in the record, marked with your name, the time and this reason. The mark "
                "cannot be undone; a signed discharge summary is corrected, never marked."
            ),
            self,
        )
        self.kept.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("e.g. recorded for the wrong participant"))
        self.reason.setAccessibleName(self.tr("Reason the discharge was entered in error"))
        self.error = refusal_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.mark_button = self.buttons.addButton(
            self.tr("&Mark entered in error"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.mark_button.setShortcut(QKeySequence.StandardKey.Save)
        self.mark_button.setToolTip(self.tr("Mark the discharge entered in error (Ctrl+S)"))
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
