"""The participant window's progress actions: record a measure, see results and correct one
entered wrongly or mark one entered in error, set the recovery start date."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.measure_results import MeasureResultRow
from ui.participant.entered_in_error_dialog import EnteredInErrorDialog, measure_result_dialog
from ui.participant.measure_dialog import MeasureDialog, MeasureEntry
from ui.participant.measure_results_dialog import MeasureResultsDialog
from ui.participant.record_actions import RecordActions


class ProgressActions(RecordActions):
    """Each action opens its dialog; `records_changed` fires after anything is saved."""

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        participant_id: uuid.UUID,
        today: Callable[[], date],
        window: QWidget,
    ) -> None:
        super().__init__(clinic, user, participant_id, today, window)
        self.record_measure = self._action(self.tr("Record a &measure…"), "Ctrl+M")
        self.measure_results = self._action(
            self.tr("Measure res&ults and corrections…"), "Ctrl+Shift+M"
        )
        self.recovery_start = self._action(self.tr("Set &recovery start date…"), "Ctrl+Shift+R")
        self.record_measure.triggered.connect(self._on_record_measure_triggered)
        self.measure_results.triggered.connect(self._on_measure_results_triggered)
        self.recovery_start.triggered.connect(self._on_recovery_start_triggered)

    @property
    def actions(self) -> list[QAction]:
        return [self.record_measure, self.measure_results, self.recovery_start]

    def measure_dialog(self) -> MeasureDialog:
        today = self._today()

        def save(entry: MeasureEntry) -> object:
            return self._clinic.measures.record(
                self._user, self._participant_id, entry.code, entry.day, entry.scores, today
            )

        return MeasureDialog(self._clinic.measures.definitions(), today, save, self._window)

    def correction_dialog(self, row: MeasureResultRow) -> MeasureDialog:
        """The result's measure, date and scores to correct, with the reason asked."""
        today = self._today()

        def save(entry: MeasureEntry) -> object:
            return self._clinic.measures.correct(
                self._user, row.result_id, entry.day, entry.scores, entry.reason, today
            )

        definition = self._clinic.measures.definition(row.code)
        return MeasureDialog([definition], today, save, self._window, correcting=row)

    def entered_in_error_dialog(self, row: MeasureResultRow) -> EnteredInErrorDialog:
        """Mark the result entered in error, with the reason asked."""

        def mark(reason: str) -> object:
            return self._clinic.measures.mark_entered_in_error(self._user, row.result_id, reason)

        return measure_result_dialog(row, mark, self._window)

    def results_dialog(self) -> MeasureResultsDialog:
        """Every result, those entered in error too (struck through)."""
        return MeasureResultsDialog(
            lambda: self._clinic.measures.results(self._participant_id, entered_in_error=True),
            self._clinic.measures.history,
            lambda row: self._saved(self.correction_dialog(row)),
            lambda row: self._saved(self.entered_in_error_dialog(row)),
            self._window,
        )

    def _saved(self, dialog: QDialog) -> bool:
        """Show `dialog`; True (and the window told to reload) when it saved."""
        if dialog.exec():
            self.records_changed.emit()
            return True
        return False

    def _on_record_measure_triggered(self) -> None:
        self._run(self.measure_dialog())

    def _on_measure_results_triggered(self) -> None:
        self.results_dialog().exec()

    def _on_recovery_start_triggered(self) -> None:
        current = self._clinic.measures.recovery_start(self._participant_id)
        text, accepted = QInputDialog.getText(
            self._window,
            self.tr("Recovery start date"),
            self.tr(
                "The day recovery started (YYYY-MM-DD), for the 30, 60, 90 day, 6 month and "
                "1 year milestones. Leave empty to clear it."
            ),
            text=current.isoformat() if current else "",
        )
        if not accepted or text.strip() == (current.isoformat() if current else ""):
            return
        try:
            day = date.fromisoformat(text.strip()) if text.strip() else None
        except ValueError:
            self._refused(self.tr("Recovery start not changed"), f"{text!r} is not a date.")
            return
        self._apply(
            self.tr("Recovery start not changed"),
            lambda: self._clinic.measures.set_recovery_start(
                self._user, self._participant_id, day, self._today()
            ),
        )

    def _apply(self, title: str, change: Callable[[], object]) -> None:
        try:
            change()
        except DomainError as error:
            self._refused(title, str(error))
            return
        self.records_changed.emit()

    def _refused(self, title: str, message: str) -> None:
        QMessageBox.warning(self._window, title, message)
