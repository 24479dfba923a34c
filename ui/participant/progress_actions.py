"""The participant window's Record menu: measures, recovery start, discharge and its summary."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from facilitator import content
from facilitator.app import Clinic
from facilitator.domain.discharge import DischargeRequest
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.discharge import ATTESTATION, MEANING, DischargeRow
from reports import discharge_summary
from ui.dialogs.sign_dialog import SignDialog
from ui.participant.discharge_dialog import DischargeDialog
from ui.participant.measure_dialog import MeasureDialog


class ProgressActions(QObject):
    """Each action opens its dialog; `records_changed` fires after anything is saved."""

    records_changed = Signal()

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        participant_id: uuid.UUID,
        name: Callable[[], str],
        today: Callable[[], date],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._clinic = clinic
        self._user = user
        self._participant_id = participant_id
        self._name = name
        self._today = today
        self._window = window
        self.record_measure = self._action(self.tr("Record a &measure…"), "Ctrl+M")
        self.recovery_start = self._action(self.tr("Set &recovery start date…"), "Ctrl+Shift+R")
        self.discharge = self._action(self.tr("&Discharge or edit the plan…"), "Ctrl+Shift+D")
        self.sign_summary = self._action(self.tr("&Sign the discharge summary…"), "Ctrl+Shift+G")
        self.export_summary = self._action(
            self.tr("&Export the discharge summary (PDF)…"), "Ctrl+Shift+X"
        )
        self._connect_signals()

    @property
    def actions(self) -> list[QAction]:
        return [
            self.record_measure,
            self.recovery_start,
            self.discharge,
            self.sign_summary,
            self.export_summary,
        ]

    def update_state(self, discharge: DischargeRow | None, enrolled: bool) -> None:
        """Enable what applies: sign a draft summary, export any, discharge while enrolled."""
        self.discharge.setEnabled(enrolled or (discharge is not None and not discharge.signed))
        self.sign_summary.setEnabled(discharge is not None and not discharge.signed)
        self.export_summary.setEnabled(discharge is not None)

    def _action(self, text: str, keys: str) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        return action

    def _connect_signals(self) -> None:
        self.record_measure.triggered.connect(self._on_record_measure_triggered)
        self.recovery_start.triggered.connect(self._on_recovery_start_triggered)
        self.discharge.triggered.connect(self._on_discharge_triggered)
        self.sign_summary.triggered.connect(self._on_sign_summary_triggered)
        self.export_summary.triggered.connect(self._on_export_summary_triggered)

    def measure_dialog(self) -> MeasureDialog:
        today = self._today()

        def save(code: str, day: date, scores: dict[str, int]) -> object:
            return self._clinic.measures.record(
                self._user, self._participant_id, code, day, scores, today
            )

        return MeasureDialog(self._clinic.measures.definitions(), today, save, self._window)

    def _on_record_measure_triggered(self) -> None:
        if self.measure_dialog().exec():
            self.records_changed.emit()

    def _on_recovery_start_triggered(self) -> None:
        text, accepted = QInputDialog.getText(
            self._window,
            self.tr("Recovery start date"),
            self.tr(
                "The day recovery started (YYYY-MM-DD), for the 30, 60, 90 day, 6 month and "
                "1 year milestones. Leave empty to clear it."
            ),
        )
        if not accepted:
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

    def discharge_dialog(self) -> DischargeDialog | None:
        latest = self._clinic.discharges.latest(self._participant_id)
        if latest is not None and not latest.signed:
            row = latest

            def update(request: DischargeRequest) -> object:
                return self._clinic.discharges.update(
                    self._user, row.discharge_id, request.reason, request.plan
                )

            existing = (row.discharged, row.reason, row.plan)
            return DischargeDialog(self._name(), self._today(), update, existing, self._window)

        def discharge(request: DischargeRequest) -> object:
            return self._clinic.discharges.discharge(self._user, self._participant_id, request)

        return DischargeDialog(self._name(), self._today(), discharge, parent=self._window)

    def _on_discharge_triggered(self) -> None:
        dialog = self.discharge_dialog()
        if dialog is not None and dialog.exec():
            self.records_changed.emit()

    def _on_sign_summary_triggered(self) -> None:
        latest = self._clinic.discharges.latest(self._participant_id)
        if latest is None or latest.signed:
            return
        dialog = SignDialog(
            self._user,
            self.tr("Sign the discharge summary"),
            [f"{self._name()}: discharged {latest.discharged} ({latest.reason.label})"],
            content.SignatureText(MEANING, ATTESTATION),
            lambda password: self._clinic.discharges.sign(
                self._user, password, latest.discharge_id
            ),
            parent=self._window,
        )
        if dialog.exec():
            self.records_changed.emit()

    def _on_export_summary_triggered(self) -> None:
        latest = self._clinic.discharges.latest(self._participant_id)
        if latest is None:
            return
        chosen, _ = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Export the discharge summary"),
            str(Path.home() / f"discharge-summary-{latest.discharged}.pdf"),
            self.tr("PDF documents (*.pdf)"),
        )
        if chosen:
            self._apply(self.tr("Not exported"), lambda: self.export_to(Path(chosen)))

    def export_to(self, path: Path) -> Path:
        """Write the latest discharge summary's PDF to `path`; the export is audited."""
        latest = self._clinic.discharges.latest(self._participant_id)
        if latest is None:
            raise DomainError("This participant has no discharge summary.")
        pdf = discharge_summary.build(self._clinic.discharges.document(latest.discharge_id))
        try:
            path.write_bytes(pdf.data)
        except OSError as error:
            raise DomainError(f"Could not write {path}: {error.strerror}") from error
        self._clinic.discharges.record_export(self._user, latest.discharge_id, path)
        return path

    def _apply(self, title: str, change: Callable[[], object]) -> None:
        try:
            change()
        except DomainError as error:
            self._refused(title, str(error))
            return
        self.records_changed.emit()

    def _refused(self, title: str, message: str) -> None:
        QMessageBox.warning(self._window, title, message)
