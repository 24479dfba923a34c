"""The participant window's details actions: edit the details (with a reason, kept in the
History), edit the treatment goals, transfer or step down."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.admissions import ParticipantDetails
from facilitator.services.goal_plan import PlanItem
from ui.participant.edit_details_dialog import EditDetailsDialog
from ui.participant.goals_dialog import GoalsDialog
from ui.participant.record_actions import RecordActions
from ui.participant.transfer_dialog import TransferDialog


class DetailsActions(RecordActions):
    """Each action opens its dialog; `records_changed` fires after anything is saved."""

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        participant_id: uuid.UUID,
        name: Callable[[], str],
        today: Callable[[], date],
        window: QWidget,
    ) -> None:
        super().__init__(clinic, user, participant_id, today, window)
        self._name = name
        self.edit_details = self._action(self.tr("Edit de&tails…"), "Ctrl+E")
        self.edit_goals = self._action(self.tr("Edit &goals…"), "Ctrl+G")
        self.transfer = self._action(self.tr("Trans&fer or step down…"), "Ctrl+T")
        self.edit_details.triggered.connect(self._on_edit_details_triggered)
        self.edit_goals.triggered.connect(self._on_edit_goals_triggered)
        self.transfer.triggered.connect(self._on_transfer_triggered)
        for action in self.actions:
            action.setEnabled(user.may_admit)

    @property
    def actions(self) -> list[QAction]:
        return [self.edit_details, self.edit_goals, self.transfer]

    def update_state(self, enrolled: bool) -> None:
        """Transfer applies while enrolled."""
        self.transfer.setEnabled(enrolled and self._user.may_admit)

    def details_dialog(self) -> EditDetailsDialog:
        admissions = self._clinic.admissions

        def save(details: ParticipantDetails, reason: str) -> object:
            return admissions.edit_participant(
                self._user, self._participant_id, details, reason, self._today()
            )

        details = admissions.details(self._participant_id)
        return EditDetailsDialog(self._name(), details, save, self._window)

    def goals_dialog(self) -> GoalsDialog:
        plan = self._clinic.goal_plan

        def save(items: list[PlanItem], reason: str) -> object:
            return plan.save(self._user, self._participant_id, items, reason)

        return GoalsDialog(self._name(), plan.goals(self._participant_id), save, self._window)

    def transfer_dialog(self) -> TransferDialog | None:
        """None (said in a message) when the participant has no open enrollment."""
        transfers = self._clinic.transfers
        try:
            placement = transfers.placement(self._participant_id)
        except DomainError as error:
            QMessageBox.information(self._window, self.tr("Transfer or step down"), str(error))
            return None
        today = self._today()

        def move(step_down: bool, group_id: uuid.UUID, day: date) -> object:
            how = transfers.step_down if step_down else transfers.transfer
            return how(self._user, self._participant_id, group_id, day, today)

        return TransferDialog(self._name(), placement, today, move, self._window)

    def _on_edit_details_triggered(self) -> None:
        self._run(self.details_dialog())

    def _on_edit_goals_triggered(self) -> None:
        self._run(self.goals_dialog())

    def _on_transfer_triggered(self) -> None:
        self._run(self.transfer_dialog())
