"""Today's automatic backup: when the app starts and the day has none yet, and at close.

The core decides what is due and what is kept (facilitator.services.backup); this runs the
start's backup on a worker thread and the close's one in place (it is quick: one snapshot
on the same drive), and tells the user when either fails instead of failing silently.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from facilitator.app import Clinic
from facilitator.services.backup import BackupFile
from facilitator.storage.errors import StorageError
from ui.background import BackgroundWorker

Actor = Callable[[], uuid.UUID | None]


class AutomaticBackup(QObject):
    """Makes the automatic backups of one open clinic."""

    made = Signal(object)  # BackupFile
    failed = Signal(str)

    def __init__(
        self,
        clinic: Clinic,
        actor: Actor,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self._actor = actor
        self._now = now
        self._worker: BackgroundWorker[BackupFile] | None = None
        self.failed.connect(self._on_failed)
        self.made.connect(self._on_made)

    def start_if_due(self) -> bool:
        """Start today's backup in the background if the day has none; True if started."""
        now = self._now()
        if self._worker is not None or not self._clinic.backups.daily_due(now.date()):
            return False
        actor = self._actor()
        worker = BackgroundWorker(
            lambda _progress: self._clinic.backups.back_up_automatically(actor, "start", now)
        )
        worker.signals.finished.connect(self._on_worker_finished)
        worker.signals.failed.connect(self._on_worker_failed)
        self._worker = worker
        worker.start()
        return True

    def at_close(self) -> BackupFile | None:
        """Renew today's backup now; on failure, say so (closing goes on). None if failed."""
        QThreadPool.globalInstance().waitForDone()  # the start's backup, if still running
        try:
            made = self._clinic.backups.back_up_automatically(self._actor(), "close", self._now())
        except StorageError as error:
            self.failed.emit(str(error))
            return None
        self.made.emit(made)
        return made

    def _on_worker_finished(self, made: BackupFile) -> None:
        self._worker = None
        self.made.emit(made)

    def _on_worker_failed(self, message: str) -> None:
        self._worker = None
        self.failed.emit(message)

    def _on_made(self, made: BackupFile) -> None:
        """Say so when the day's earlier backup held more records and was kept beside it."""
        if made.kept is None:
            return
        QMessageBox.warning(
            QApplication.activeWindow(),
            self.tr("An earlier backup was kept"),
            self.tr(
                "Today's earlier automatic backup held more records than the clinic holds now, "
                "so it was not replaced: it is kept as\n%1\n\nIf records are missing, an "
                "administrator restores it with File > Restore from backup…"
            ).replace("%1", str(made.kept)),
        )

    def _on_failed(self, message: str) -> None:
        parent: QWidget | None = QApplication.activeWindow()
        QMessageBox.warning(
            parent,
            self.tr("The automatic backup failed"),
            self.tr(
                "%1\n\nThe records themselves are safe in the clinic's database. Make a backup "
                "with File > Back up now… once the problem is fixed."
            ).replace("%1", message),
        )
