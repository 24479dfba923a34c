"""Participant notes: who still needs a note, and the note of the person picked (a draft in
the editor, a signed note read only with its addenda)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from facilitator.domain.notes import NoteProgress
from facilitator.services.session_sheet import BlockSheet, NoteDraft, RosterEntry
from facilitator.services.signing_review import NoteRecord
from ui.runner.participant_note_editor import ParticipantNoteEditor
from ui.runner.signed_note_view import SignedNoteView

PROGRESS_MARKS = {
    NoteProgress.DUE: "○ needs a note",
    NoteProgress.DRAFTED: "◐ draft",
    NoteProgress.COMPLETE: "● complete",
    NoteProgress.SIGNED: "✔ signed",
}
PARTICIPANT_ROLE = Qt.ItemDataRole.UserRole


class NotesPanel(QWidget):
    """A list of everyone in the block beside the editor; absent people show only the absence."""

    participant_selected = Signal(object)  # participant id

    def __init__(
        self,
        editor: ParticipantNoteEditor,
        signed_view: SignedNoteView,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.editor = editor
        self.signed_view = signed_view
        self.people = QListWidget(self)
        self.people.setToolTip(self.tr("Alt+Up / Alt+Down: previous or next participant"))
        self.absence = QLabel(self)
        self.absence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.absence.setWordWrap(True)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(editor)
        self.pages.addWidget(self.absence)
        self.pages.addWidget(signed_view)
        splitter = QSplitter(self)
        splitter.addWidget(self.people)
        splitter.addWidget(self.pages)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)
        self.people.currentItemChanged.connect(self._on_people_current_item_changed)

    def show_block(self, block: BlockSheet, keep: uuid.UUID | None) -> None:
        """List the block's people, keeping `keep` selected when still there."""
        self.people.blockSignals(True)
        self.people.clear()
        for entry in block.roster:
            item = QListWidgetItem(self.people)
            item.setData(PARTICIPANT_ROLE, entry.participant_id)
            self.set_progress(entry.participant_id, entry.progress, entry)
        self.people.blockSignals(False)
        ids = [e.participant_id for e in block.roster]
        due = [e.participant_id for e in block.roster if e.progress is not None]
        target = keep if keep in ids else (due[0] if due else (ids[0] if ids else None))
        if target is not None:
            self.people.setCurrentRow(ids.index(target))

    def set_progress(
        self, participant_id: uuid.UUID, progress: NoteProgress | None, entry: RosterEntry
    ) -> None:
        """Update one person's line: name and how far their note has come."""
        for row in range(self.people.count()):
            item = self.people.item(row)
            if item.data(PARTICIPANT_ROLE) == participant_id:
                marks = " · risk" if entry.measure_risk else ""
                marks += " · measures due" if entry.measures_due else ""
                item.setText(f"{entry.name}\n    {_state(entry, progress)}{marks}")
                return

    def show_note(self, entry: RosterEntry, draft: NoteDraft | None, context: str) -> None:
        """A note still open, in the editor; for someone absent, only the absence."""
        if entry.progress is None:
            self.absence.setText(_absence_text(entry))
            self.pages.setCurrentWidget(self.absence)
            return
        self.editor.show_entry(entry, draft, context)
        self.pages.setCurrentWidget(self.editor)

    def show_signed(self, record: NoteRecord) -> None:
        """A signed note as the record holds it, its addenda after it."""
        self.signed_view.show_record(record)
        self.pages.setCurrentWidget(self.signed_view)

    def step(self, offset: int) -> None:
        row = self.people.currentRow() + offset
        if 0 <= row < self.people.count():
            self.people.setCurrentRow(row)

    def _on_people_current_item_changed(self, current: QListWidgetItem | None, _: object) -> None:
        if current is not None:
            self.participant_selected.emit(current.data(PARTICIPANT_ROLE))


def _state(entry: RosterEntry, progress: NoteProgress | None) -> str:
    if progress is not None:
        return PROGRESS_MARKS[progress]
    if entry.removed:
        return "removed from block"
    if entry.attendance is None:
        return "attendance not taken"
    return entry.attendance.status.label.lower()


def _absence_text(entry: RosterEntry) -> str:
    if entry.attendance is None:
        return f"Take attendance for {entry.name} first: notes are written for those present."
    if entry.removed:
        return f"{entry.name} was removed from this block: {entry.attendance.removed_reason}"
    reason = entry.attendance.absence_reason or "no reason recorded"
    return f"{entry.name}: {entry.attendance.status.label} ({reason}). No clinical note is written."
