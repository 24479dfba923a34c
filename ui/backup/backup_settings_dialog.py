"""Administrators' backup settings: how many days of automatic backups are kept."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.services.backup import MAX_KEEP, BackupFile


class BackupSettingsDialog(QDialog):
    """Keep the last N days; shows where automatic backups go and which are there now."""

    def __init__(
        self, keep: int, folder: str, existing: list[BackupFile], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Backup settings"))
        self.keep = QSpinBox(self)
        self.keep.setRange(1, MAX_KEEP)
        self.keep.setValue(keep)
        self.keep.setSuffix(self.tr(" days"))
        intro = QLabel(
            self.tr(
                "Facilitator makes one encrypted backup a day: when it starts (if the day has "
                "none yet) and again when it closes. Older days are deleted beyond this number."
            )
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("&Keep the last:"), self.keep)
        form.addRow(self.tr("Folder:"), QLabel(folder))
        listing = QListWidget(self)
        for backup in reversed(existing):
            size = backup.path.stat().st_size / 1e6 if backup.path.exists() else 0.0
            listing.addItem(f"{backup.made_at:%Y-%m-%d %H:%M}   {size:.1f} MB")
        if not existing:
            listing.addItem(self.tr("No automatic backup yet"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Automatic backups now:")))
        layout.addWidget(listing)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
