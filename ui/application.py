"""Start the GUI: a QApplication, the clinic's database, and the main window."""

from __future__ import annotations

import sys
from importlib.resources import files
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from facilitator import __version__
from facilitator.app import APP_NAME, open_clinic
from facilitator.storage.errors import StorageError
from ui.main_window import MainWindow


def app_icon() -> QIcon:
    return QIcon(str(files("resources").joinpath("icons", "facilitator.svg")))


def run(data_dir: Path) -> int:
    """Open the clinic in `data_dir` and run the event loop; return the exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("facilitator")
    app.setWindowIcon(app_icon())
    try:
        clinic = open_clinic(data_dir)
    except StorageError as error:
        QMessageBox.critical(None, app.tr("Facilitator cannot open its data"), str(error))
        return 2
    try:
        window = MainWindow(clinic)
        window.show()
        return app.exec()
    finally:
        clinic.close()
