"""Mark a record entered in error (a measure result, or a discharge whose summary is a draft):
the reason is asked; the record stays, marked, with who, when and why."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.services.discharge import DischargeRow
from facilitator.services.measure_results import MeasureResultRow
from ui.participant.form_parts import labelled_form, refusal_label

Mark = Callable[[str], object]  # the reason


class EnteredInErrorDialog(QDialog):
    """Ctrl+S or the Mark button saves; a refused mark keeps the dialog open with why.

    `what` names the record in the title, tooltip and the reason's accessible name ("the
    result"); `intro` says which record, `kept` what becomes of it."""

    def __init__(
        self, what: str, intro: str, kept: str, mark: Mark, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._mark = mark
        self.setWindowTitle(self.tr("Mark %1 entered in error").replace("%1", what))
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        self.kept = QLabel(kept, self)
        self.kept.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setMaxLength(500)
        self.reason.setPlaceholderText(self.tr("e.g. recorded for the wrong participant"))
        self.reason.setAccessibleName(self.tr("Reason %1 was entered in error").replace("%1", what))
        self.error = refusal_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.mark_button = self.buttons.addButton(
            self.tr("&Mark entered in error"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.mark_button.setShortcut(QKeySequence.StandardKey.Save)
        self.mark_button.setToolTip(
            self.tr("Mark %1 entered in error (Ctrl+S)").replace("%1", what)
        )
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


def measure_result_dialog(
    row: MeasureResultRow, mark: Mark, parent: QWidget | None = None
) -> EnteredInErrorDialog:
    """For a result recorded for the wrong participant, or never given."""
    intro = (
        _tr(
            "Mark %1 given %2 (total %3 of %4, %5) entered in error: recorded for the wrong "
            "participant, or never given."
        )
        .replace("%1", row.name)
        .replace("%2", row.taken_on.isoformat())
        .replace("%3", str(row.total))
        .replace("%4", str(row.high))
        .replace("%5", row.band)
    )
    kept = _tr(
        "It stays in the record and in its history, struck through, with your name, the "
        "time and this reason, and counts nowhere from then on: totals, plots, the "
        "measures due, the risk highlight, the discharge summary. The mark cannot be "
        "undone or corrected; a result given but scored wrongly is corrected instead."
    )
    return EnteredInErrorDialog(_tr("a measure result"), intro, kept, mark, parent)


def discharge_dialog(
    name: str, row: DischargeRow, mark: Mark, parent: QWidget | None = None
) -> EnteredInErrorDialog:
    """For a discharge recorded for the wrong participant or on the wrong date, while its
    summary is a draft."""
    intro = (
        _tr(
            "Mark the discharge of %1 on %2 (%3) entered in error: recorded for the wrong "
            "participant or on the wrong date."
        )
        .replace("%1", name)
        .replace("%2", row.discharged.isoformat())
        .replace("%3", row.reason.label)
    )
    kept = _tr(
        "The enrollment reopens as if it had not been discharged: back on the rosters "
        "and attending again; discharge again on the right day if needed. The discharge "
        "stays in the record, marked with your name, the time and this reason. The mark "
        "cannot be undone; a signed discharge summary is corrected, never marked."
    )
    return EnteredInErrorDialog(_tr("the discharge"), intro, kept, mark, parent)


def _tr(text: str) -> str:
    return QCoreApplication.translate("EnteredInErrorDialog", text)
