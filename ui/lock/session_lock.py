"""Locking the app: save every draft, hide every window, ask for the password to go on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from facilitator.services.accounts import LoginRefusedError, PasswordChangeRequiredError
from ui.accounts.own_password import sign_in_with_own_password
from ui.lock.idle_monitor import IdleMonitor
from ui.lock.lock_screen import LockScreen
from ui.main_window import MainWindow

MINUTE_MS = 60_000


@runtime_checkable
class DraftHolder(Protocol):
    """A window with typing not yet in the database (the session runner)."""

    def save_now(self) -> bool: ...


class SessionLock(QObject):
    """Owns the signed-in clinician's main window and locks every window of the app.

    Locks after the clinic's idle delay without input (or `idle_ms`, for tests), or when a
    main window asks (Ctrl+L). Locking writes every draft first, then hides all windows;
    dialogs open at that moment are cancelled. The lock screen unlocks with the same
    clinician's password, or lets another clinician sign in: the first one's windows are
    closed (their work already saved) and a main window opens for the new one, who first
    chooses their own password if an administrator set it. Closing the lock screen quits:
    the hidden windows are closed first, so they finish their saving.
    """

    locked = Signal()
    unlocked = Signal()
    user_switched = Signal(object)  # SignedInUser

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        open_main_window: Callable[[SignedInUser], MainWindow],
        idle_ms: int | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self.user = user
        self._open_main_window = open_main_window
        self._fixed_idle_ms = idle_ms
        self.monitor = IdleMonitor(self._idle_ms(), self)
        self.main_window: MainWindow | None = None
        self.lock_screen: LockScreen | None = None
        self._hidden: list[QWidget] = []
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.monitor.timed_out.connect(self._on_monitor_timed_out)

    @property
    def is_locked(self) -> bool:
        return self.lock_screen is not None

    def start(self) -> MainWindow:
        """Open the clinician's main window and start counting idle time."""
        window = self._open_main_window(self.user)
        window.lock_requested.connect(self._on_main_window_lock_requested)
        window.idle_minutes_changed.connect(self._on_main_window_idle_minutes_changed)
        window.show()
        self.main_window = window
        self.monitor.restart()
        return window

    def lock(self, kind: str = "shortcut") -> None:
        """Save every draft, hide every window and show the lock screen."""
        if self.is_locked:
            return
        self.monitor.stop()
        unsaved = sum(1 for w in self._windows() if isinstance(w, DraftHolder) and not w.save_now())
        self._hidden = []
        for widget in self._windows():
            if not widget.isVisible():
                continue
            if isinstance(widget, QDialog):
                widget.reject()  # a dialog left open is cancelled, never shown again
            elif widget.windowType() == Qt.WindowType.Popup:
                widget.hide()
            else:
                self._hidden.append(widget)
                widget.hide()
        self._record(AuditAction.LOCK, detail={"kind": kind, "unsaved_windows": unsaved})
        screen = LockScreen(self.user)
        screen.unlock_requested.connect(self._on_lock_screen_unlock_requested)
        screen.switch_requested.connect(self._on_lock_screen_switch_requested)
        screen.closing.connect(self._on_lock_screen_closing)
        self.lock_screen = screen
        where = self.main_window.screen() if self.main_window is not None else None
        if where is not None:
            screen.setGeometry(where.availableGeometry())  # covers the whole screen
        screen.show()
        screen.activateWindow()
        self.locked.emit()

    def unlock(self, password: str) -> bool:
        """Unlock when `password` is the signed-in clinician's; the lock screen says why not."""
        try:
            self._clinic.accounts.confirm_password(self.user, password)
        except LoginRefusedError as error:
            self._record(AuditAction.UNLOCK, outcome="refused")
            self._refuse(str(error))
            return False
        self._record(AuditAction.UNLOCK)
        return self._reopen()

    def switch_user(self, username: str, password: str) -> bool:
        """Let another clinician sign in: this one's windows close and theirs opens."""
        unsaved = [w for w in self._hidden if isinstance(w, DraftHolder) and not w.save_now()]
        if unsaved:
            self._refuse(
                self.tr(
                    "Some of %1's notes could not be saved yet. %1 must unlock and check them "
                    "before someone else signs in."
                ).replace("%1", self.user.display_name)
            )
            return False
        user = self._authenticate(username, password)
        if user is None:
            return False
        if user.id == self.user.id:
            self._record(AuditAction.UNLOCK)
            return self._reopen()
        self._close_hidden()
        if self.main_window is not None:
            self.main_window.deleteLater()
        self._clinic.accounts.log_out(self.user)
        self.user = user
        self.monitor.set_timeout_ms(self._idle_ms())
        self.start()
        self._close_lock_screen()
        self.user_switched.emit(user)
        return True

    def _authenticate(self, username: str, password: str) -> SignedInUser | None:
        """The clinician signing in at the lock screen, or None (the lock screen says why)."""
        try:
            return self._clinic.accounts.authenticate(username, password)
        except PasswordChangeRequiredError as required:
            return self._choose_password(required, username, password)
        except LoginRefusedError as error:
            self._refuse(str(error))
            return None

    def _choose_password(
        self, required: PasswordChangeRequiredError, username: str, temporary: str
    ) -> SignedInUser | None:
        """A clinician whose password an administrator set chooses their own, then signs in."""
        try:
            user = sign_in_with_own_password(
                self._clinic.accounts, required, username, temporary, self.lock_screen
            )
        except LoginRefusedError as error:
            self._refuse(str(error))
            return None
        if user is None:
            self._refuse(
                self.tr("%1 must choose their own password to sign in.").replace(
                    "%1", required.user.display_name
                )
            )
        return user

    def _close_hidden(self) -> None:
        """Close the locked clinician's windows (their drafts are saved)."""
        for widget in sorted(self._hidden, key=lambda w: w is self.main_window):
            widget.close()  # runners and records first, the main window last
        self._hidden = []

    def _reopen(self) -> bool:
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        self._close_lock_screen()
        self.unlocked.emit()
        return True

    def _close_lock_screen(self) -> None:
        screen = self.lock_screen
        self.lock_screen = None
        if screen is not None:
            screen.hide()
            screen.deleteLater()
        self.monitor.restart()

    def _refuse(self, message: str) -> None:
        if self.lock_screen is not None:
            self.lock_screen.refuse(message)

    def _windows(self) -> list[QWidget]:
        return [w for w in QApplication.topLevelWidgets() if w is not self.lock_screen]

    def _idle_ms(self) -> int:
        if self._fixed_idle_ms is not None:
            return self._fixed_idle_ms
        return self._clinic.lock_settings.idle_minutes() * MINUTE_MS

    def _record(
        self,
        action: AuditAction,
        outcome: str = "success",
        detail: dict[str, str | int | bool | None] | None = None,
    ) -> None:
        self._clinic.record_audit(self.user.id, action, outcome=outcome, detail=detail)

    def _on_monitor_timed_out(self) -> None:
        self.lock("idle")

    def _on_main_window_lock_requested(self) -> None:
        self.lock("shortcut")

    def _on_main_window_idle_minutes_changed(self, minutes: int) -> None:
        if self._fixed_idle_ms is None:
            self.monitor.set_timeout_ms(minutes * MINUTE_MS)

    def _on_lock_screen_unlock_requested(self, password: str) -> None:
        self.unlock(password)

    def _on_lock_screen_closing(self) -> None:
        """Closing the lock screen quits the app (which signs out): the windows close first."""
        if self.lock_screen is not None:
            self.lock_screen = None
            self._close_hidden()

    def _on_lock_screen_switch_requested(self, username: str, password: str) -> None:
        self.switch_user(username, password)
