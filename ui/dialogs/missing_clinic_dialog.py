"""At start, a data folder that held a clinic but has no usable database: restore, or quit.

Never the first start's setup: a new clinic over another clinic's backups and key would hide
those records and, at the first automatic backup, push the good backups out.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from facilitator.missing_clinic import ClinicTraces


class MissingClinicChoice(Enum):
    LATEST = "latest"
    CHOOSE = "choose"
    QUIT = "quit"


class MissingClinicDialog(QDialog):
    """Says what the folder held; Restore latest backup… / Choose backup… / Quit."""

    def __init__(
        self, folder: str, state: str, traces: ClinicTraces, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.choice = MissingClinicChoice.QUIT
        self.setWindowTitle(self.tr("The clinic's database cannot be used"))
        self.explanation = QLabel(self._text(folder, state, traces), self)
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.latest_button = QPushButton(self.tr("Restore &latest backup…"), self)
        self.latest_button.setEnabled(traces.latest is not None)
        self.choose_button = QPushButton(self.tr("&Choose backup…"), self)
        self.quit_button = QPushButton(self.tr("&Quit"), self)
        self.buttons.addButton(self.latest_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.choose_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        (self.latest_button if traces.latest is not None else self.choose_button).setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self._connect_signals()

    def _text(self, folder: str, state: str, traces: ClinicTraces) -> str:
        latest = traces.latest
        if latest is None:
            held = self.tr("its files: %1").replace("%1", ", ".join(traces.files))
        elif traces.participants is not None:
            held = (
                self.tr("last backup %1, %2 participants")
                .replace("%1", f"{latest.made_at:%A %d %B %Y, %H:%M}")
                .replace("%2", str(traces.participants))
            )
        else:
            held = self.tr("last backup %1").replace("%1", f"{latest.made_at:%A %d %B %Y, %H:%M}")
        what = {"missing": self.tr("missing"), "empty": self.tr("empty")}.get(
            state, self.tr("damaged (it does not open with the clinic's key)")
        )
        return (
            self.tr(
                "This folder held a clinic (%1), but its database is %2:\n%3\n\n"
                "No new clinic was started and nothing was changed. Restore the latest backup, "
                "or choose another one (a backup on a USB stick). To start a new clinic on "
                "purpose, quit and use another data folder."
            )
            .replace("%1", held)
            .replace("%2", what)
            .replace("%3", folder)
        )

    def _connect_signals(self) -> None:
        self.latest_button.clicked.connect(self._on_latest_button_clicked)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.quit_button.clicked.connect(self.reject)

    def _on_latest_button_clicked(self) -> None:
        self.choice = MissingClinicChoice.LATEST
        self.accept()

    def _on_choose_button_clicked(self) -> None:
        self.choice = MissingClinicChoice.CHOOSE
        self.accept()
