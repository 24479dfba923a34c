"""Acting on the modal dialog a test's next step opens (and waits in with exec())."""

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot


def when_modal(act: Callable[[QWidget], None]) -> None:
    """Run `act` on the next modal dialog, once it is shown."""

    def check() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, check)
            return
        act(dialog)

    QTimer.singleShot(0, check)


def on_modal(qtbot: QtBot, act: Callable[[QWidget], None]) -> list[BaseException]:
    """when_modal on the dialog made active (so its shortcuts work); a failure inside `act`
    closes the dialog and is kept to raise after."""
    failures: list[BaseException] = []

    def run(dialog: QWidget) -> None:
        try:
            dialog.activateWindow()
            qtbot.waitUntil(dialog.isActiveWindow)
            act(dialog)
        except BaseException as failure:  # re-raised by the test once exec() returns
            failures.append(failure)
            assert isinstance(dialog, QDialog)
            dialog.reject()

    when_modal(run)
    return failures


def raise_first(failures: list[BaseException]) -> None:
    if failures:
        raise failures[0]
