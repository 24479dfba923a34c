"""The participant window's discharge actions: discharge (or edit the plan), sign and export the
summary, mark a discharge entered in error, readmit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from facilitator import content
from facilitator.app import Clinic
from facilitator.documents.requests import DischargeSummaryRequest
from facilitator.domain.discharge import DischargeRequest, SummaryStatus
from facilitator.domain.users import SignedInUser
from facilitator.services.discharge import ATTESTATION, MEANING, DischargeRow, VoidedDischarge
from facilitator.services.participant_record import ParticipantRecord
from ui.dialogs.sign_dialog import SignDialog
from ui.export.document_exporter import DocumentExporter
from ui.participant.discharge_dialog import DischargeDialog
from ui.participant.entered_in_error_dialog import EnteredInErrorDialog, discharge_dialog
from ui.participant.readmit_dialog import ReadmitDialog
from ui.participant.record_actions import RecordActions


class DischargeActions(RecordActions):
    """Each action opens its dialog; `records_changed` fires after anything is saved."""

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        participant_id: uuid.UUID,
        record: Callable[[], ParticipantRecord],
        today: Callable[[], date],
        exporter: DocumentExporter,
        window: QWidget,
    ) -> None:
        super().__init__(clinic, user, participant_id, today, window)
        self._record = record
        self._exporter = exporter
        self.discharge = self._action(self.tr("&Discharge or edit the plan…"), "Ctrl+Shift+D")
        self.sign_summary = self._action(self.tr("&Sign the discharge summary…"), "Ctrl+Shift+G")
        self.export_summary = self._action(
            self.tr("&Export the discharge summary (PDF)…"), "Ctrl+Shift+X"
        )
        self.entered_in_error = self._action(
            self.tr("Mark the discharge entered in e&rror…"), "Ctrl+Shift+W"
        )
        self.readmit = self._action(self.tr("Re&admit…"), "Ctrl+Shift+E")
        self.entered_in_error.triggered.connect(self._on_entered_in_error_triggered)
        self.discharge.triggered.connect(self._on_discharge_triggered)
        self.sign_summary.triggered.connect(self._on_sign_summary_triggered)
        self.export_summary.triggered.connect(self._on_export_summary_triggered)
        self.readmit.triggered.connect(self._on_readmit_triggered)

    @property
    def actions(self) -> list[QAction]:
        return [
            self.discharge,
            self.sign_summary,
            self.export_summary,
            self.entered_in_error,
            self.readmit,
        ]

    def update_state(self, discharge: DischargeRow | None, enrolled: bool) -> None:
        """Enable what applies: sign a draft summary or mark its discharge entered in error,
        export any, discharge while enrolled, readmit once discharged."""
        draft = discharge is not None and not discharge.signed
        self.discharge.setEnabled(enrolled or draft)
        self.sign_summary.setEnabled(draft)
        self.entered_in_error.setEnabled(draft and not enrolled)
        self.export_summary.setEnabled(discharge is not None)
        self.readmit.setEnabled(discharge is not None and not enrolled)

    def discharge_dialog(self) -> DischargeDialog:
        name = self._record().name
        goals = self._clinic.discharges.goals(self._participant_id)
        latest = self._clinic.discharges.latest(self._participant_id)
        if latest is not None and not latest.signed:
            row = latest

            def update(request: DischargeRequest) -> object:
                return self._clinic.discharges.update(
                    self._user, row.discharge_id, request.reason, request.plan, request.goals
                )

            existing = (row.discharged, row.reason, row.plan)
            return DischargeDialog(name, self._today(), update, existing, self._window, goals)

        def discharge(request: DischargeRequest) -> object:
            return self._clinic.discharges.discharge(
                self._user, self._participant_id, request, self._today()
            )

        return DischargeDialog(name, self._today(), discharge, parent=self._window, goals=goals)

    def entered_in_error_dialog(self) -> EnteredInErrorDialog | None:
        """Mark the latest discharge entered in error; None when there is none."""
        latest = self._clinic.discharges.latest(self._participant_id)
        if latest is None:
            return None

        def mark(reason: str) -> object:
            return self._clinic.discharges.mark_entered_in_error(
                self._user, latest.discharge_id, reason
            )

        return discharge_dialog(self._record().name, latest, mark, self._window)

    def readmit_dialog(self) -> ReadmitDialog | None:
        """The readmission of a discharged participant; None while they are enrolled."""
        latest = self._clinic.discharges.latest(self._participant_id)
        record = self._record()
        if latest is None or any(e.discharged is None for e in record.enrollments):
            return None
        today = self._today()
        groups = [(g.name, g.group_id) for g in self._clinic.groups(today)]
        last_group = record.enrollments[-1].group if record.enrollments else ""

        def readmit(group_id: uuid.UUID, admitted: date) -> object:
            return self._clinic.discharges.readmit(
                self._user, self._participant_id, group_id, admitted
            )

        return ReadmitDialog(
            record.name,
            latest.discharged,
            latest.reason.label,
            groups,
            last_group,
            today,
            readmit,
            self._window,
        )

    def _on_discharge_triggered(self) -> None:
        self._run(self.discharge_dialog())

    def _on_entered_in_error_triggered(self) -> None:
        self._run(self.entered_in_error_dialog())

    def _on_readmit_triggered(self) -> None:
        self._run(self.readmit_dialog())

    def _on_sign_summary_triggered(self) -> None:
        latest = self._clinic.discharges.latest(self._participant_id)
        if latest is None or latest.signed:
            return
        dialog = SignDialog(
            self._user,
            self.tr("Sign the discharge summary"),
            [f"{self._record().name}: discharged {latest.discharged} ({latest.reason.label})"],
            content.SignatureText(MEANING, ATTESTATION),
            lambda password: self._clinic.discharges.sign(
                self._user, password, latest.discharge_id
            ),
            parent=self._window,
        )
        self._run(dialog)

    def _on_export_summary_triggered(self) -> None:
        """Export through the pipeline: a signed summary's PDF is signed with the user's key."""
        latest = self._clinic.discharges.latest(self._participant_id)
        if latest is not None:
            request = DischargeSummaryRequest(latest.discharge_id)
            self._exporter.export(request, self._record().chart_number)


def summary_state(row: DischargeRow) -> str:
    """Where the discharge summary stands, for the discharged bar."""
    review = row.review
    if row.status is SummaryStatus.SIGNED:
        if review.cosigner:
            return (
                f"The discharge summary is signed by {review.author} and co-signed by "
                f"{review.cosigner}."
            )
        return "The discharge summary is signed."
    if row.status is SummaryStatus.AWAITING_COSIGN:
        return (
            f"The discharge summary is signed by {review.author} and awaits co-signature by "
            "their supervisor."
        )
    if review.returned_by:
        return (
            f"The discharge summary was returned by {review.returned_by}: “{review.comment}” "
            "Change the discharge if needed (Ctrl+Shift+D) and sign it again (Ctrl+Shift+G)."
        )
    return "The discharge summary is a draft: sign it (Ctrl+Shift+G)."


def voided_text(row: VoidedDischarge) -> str:
    """A discharge entered in error, as the participant window lists it."""
    return (
        f"Discharge on {row.discharged} ({row.reason.label}) entered in error: {row.why} "
        f"(marked by {row.by}, {row.at.astimezone():%Y-%m-%d %H:%M})"
    )
