"""The start-up's answer to a missing or empty clinic database: offer its backups, restore one.

The dialog says what the folder held; the chosen backup is checked and shown (what it holds,
what will happen) before anything changes, as any restore is.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox

from facilitator.missing_clinic import (
    ClinicMissingError,
    inspect_for_missing,
    restore_missing_clinic,
)
from facilitator.security.key_store import KeyStore
from facilitator.services.backup import AUTOMATIC_FOLDER, BACKUP_SUFFIX
from facilitator.storage.errors import StorageError
from ui.backup.restore_dialog import RestoreDialog
from ui.dialogs.missing_clinic_dialog import MissingClinicChoice, MissingClinicDialog


def offer_restore(missing: ClinicMissingError, store: KeyStore) -> bool:
    """Ask until a backup is restored (True) or the user quits (False)."""
    tr = QApplication.translate
    folder = missing.folder
    while True:
        dialog = MissingClinicDialog(str(folder), missing.state, missing.traces)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        latest = missing.traces.latest
        if dialog.choice is MissingClinicChoice.LATEST and latest is not None:
            backup = latest.path
        else:
            chosen, _ = QFileDialog.getOpenFileName(
                None,
                tr("MissingClinic", "Restore which backup?"),
                str(folder / AUTOMATIC_FOLDER),
                tr("MissingClinic", "Facilitator backups (*%1);;All files (*)").replace(
                    "%1", BACKUP_SUFFIX
                ),
            )
            if not chosen:
                continue
            backup = Path(chosen)
        try:
            summary = inspect_for_missing(folder, backup, store)
            if RestoreDialog(summary, str(folder)).exec() != QDialog.DialogCode.Accepted:
                continue
            result = restore_missing_clinic(folder, backup, store, datetime.now().astimezone())
        except StorageError as error:
            QMessageBox.warning(
                None, tr("MissingClinic", "This backup cannot be restored"), str(error)
            )
            continue
        QMessageBox.information(
            None,
            tr("MissingClinic", "Backup restored"),
            tr("MissingClinic", "The clinic holds the backup's %1 participants and %2 notes again.")
            .replace("%1", str(result.summary.participants))
            .replace("%2", str(result.summary.notes)),
        )
        return True
