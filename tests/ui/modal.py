"""Acting on the modal dialog a test's next step opens (and waits in with exec())."""

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget


def when_modal(act: Callable[[QWidget], None]) -> None:
    """Run `act` on the next modal dialog, once it is shown."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, check)
            return
        act(dialog)

    QTimer.singleShot(0, check)
