"""The base of the participant window's Record menu groups: actions with shortcuts that open a
dialog for one participant, and a signal when something they opened was saved."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser


class RecordActions(QObject):
    """`records_changed` fires after anything is saved, so the window reloads."""

    records_changed = Signal()

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        participant_id: uuid.UUID,
        today: Callable[[], date],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._clinic = clinic
        self._user = user
        self._participant_id = participant_id
        self._today = today
        self._window = window

    def _action(self, text: str, keys: str) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        return action

    def _run(self, dialog: QDialog | None) -> None:
        """Show `dialog` (None: nothing to show); a save reloads the window."""
        if dialog is not None and dialog.exec():
            self.records_changed.emit()
