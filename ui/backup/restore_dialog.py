"""Confirm a restore: what the backup holds and what will happen to the records in place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from facilitator.services.restore import BackupSummary


class RestoreDialog(QDialog):
    """Shows a checked backup; Restore (never the default button) or Cancel."""

    def __init__(self, summary: BackupSummary, data_folder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Restore from backup"))
        made = (
            summary.made_at.astimezone().strftime("%A %d %B %Y, %H:%M")
            if summary.made_at
            else self.tr("unknown (not made as a backup)")
        )
        check = QLabel(self.tr("✔ The backup opens with this clinic's key and passed its checks."))
        facts = QFormLayout()
        facts.addRow(self.tr("File:"), _selectable(str(summary.path)))
        facts.addRow(self.tr("Made:"), QLabel(made))
        facts.addRow(self.tr("Participants:"), QLabel(str(summary.participants)))
        facts.addRow(
            self.tr("Notes:"),
            QLabel(
                self.tr("%1 (%2 signed)")
                .replace("%1", str(summary.notes))
                .replace("%2", str(summary.signed_notes))
            ),
        )
        if summary.needs_upgrade:
            facts.addRow(
                self.tr("Schema:"),
                QLabel(
                    self.tr("older (%1): upgraded after restoring").replace("%1", summary.revision)
                ),
            )
        what = QLabel(
            self.tr(
                "<p><b>What will happen</b></p><p>The records now in Facilitator are replaced by "
                "this backup's. Work done after %1 is not in it.</p><p>Nothing is deleted: the "
                "current database is kept in %2 under the name facilitator.db.before-restore-… "
                "with today's date and time.</p><p>Other open windows close first; the clinic "
                "then reopens with the restored records.</p>"
            )
            .replace("%1", made)
            .replace("%2", data_folder)
        )
        what.setWordWrap(True)
        what.setTextFormat(Qt.TextFormat.RichText)
        buttons = QDialogButtonBox(self)
        restore = buttons.addButton(self.tr("&Restore"), QDialogButtonBox.ButtonRole.AcceptRole)
        restore.setAutoDefault(False)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(check)
        layout.addLayout(facts)
        layout.addWidget(what)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label
