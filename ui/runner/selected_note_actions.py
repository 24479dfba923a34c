"""What the runner does with the participant note on screen: print it, export it, and add a
signed addendum to it once it is signed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from facilitator import content
from facilitator.app import Clinic
from facilitator.documents.requests import NoteRequest
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.services.session_sheet import BlockSheet, RosterEntry
from ui.dialogs.addendum_dialog import AddendumDialog
from ui.export.document_exporter import DocumentExporter
from ui.printing.document_printer import DocumentPrinter

Selection = tuple[BlockSheet, RosterEntry]


class SelectedNoteActions(QObject):
    """Menu actions on the selected participant's note of the block on screen.

    Print and export show the note as the record holds it, drafts marked DRAFT, once every
    typed change is saved; both are audited like any print or export (DocumentPrinter,
    DocumentExporter). The addendum goes through the same dialog and signing as the review
    screen's.
    """

    addendum_signed = Signal()

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        selected: Callable[[], Selection | None],
        save_first: Callable[[], bool],
        printer: DocumentPrinter,
        exporter: DocumentExporter,
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._clinic = clinic
        self._user = user
        self._selected = selected
        self._save_first = save_first
        self._printer = printer
        self._exporter = exporter
        self._window = window
        self.dialog: AddendumDialog | None = None
        self.addendum_action = self._action(self.tr("&Addendum to selected note…"), "Ctrl+Shift+N")
        self.print_action = self._action(self.tr("&Print selected note…"), "Ctrl+Alt+Shift+P")
        self.preview_action = self._action(
            self.tr("Print pre&view of selected note…"), "Ctrl+Alt+Shift+V"
        )
        self.export_action = self._action(self.tr("E&xport selected note…"), "Ctrl+Alt+N")
        self.addendum_action.triggered.connect(self.add_addendum)
        self.print_action.triggered.connect(self.print_note)
        self.preview_action.triggered.connect(self.preview_note)
        self.export_action.triggered.connect(self.export_note)

    @property
    def actions(self) -> list[QAction]:
        return [self.addendum_action, self.print_action, self.preview_action, self.export_action]

    def _action(self, text: str, keys: str) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({native})")
        return action

    def print_note(self) -> None:
        request = self._request(self.tr("Print note"))
        if request is not None:
            self._printer.print_with_dialog(request)

    def preview_note(self) -> None:
        request = self._request(self.tr("Print preview of note"))
        if request is not None:
            self._printer.preview(request)

    def export_note(self) -> None:
        selection = self._selected()
        request = self._request(self.tr("Export note"))
        if request is not None and selection is not None:
            block, entry = selection
            self._exporter.export(request, f"{entry.chart_number} {block.planned.start:%H%M}")

    def add_addendum(self) -> None:
        selection = self._selected()
        note = selection[1].note if selection else None
        if selection is None or note is None or not note.status.locked:
            self._explain(
                self.tr("Addendum"),
                self.tr(
                    "An addendum is added to a signed note. Choose a participant whose note is "
                    "signed on the Participant notes page (F4); a draft is changed directly."
                ),
            )
            return
        record = self._clinic.signing.note_record(note.note_id)
        comments = [s.comment for s in record.reviews if s.action == "returned"]
        note_id = note.note_id
        self.dialog = AddendumDialog(
            self._user,
            f"{record.participant} · {record.day:%a %d %b} {record.start:%H:%M} {record.modality}",
            content.signature_texts()["addendum"],
            lambda text, password, resubmit: self._clinic.signing.add_addendum(
                self._user, password, note_id, text, resubmit
            ),
            can_resubmit=note.status is NoteStatus.RETURNED,
            return_comment=comments[-1] if comments else "",
            parent=self._window,
        )
        self.dialog.accepted.connect(self.addendum_signed)
        self.dialog.open()

    def _request(self, title: str) -> NoteRequest | None:
        """The selected note, with every change typed so far saved; None (and why) if none."""
        selection = self._selected()
        if selection is None:
            self._explain(
                title, self.tr("Choose a participant on the Participant notes page (F4) first.")
            )
            return None
        if not self._save_first():
            self._explain(
                title,
                self.tr(
                    "Some changes to the notes are not saved yet, so the note would not show "
                    "them. Try again once they are saved."
                ),
            )
            return None
        block, entry = selection
        try:
            return NoteRequest(self._clinic.documents.note_id(block.block_id, entry.participant_id))
        except DomainError as error:
            self._explain(title, str(error))
            return None

    def _explain(self, title: str, message: str) -> None:
        QMessageBox.information(self._window, title, message)
