"""Administration > Idle lock…: ask for the clinic's idle minutes and save them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.lock_settings import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES, LockSettings


def ask_idle_minutes(parent: QWidget, settings: LockSettings, user: SignedInUser) -> int | None:
    """The minutes saved, or None when cancelled or refused (the refusal is shown)."""
    tr = QCoreApplication.translate
    minutes, accepted = QInputDialog.getInt(
        parent,
        tr("IdleMinutes", "Idle lock"),
        tr("IdleMinutes", "Lock the app after this many minutes without input:"),
        settings.idle_minutes(),
        MIN_IDLE_MINUTES,
        MAX_IDLE_MINUTES,
    )
    if not accepted:
        return None
    try:
        settings.set_idle_minutes(user, minutes)
    except DomainError as error:
        QMessageBox.warning(parent, tr("IdleMinutes", "Not changed"), str(error))
        return None
    return minutes
