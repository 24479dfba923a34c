"""The File menu's "Back up now…" and "Restore from backup…", and the backup settings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
)

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.backup import BACKUP_SUFFIX, BackupFile, Progress
from facilitator.services.restore import RestoreResult
from facilitator.storage.errors import StorageError
from ui.background import BackgroundWorker
from ui.backup.backup_settings_dialog import BackupSettingsDialog
from ui.backup.restore_dialog import RestoreDialog

PROGRESS_STEPS = 1000


class BackupActions(QObject):
    """Manual backups (any clinician), restore and settings (administrators)."""

    backup_made = Signal(object)  # BackupFile
    backup_failed = Signal(str)
    restored = Signal(object)  # RestoreResult

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        window: QMainWindow,
        now: Callable[[], datetime] = lambda: datetime.now().astimezone(),
    ) -> None:
        super().__init__(window)
        self._clinic = clinic
        self._user = user
        self._window = window
        self._now = now
        self._worker: BackgroundWorker[BackupFile] | None = None
        self.progress: QProgressDialog | None = None
        self.back_up_action = self._action(
            self.tr("&Back up now…"), "Ctrl+Shift+B", self.back_up_now
        )
        self.restore_action = self._action(
            self.tr("Restore from bac&kup…"), "Ctrl+Shift+O", self.restore_from
        )
        self.settings_action = self._action(
            self.tr("Backup &settings…"), "Ctrl+Shift+Alt+B", self.edit_settings
        )
        for admin_only in (self.restore_action, self.settings_action):
            admin_only.setVisible(user.is_administrator)
            admin_only.setEnabled(user.is_administrator)

    def _action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        self._window.addAction(action)
        return action

    def back_up_now(self, folder: Path | None = None) -> None:
        """Ask for a folder (a USB stick) and write a backup there on a worker thread."""
        if self._worker is not None:
            return  # one at a time
        if folder is None:
            start = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            chosen = QFileDialog.getExistingDirectory(
                self._window, self.tr("Back up to which folder or drive?"), start
            )
            if not chosen:
                return
            folder = Path(chosen)
        target = folder
        self._run(lambda progress: self._back_up_to(target, progress), target)

    def _back_up_to(self, folder: Path, progress: Progress) -> BackupFile:
        return self._clinic.backups.back_up_to(folder, self._user.id, self._now(), progress)

    def _run(self, job: Callable[[Progress], BackupFile], folder: Path) -> None:
        self.progress = QProgressDialog(
            self.tr("Writing an encrypted backup to %1…").replace("%1", str(folder)),
            "",
            0,
            0,
            self._window,
        )
        self.progress.setWindowTitle(self.tr("Backing up"))
        self.progress.setCancelButton(None)  # a half-made backup is never left anyway
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()
        worker = BackgroundWorker(job)
        worker.signals.progressed.connect(self._on_worker_progressed)
        worker.signals.finished.connect(self._on_worker_finished)
        worker.signals.failed.connect(self._on_worker_failed)
        self._worker = worker
        worker.start()

    def _on_worker_progressed(self, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress.setMaximum(PROGRESS_STEPS)
            self.progress.setValue(done * PROGRESS_STEPS // total)

    def _on_worker_finished(self, made: BackupFile) -> None:
        self._finish()
        size = made.path.stat().st_size / 1e6
        self._window.statusBar().showMessage(
            self.tr("Backup written: %1").replace("%1", str(made.path)), 15000
        )
        QMessageBox.information(
            self._window,
            self.tr("Backup written"),
            self.tr(
                "The encrypted backup was written and checked:\n%1 (%2 MB)\n\nIt opens only "
                "with this clinic's key. On another computer it also needs the clinic's "
                "recovery code."
            )
            .replace("%1", str(made.path))
            .replace("%2", f"{size:.1f}"),
        )
        self.backup_made.emit(made)

    def _on_worker_failed(self, message: str) -> None:
        self._finish()
        self._window.statusBar().showMessage(self.tr("The backup failed."), 15000)
        QMessageBox.warning(self._window, self.tr("The backup failed"), message)
        self.backup_failed.emit(message)

    def _finish(self) -> None:
        self._worker = None
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def restore_from(self, file: Path | None = None) -> RestoreResult | None:
        """Ask for a backup, show what it holds and what will happen, then restore it."""
        if file is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self._window,
                self.tr("Restore which backup?"),
                str(self._clinic.backups.folder),
                self.tr("Facilitator backups (*%1);;All files (*)").replace("%1", BACKUP_SUFFIX),
            )
            if not chosen:
                return None
            file = Path(chosen)
        try:
            summary = self._clinic.inspect_backup(file)
        except StorageError as error:
            QMessageBox.warning(self._window, self.tr("This backup cannot be restored"), str(error))
            return None
        dialog = RestoreDialog(summary, str(self._clinic.data_dir), self._window)
        if dialog.exec() != QDialog.DialogCode.Accepted or not self._close_other_windows():
            return None
        try:
            result = self._clinic.restore(self._user, file, self._now())
        except (StorageError, DomainError) as error:
            QMessageBox.critical(self._window, self.tr("The restore failed"), str(error))
            return None
        kept = (
            self.tr("\n\nThe records that were in place are kept in %1.").replace(
                "%1", str(result.kept_aside)
            )
            if result.kept_aside
            else ""
        )
        QMessageBox.information(
            self._window,
            self.tr("Backup restored"),
            self.tr("The clinic now holds the backup's %1 participants and %2 notes.")
            .replace("%1", str(result.summary.participants))
            .replace("%2", str(result.summary.notes))
            + kept,
        )
        self.restored.emit(result)
        return result

    def _close_other_windows(self) -> bool:
        """Close every other window first (each saves its drafts); False if one stays."""
        for window in QApplication.topLevelWidgets():
            if window is not self._window and window.isVisible() and not window.close():
                return False
        return True

    def edit_settings(self) -> None:
        backups = self._clinic.backups
        dialog = BackupSettingsDialog(
            backups.keep(), str(backups.folder), backups.automatic(), self._window
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            backups.set_keep(self._user, dialog.keep.value())
        except DomainError as error:
            QMessageBox.warning(self._window, self.tr("Not changed"), str(error))
