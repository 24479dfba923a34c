"""The group note: interventions used and a summary of the group, written once per block."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from facilitator.services.session_sheet import BlockSheet


class GroupNotePanel(QWidget):
    """Emits `changed` on every edit; the window saves the note shortly after."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.interventions = QListWidget(self)
        self.interventions.setToolTip(self.tr("Space ticks the selected intervention"))
        self.other = QLineEdit(self)
        self.other.setPlaceholderText(self.tr("Other interventions, in your own words"))
        self.summary = QPlainTextEdit(self)
        self.summary.setPlaceholderText(
            self.tr("What the group did, how members engaged, themes that came up")
        )
        self.locked_hint = QLabel(
            self.tr(
                "Notes of this block are signed, so its group note is locked: correct it with "
                "Block > Correct block… (Ctrl+Shift+B), which adds a signed addendum to each note."
            ),
            self,
        )
        self.locked_hint.setWordWrap(True)
        self.locked_hint.hide()
        layout = QFormLayout(self)
        layout.addRow(self.locked_hint)
        layout.addRow(self.tr("&Interventions used:"), self.interventions)
        layout.addRow(self.tr("&Other:"), self.other)
        layout.addRow(self.tr("&Summary of the group:"), self.summary)
        self.interventions.itemChanged.connect(self._on_edited)
        self.other.textEdited.connect(self.changed)
        self.summary.textChanged.connect(self._on_edited)
        self._loading = False

    def show_block(self, block: BlockSheet) -> None:
        self._loading = True
        self.interventions.clear()
        choices = list(block.intervention_choices)
        choices += [c for c in block.interventions if c not in choices]
        for choice in choices:
            item = QListWidgetItem(choice, self.interventions)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = choice in block.interventions
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.other.setText(block.other_interventions)
        self.summary.setPlainText(block.group_note)
        self.interventions.setEnabled(not block.locked)
        self.other.setReadOnly(block.locked)
        self.summary.setReadOnly(block.locked)
        self.locked_hint.setVisible(block.locked)
        self._loading = False

    def content(self) -> tuple[list[str], str, str]:
        """(ticked interventions, other interventions, summary)."""
        ticked = [
            self.interventions.item(i).text()
            for i in range(self.interventions.count())
            if self.interventions.item(i).checkState() == Qt.CheckState.Checked
        ]
        return ticked, self.other.text().strip(), self.summary.toPlainText()

    def _on_edited(self) -> None:
        if not self._loading:
            self.changed.emit()
