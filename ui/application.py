"""Start the GUI: a QApplication, the clinic's database, and the main window."""

from __future__ import annotations

import sys
from functools import partial
from importlib.resources import files
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from facilitator import __version__
from facilitator.app import APP_NAME, Clinic, open_clinic
from facilitator.domain.users import SignedInUser
from facilitator.instance_lock import FolderInUseError
from facilitator.missing_clinic import ClinicMissingError
from facilitator.security.database_key import default_key_store
from facilitator.security.errors import WrongPassphraseError
from facilitator.storage.errors import StorageError, describe_os_error
from ui.backup.automatic_backup import AutomaticBackup
from ui.backup.missing_clinic_restore import offer_restore
from ui.dialogs.login_dialog import LoginDialog
from ui.dialogs.passphrase_dialog import dialog_passphrase
from ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
from ui.dialogs.setup_dialog import SetupDialog
from ui.heap import freeze_startup_objects
from ui.last_resort import install_last_resort
from ui.lock.session_lock import SessionLock
from ui.main_window import MainWindow
from ui.single_instance import SingleInstance

DESKTOP_FILE_NAME = "facilitator"  # installer/linux/facilitator.desktop: taskbar icon and name
PASSPHRASE_ATTEMPTS = 3
START_BACKUP_DELAY_MS = 3000  # after the first window is up


def app_icon() -> QIcon:
    # One name per step: in the frozen app `files()` is a MultiplexedPath, whose joinpath()
    # takes a single name on Python 3.11.
    return QIcon(str(files("resources") / "icons" / "facilitator.svg"))


def create_application() -> QApplication:
    """The QApplication, named and with its icon for every window, the taskbar and the dock."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(app_icon())
    return app


def run(data_dir: Path) -> int:
    """Open the clinic in `data_dir` and run the event loop; return the exit code."""
    app = create_application()
    instance = SingleInstance(data_dir)
    if not instance.acquire():
        holder = instance.holder
        if holder is not None and holder.role and not holder.is_app:
            QMessageBox.warning(
                None,
                app.tr("Facilitator is busy"),
                str(FolderInUseError(data_dir, holder)),
            )
            return 2
        return 0  # the app already running on this folder was brought to the front
    try:
        try:
            clinic, kept_in = _open_clinic(app, data_dir)
        except ClinicMissingError as missing:  # never a new clinic over another one's traces
            if not offer_restore(missing, default_key_store(data_dir, dialog_passphrase(data_dir))):
                instance.release()
                return 0
            clinic, kept_in = _open_clinic(app, data_dir)
    except (StorageError, OSError) as error:
        message = describe_os_error(error) if isinstance(error, OSError) else str(error)
        QMessageBox.critical(None, app.tr("Facilitator cannot open its data"), message)
        instance.release()
        return 2
    restore_handler = install_last_resort(data_dir)
    try:
        session = SignedInSession(clinic, kept_in)
        if not session.begin():
            return 0
        automatic = AutomaticBackup(clinic, lambda: session.lock.user.id if session.lock else None)
        QTimer.singleShot(START_BACKUP_DELAY_MS, automatic.start_if_due)
        freeze_startup_objects()
        code = app.exec()
        automatic.at_close()  # today's backup, renewed; a failure is shown, never silent
        session.end()
        return code
    finally:
        restore_handler()
        clinic.close()
        instance.release()


def sign_in(clinic: Clinic, kept_in: str) -> SignedInUser | None:
    """The first start's setup (with the recovery code), else the login; None: quit."""
    accounts = clinic.accounts
    if accounts.needs_setup():
        setup = SetupDialog(accounts, clinic.recovery_code, kept_in)
        accepted = setup.exec() == QDialog.DialogCode.Accepted
        clinic.recovery_code = None  # shown once, stored or not
        return setup.user if accepted else None
    login = LoginDialog(accounts, str(clinic.data_dir))
    return login.user if login.exec() == QDialog.DialogCode.Accepted else None


class SignedInSession:
    """Who is signed in, from the first sign-in to quitting, across log-outs and switches."""

    def __init__(self, clinic: Clinic, kept_in: str) -> None:
        self._clinic = clinic
        self._kept_in = kept_in
        self.lock: SessionLock | None = None

    def begin(self) -> bool:
        user = sign_in(self._clinic, self._kept_in)
        if user is None:
            return False
        self.lock = SessionLock(self._clinic, user, self._main_window)
        self.lock.start()
        return True

    def end(self) -> None:
        """Log out whoever is still signed in (the app is quitting)."""
        if self.lock is not None:
            self.lock.monitor.stop()
            self._clinic.accounts.log_out(self.lock.user)
            self.lock = None

    def _main_window(self, user: SignedInUser) -> MainWindow:
        window = MainWindow(self._clinic, user)
        window.log_out_requested.connect(partial(self._on_main_window_log_out_requested, window))
        return window

    def _on_main_window_log_out_requested(self, window: MainWindow) -> None:
        """The window has closed the clinician's other windows (their work saved)."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        self.end()
        app.setQuitOnLastWindowClosed(False)  # the login comes up once the window is gone
        window.close()
        user = sign_in(self._clinic, self._kept_in)
        app.setQuitOnLastWindowClosed(True)
        if user is None:
            app.quit()
            return
        self.lock = SessionLock(self._clinic, user, self._main_window)
        self.lock.start()


def _open_clinic(app: QApplication, data_dir: Path) -> tuple[Clinic, str]:
    """Open the clinic, asking for the passphrase where there is no keyring (three tries);
    with it, where its key is kept.

    A new key's recovery code is shown once: here, or in the first start's setup dialog.
    """
    ask = dialog_passphrase(data_dir)
    for attempt in range(1, PASSPHRASE_ATTEMPTS + 1):
        store = default_key_store(data_dir, ask)
        try:
            clinic = open_clinic(data_dir, store)
        except WrongPassphraseError as error:
            if attempt == PASSPHRASE_ATTEMPTS:
                raise
            QMessageBox.warning(None, app.tr("Wrong passphrase"), str(error))
            continue
        if clinic.recovery_code is not None and not clinic.accounts.needs_setup():
            RecoveryCodeDialog(clinic.recovery_code, store.description).exec()
            clinic.recovery_code = None
        return clinic, store.description
    raise AssertionError("unreachable: the last attempt returns or raises")
