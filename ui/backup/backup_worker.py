"""A backup on a QThreadPool thread: it opens its own connections and never touches widgets."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Signal

from facilitator.domain.errors import DomainError
from facilitator.services.backup import BackupFile, Progress
from facilitator.storage.errors import StorageError

BackupJob = Callable[[Progress], BackupFile]


class BackupSignals(QObject):
    progressed = Signal(int, int)  # bytes written, bytes in all
    finished = Signal(object)  # BackupFile
    failed = Signal(str)  # a message for the user


class BackupWorker(QRunnable):
    """Runs one backup job; reports through `signals` (delivered on the UI thread)."""

    def __init__(self, job: BackupJob) -> None:
        super().__init__()
        self._job = job
        self.signals = BackupSignals()

    def run(self) -> None:
        try:
            made = self._job(self.signals.progressed.emit)
        except (StorageError, DomainError) as error:
            self.signals.failed.emit(str(error))
            return
        except Exception as error:  # a bug must still reach the user, not vanish in a thread
            self.signals.failed.emit(f"{type(error).__name__}: {error}")
            return
        self.signals.finished.emit(made)
