"""Long work (exports, backups, imports) on the global QThreadPool.

The job opens its own unit of work and never touches a widget; it reports through the
worker's `signals`, which Qt delivers on the UI thread:

    worker = BackgroundWorker(lambda progress: clinic.backups.back_up_to(..., progress))
    worker.signals.finished.connect(self._on_worker_finished)
    worker.signals.failed.connect(self._on_worker_failed)
    worker.start()
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from facilitator.domain.errors import DomainError
from facilitator.storage.errors import StorageError

T = TypeVar("T")
Report = Callable[..., None]
"""The job's progress callback: it takes whatever its job reports (an export's stage and
percent, a backup's bytes written and bytes in all), and passes it on to `progressed`."""


class JobSignals(QObject):
    progressed = Signal(object, object)  # as the job reports it, e.g. (stage, percent)
    finished = Signal(object)  # what the job returned
    failed = Signal(str)  # a message for the user


class BackgroundWorker(QRunnable, Generic[T]):
    """Runs one job on a pool thread; a refusal or a bug reaches the user through `failed`."""

    def __init__(self, job: Callable[[Report], T]) -> None:
        super().__init__()
        self._job = job
        self.signals = JobSignals()

    def start(self) -> None:
        """Queue the job on the global thread pool."""
        QThreadPool.globalInstance().start(self)

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
