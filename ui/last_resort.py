"""The window app's last resort: an error nobody foresaw is logged (type and stack only, no
PHI: facilitator.crash_log) and shown as one message, never as a traceback on a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox

from facilitator.crash_log import log_unexpected


def install_last_resort(data_dir: Path) -> Callable[[], None]:
    """Route uncaught errors to the log and a message box; returns what puts the previous
    handler back."""
    previous = sys.excepthook

    def report(
        kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, error, trace)
            return
        log = log_unexpected(error.with_traceback(trace), "gui", data_dir)
        where = (
            translate("Details for support (no clinical data) are in {log}.").format(log=log)
            if log
            else translate("No log could be written.")
        )
        QMessageBox.critical(
            None,
            translate("Facilitator met an unexpected error"),
            translate(
                "Something went wrong that Facilitator did not expect ({kind}). What was saved "
                "stays saved; if a window stopped responding, close it and open it again."
            ).format(kind=kind.__name__)
            + " "
            + where,
        )

    sys.excepthook = report

    def restore() -> None:
        sys.excepthook = previous

    return restore


def translate(text: str) -> str:
    return QCoreApplication.translate("LastResort", text)
