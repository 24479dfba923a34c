"""Start the GUI: a QApplication, the clinic's database, and the main window."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from facilitator import __version__
from facilitator.app import APP_NAME, Clinic, open_clinic
from facilitator.security.database_key import default_key_store
from facilitator.security.errors import WrongPassphraseError
from facilitator.storage.errors import StorageError
from ui.dialogs.passphrase_dialog import dialog_passphrase
from ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
from ui.heap import freeze_startup_objects
from ui.lock.session_lock import SessionLock
from ui.main_window import MainWindow

DESKTOP_FILE_NAME = "facilitator"  # installer/linux/facilitator.desktop: taskbar icon and name
PASSPHRASE_ATTEMPTS = 3


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
    try:
        clinic = _open_clinic(app, data_dir)
    except StorageError as error:
        QMessageBox.critical(None, app.tr("Facilitator cannot open its data"), str(error))
        return 2
    try:
        user = clinic.accounts.first_administrator()
        if user is None:
            return 2
        session_lock = SessionLock(clinic, user, lambda signed_in: MainWindow(clinic, signed_in))
        session_lock.start()
        freeze_startup_objects()
        return app.exec()
    finally:
        clinic.close()


def _open_clinic(app: QApplication, data_dir: Path) -> Clinic:
    """Open the clinic, asking for the passphrase where there is no keyring (three tries).

    A new key's recovery code is shown once, before anything else.
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
        if clinic.recovery_code is not None:
            RecoveryCodeDialog(clinic.recovery_code, store.description).exec()
        return clinic
    raise AssertionError("unreachable: the last attempt returns or raises")
