"""The Day menu's "Change this day…" and "Withdraw a change…" (administrators and
supervisors), for the day Today shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox, QWidget

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from ui.schedule.day_change_dialog import DayChangeDialog


class DayChangeActions(QObject):
    """Both actions, enabled only for those who may change a day."""

    day_changed = Signal()

    def __init__(
        self, clinic: Clinic, user: SignedInUser, day: Callable[[], date], window: QWidget
    ) -> None:
        super().__init__(window)
        self._clinic = clinic
        self._user = user
        self._day = day
        self._window = window
        self.dialog: DayChangeDialog | None = None
        self.change_action = self._action(
            self.tr("C&hange this day…"), "Ctrl+Alt+D", self.change_day
        )
        self.withdraw_action = self._action(
            self.tr("&Withdraw a change to this day…"), "Ctrl+Alt+W", self.withdraw_change
        )

    @property
    def actions(self) -> list[QAction]:
        return [self.change_action, self.withdraw_action]

    def _action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        action.setEnabled(self._user.can_cosign)  # administrators and supervisors
        action.triggered.connect(lambda _=False: slot())
        return action

    def change_day(self) -> None:
        """Close the day, or cancel, move, substitute or add a block."""
        day = self._day()
        exceptions = self._clinic.schedule_exceptions(self._user)
        self.dialog = DayChangeDialog(
            day, self._clinic.day_choices(day), exceptions.apply, self._window
        )
        if self.dialog.exec() == QDialog.DialogCode.Accepted:
            self.day_changed.emit()
        self.dialog = None

    def withdraw_change(self) -> None:
        day = self._day()
        changes = self._clinic.day_changes(day)
        title = self.tr("Withdraw a change")
        if not changes:
            QMessageBox.information(
                self._window, title, self.tr("%1 has no changes.").replace("%1", f"{day:%A %d %B}")
            )
            return
        texts = [c.description for c in changes]
        picked, accepted = QInputDialog.getItem(
            self._window, title, self.tr("Change to withdraw:"), texts, 0, False
        )
        if not accepted:
            return
        try:
            exceptions = self._clinic.schedule_exceptions(self._user)
            exceptions.withdraw(changes[texts.index(picked)].exception_id)
        except DomainError as error:
            QMessageBox.warning(self._window, title, str(error))
            return
        self.day_changed.emit()
