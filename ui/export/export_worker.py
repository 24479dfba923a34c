"""An export on a QThreadPool thread: it opens its own unit of work and never touches widgets."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal

from facilitator.domain.errors import DomainError
from facilitator.storage.errors import StorageError
from reports.export import ExportResult, Progress

ExportJob = Callable[[Progress], ExportResult]


class ExportSignals(QObject):
    progressed = Signal(str, int)  # what is happening, percent done
    finished = Signal(object)  # ExportResult
    failed = Signal(str)  # a message for the user


class ExportWorker(QRunnable):
    """Runs one export job; reports through `signals` (delivered on the UI thread)."""

    def __init__(self, job: ExportJob) -> None:
        super().__init__()
        self._job = job
        self.signals = ExportSignals()

    def run(self) -> None:
        try:
            result = self._job(self.signals.progressed.emit)
        except (StorageError, DomainError) as error:
            self.signals.failed.emit(str(error))
            return
        except Exception as error:  # a bug must still reach the user, not vanish in a thread
            self.signals.failed.emit(f"{type(error).__name__}: {error}")
            return
        self.signals.finished.emit(result)
