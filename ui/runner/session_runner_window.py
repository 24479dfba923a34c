"""The session runner: one group's day, block by block, attendance and notes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from facilitator import content
from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus, note_progress
from facilitator.domain.users import SignedInUser
from facilitator.services.draft_writer import DraftKey
from facilitator.services.session_sheet import BlockSheet, RosterEntry, SessionSheet
from facilitator.storage.errors import describe_write_failure
from ui.colors import warning_style
from ui.dialogs.quick_phrases_dialog import QuickPhrasesDialog
from ui.export.document_exporter import DocumentExporter
from ui.printing.document_printer import DocumentPrinter
from ui.review.review_window import ReviewWindow
from ui.runner.attendance_correction_dialog import AttendanceCorrectionDialog
from ui.runner.attendance_panel import AttendancePanel
from ui.runner.autosave import SAVE_DELAY_MS, Autosave, throttled
from ui.runner.block_correction_dialog import BlockCorrectionDialog
from ui.runner.block_header import BlockHeader
from ui.runner.group_note_panel import GroupNotePanel
from ui.runner.notes_panel import NotesPanel
from ui.runner.participant_note_editor import ParticipantNoteEditor
from ui.runner.participant_picker import pick_participant
from ui.runner.runner_menus import build_menus
from ui.runner.selected_note_actions import SelectedNoteActions, Selection
from ui.runner.signed_note_view import SignedNoteView
from ui.widgets import fit_to_screen

SAVE_STATES = {"saving": "Saving…", "saved": "All changes saved", "failed": "NOT SAVED"}
GROUP_NOTE_RETRY_MS = 2000  # a group note that failed to save is tried again this often


class SessionRunnerWindow(QMainWindow):
    """Runs one session. Every change is saved within about a second, with no button."""

    closed = Signal(object)  # session id

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        session_id: uuid.UUID,
        first_block: uuid.UUID | None = None,
        now: Callable[[], datetime] = datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self.user = user  # the author of every draft written here
        self._runner = clinic.runner_for(user)
        self._now = now
        self.session_id = session_id
        self.sheet: SessionSheet = self._runner.open_sheet(session_id)  # audited
        self._block_index = 0
        self._block_shown = False  # until a block is on screen there is nothing to save
        self._participant: uuid.UUID | None = None
        self.review_window: ReviewWindow | None = None
        self.correction_dialog: AttendanceCorrectionDialog | None = None
        self.block_correction_dialog: BlockCorrectionDialog | None = None
        self.failure_box: QMessageBox | None = None  # shown once per run of failed saves
        self.autosave = Autosave(self._runner.save_draft, self, self._describe_failure)
        self.printer = DocumentPrinter(clinic, user, self)
        self.exporter = DocumentExporter(clinic, user, self)
        self.note_actions = SelectedNoteActions(
            clinic, user, self._selection, self.save_now, self.printer, self.exporter, self
        )
        self.save_state = QLabel(self)
        self._build_widgets()
        build_menus(self)
        self._connect_signals()
        self.setWindowTitle(
            f"{self.sheet.group} · {self.sheet.day:%A %d %B %Y} — " + self.tr("Facilitator")
        )
        fit_to_screen(self, 1360, 860)
        ids = [b.block_id for b in self.sheet.blocks]
        self.show_block(ids.index(first_block) if first_block in ids else 0)

    # --- building -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.blocks = QListWidget(self)
        self.blocks.setWordWrap(True)
        self.blocks.setSpacing(4)
        self.blocks.setToolTip(self.tr("Ctrl+PgUp / Ctrl+PgDown: previous or next block"))
        self.header = BlockHeader(self._clinic.curriculum(), self)
        self.attendance = AttendancePanel(
            self._runner,
            self.session_id,
            partial(pick_participant, self, self._clinic, self.sheet.day),
            self.correct_attendance,
            self,
        )
        self.group_note = GroupNotePanel(self)
        self.editor = ParticipantNoteEditor(
            self.sheet.template,
            content.pick_lists(),
            self._clinic.quick_phrases.all_for(self.sheet.template.code).__getitem__,
            self,
        )
        self.signed_view = SignedNoteView(self.note_actions.actions, self)
        self.notes = NotesPanel(self.editor, self.signed_view, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.attendance, self.tr("Attendance (F2)"))
        self.tabs.addTab(self.group_note, self.tr("Group note (F3)"))
        self.tabs.addTab(self.notes, self.tr("Participant notes (F4)"))
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.header)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.blocks)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1100])
        self.setCentralWidget(splitter)
        self.statusBar().addPermanentWidget(self.save_state)
        self.save_state.setText(self.tr(SAVE_STATES["saved"]))

    def _connect_signals(self) -> None:
        self.blocks.currentRowChanged.connect(self._on_blocks_current_row_changed)
        self.header.topic_chosen.connect(self._on_header_topic_chosen)
        self.header.topic_typed.connect(self._on_header_topic_typed)
        self.header.start_clicked.connect(self.start_block_now)
        self.header.end_clicked.connect(self.end_block_now)
        self.attendance.attendance_changed.connect(self.reload)
        self._save_group_note_soon = throttled(self._save_group_note, SAVE_DELAY_MS, self)
        self.group_note.changed.connect(self._on_group_note_changed)
        self.notes.participant_selected.connect(self._on_notes_participant_selected)
        self.editor.changed.connect(self._on_editor_changed)
        self.autosave.state_changed.connect(self._on_autosave_state_changed)
        self.autosave.failed.connect(self._on_autosave_failed)
        self.note_actions.addendum_signed.connect(self._on_note_actions_addendum_signed)

    # --- showing --------------------------------------------------------------------------

    @property
    def block(self) -> BlockSheet:
        return self.sheet.blocks[self._block_index]

    def show_block(self, index: int) -> None:
        if not 0 <= index < len(self.sheet.blocks):
            return
        self._leave_block()
        self._block_index = index
        self._fill_blocks_list()
        self._show_current_block()

    def previous_block(self) -> None:
        self.show_block(self._block_index - 1)

    def next_block(self) -> None:
        self.show_block(self._block_index + 1)

    def reload(self) -> None:
        """Read the session again (after attendance or topic changes) and show it."""
        self.autosave.hand_over()
        self.sheet = self._runner.sheet(self.session_id)
        self._fill_blocks_list()
        self._show_current_block()

    def _fill_blocks_list(self) -> None:
        self.blocks.blockSignals(True)
        self.blocks.clear()
        for block in self.sheet.blocks:
            done = sum(1 for e in block.roster if e.progress is not None and e.note is not None)
            self.blocks.addItem(
                f"{block.planned.text}  {block.modality}\n"
                f"{block.topic or '(no topic)'}\n"
                f"{block.present} present · {done} of {block.present} notes started"
            )
        self.blocks.setCurrentRow(self._block_index)
        self.blocks.blockSignals(False)

    def _show_current_block(self) -> None:
        block = self.block
        self.header.show_block(block)
        self.attendance.show_block(block)
        self.group_note.show_block(block)
        self.notes.show_block(block, self._participant)
        self._block_shown = True

    def _group_context(self) -> str:
        block = self.block
        ticked, other, summary = self.group_note.content()
        interventions = ", ".join([*ticked, other] if other else ticked) or "none recorded"
        return (
            f"Group note · {block.topic or 'no topic'}\n"
            f"Interventions: {interventions}\n{summary.strip() or '(no summary yet)'}"
        )

    # --- leaving and closing: nothing typed may be lost ---------------------------------------

    def _leave_block(self) -> None:
        self.autosave.hand_over()
        if self._block_shown:
            self._save_group_note()

    def save_now(self) -> bool:
        """Write the group note and every draft now (the app is locking); False if some could
        not be written (they stay in memory and are retried)."""
        if self._block_shown:
            self._save_group_note()
        return self.autosave.save_now()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_group_note()
        if not self.autosave.finish():
            answer = QMessageBox.critical(
                self,
                self.tr("Notes not saved"),
                self.tr(
                    "Some notes could not be saved to the database. Close anyway and lose "
                    "them, or keep this window open and try again?"
                ),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                self.autosave = self._restart_autosave()
                event.ignore()
                return
        self.closed.emit(self.session_id)
        super().closeEvent(event)

    def _restart_autosave(self) -> Autosave:
        autosave = Autosave(self._runner.save_draft, self, self._describe_failure)
        autosave.state_changed.connect(self._on_autosave_state_changed)
        autosave.failed.connect(self._on_autosave_failed)
        for key in self.autosave.unsaved():
            draft = self.autosave.latest(key)
            if draft is not None:
                autosave.change(key, self.user.id, draft)
        return autosave

    # --- slots ----------------------------------------------------------------------------

    def _on_blocks_current_row_changed(self, row: int) -> None:
        if row >= 0 and row != self._block_index:
            self.show_block(row)

    def _on_notes_participant_selected(self, participant_id: uuid.UUID) -> None:
        self.autosave.hand_over()
        self._participant = participant_id
        entry = self.block.entry(participant_id)
        if entry.note is not None and entry.note.status.locked:
            self.notes.show_signed(self._clinic.signing.note_record(entry.note.note_id))
            return
        key = DraftKey(self.block.block_id, participant_id)
        draft = self.autosave.latest(key) or (entry.note.draft if entry.note else None)
        self.notes.show_note(entry, draft, self._group_context())

    def correct_attendance(self, block: BlockSheet, entry: RosterEntry) -> None:
        """Open the correction of a signed participant's attendance (a signed addendum)."""
        assert entry.attendance is not None
        correction = self._clinic.attendance_correction
        self.correction_dialog = AttendanceCorrectionDialog(
            self.user,
            entry.name,
            entry.attendance,
            block.span,
            content.signature_texts()["addendum"],
            lambda password, status, arrived, left, reason, mode: correction.correct_attendance(
                self.user,
                password,
                block.block_id,
                entry.participant_id,
                status,
                arrived,
                left,
                reason,
                mode,
            ),
            self,
        )
        self.correction_dialog.accepted.connect(self._on_correction_dialog_accepted)
        self.correction_dialog.open()

    def correct_block(self) -> None:
        """Open the correction of a block whose notes are signed (signed addenda)."""
        block = self.block
        if not block.locked:
            self.statusBar().showMessage(
                self.tr("No note of this block is signed: change it in the runner."), 10000
            )
            return
        self._save_group_note()
        correction = self._clinic.block_correction
        self.block_correction_dialog = BlockCorrectionDialog(
            self.user,
            block,
            content.signature_texts()["addendum"],
            lambda password, change, reason: correction.correct_block(
                self.user, password, block.block_id, change, reason
            ),
            self,
        )
        self.block_correction_dialog.accepted.connect(self._on_block_correction_dialog_accepted)
        self.block_correction_dialog.open()

    def _on_block_correction_dialog_accepted(self) -> None:
        self.reload()
        self.statusBar().showMessage(
            self.tr("Block corrected; a signed addendum is added to each signed note."), 10000
        )

    def _on_correction_dialog_accepted(self) -> None:
        self.reload()
        self.statusBar().showMessage(
            self.tr("Attendance corrected; the signed addendum is added to the note."), 10000
        )

    def _on_note_actions_addendum_signed(self) -> None:
        self.reload()
        self.statusBar().showMessage(self.tr("Addendum signed and added to the note."), 10000)

    def _selection(self) -> Selection | None:
        """The block on screen and the participant chosen on the notes page, if any."""
        here = [e for e in self.block.roster if e.participant_id == self._participant]
        return (self.block, here[0]) if here else None

    def _on_editor_changed(self) -> None:
        if self._participant is None:
            return
        draft = self.editor.draft()
        self.autosave.change(DraftKey(self.block.block_id, self._participant), self.user.id, draft)
        entry = self.block.entry(self._participant)
        progress = note_progress(self.sheet.template, NoteStatus.DRAFT, draft.fields)
        self.notes.set_progress(self._participant, progress, entry)

    def _on_group_note_changed(self) -> None:
        self.editor.context.setText(self._group_context())
        self.save_state.setText(self.tr(SAVE_STATES["saving"]))
        self._save_group_note_soon()

    def _save_group_note(self) -> None:
        ticked, other, summary = self.group_note.content()
        block = self.block
        if (sorted(ticked), other, summary) == (  # the list's order is not an edit
            sorted(block.interventions),
            block.other_interventions,
            block.group_note,
        ):
            return
        try:
            self._runner.save_group_note(block.block_id, ticked, other, summary)
        except Exception as error:
            self._on_autosave_failed(None, self._describe_failure(error))
            QTimer.singleShot(GROUP_NOTE_RETRY_MS, self._save_group_note)  # kept in the widget
            return
        self.sheet = self._runner.sheet(self.session_id)
        self.save_state.setText(self.tr(SAVE_STATES["saved"]))

    def _on_autosave_state_changed(self, state: str) -> None:
        if state == "saved" and self.failure_box is not None:
            self.statusBar().showMessage(self.tr("All changes are saved again."), 10000)
            self.failure_box.close()
            self.failure_box = None
        self.save_state.setText(self.tr(SAVE_STATES[state]))
        self.save_state.setStyleSheet(warning_style(bold=True) if state == "failed" else "")

    def _describe_failure(self, error: Exception) -> str:
        return describe_write_failure(error, self._clinic.data_dir)

    def _on_autosave_failed(self, _key: DraftKey | None, message: str) -> None:
        """Say so in the status bar for as long as it lasts, and in a dialog once."""
        self.save_state.setText(self.tr(SAVE_STATES["failed"]))
        self.statusBar().showMessage(self.tr("Not saved yet: ") + message)
        if self.failure_box is None:
            self.failure_box = QMessageBox(
                QMessageBox.Icon.Warning,
                self.tr("Changes not saved yet"),
                message,
                QMessageBox.StandardButton.Ok,
                self,
            )
            self.failure_box.open()  # not modal to the app: typing goes on, kept in memory

    def _on_header_topic_chosen(self, topic_id: uuid.UUID) -> None:
        self._change(lambda: self._runner.set_topic(self.block.block_id, topic_id))

    def _on_header_topic_typed(self, text: str) -> None:
        self._change(lambda: self._runner.set_topic(self.block.block_id, None, text))

    def start_block_now(self) -> None:
        now = self._now().time().replace(second=0, microsecond=0)
        self._change(lambda: self._runner.start_block(self.block.block_id, now))

    def end_block_now(self) -> None:
        now = self._now().time().replace(second=0, microsecond=0)
        self._change(lambda: self._runner.end_block(self.block.block_id, now))

    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        if index == 0:
            self.attendance.table.setFocus()
        elif index == 2:
            self.notes.people.setFocus()

    def open_review(self) -> ReviewWindow:
        """The review screen for this day, on the current block, once every draft is saved."""
        self.autosave.save_now()
        self._save_group_note()
        if self.review_window is None:
            self.review_window = ReviewWindow(
                self._clinic, self.user, self.sheet.day, self.block.block_id, self
            )
            self.review_window.setWindowFlag(Qt.WindowType.Window)
            self.review_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.review_window.notes_signed.connect(self.reload)
            self.review_window.destroyed.connect(self._on_review_window_destroyed)
        self.review_window.show()
        self.review_window.raise_()
        self.review_window.activateWindow()
        return self.review_window

    def _on_review_window_destroyed(self) -> None:
        self.review_window = None

    def edit_quick_phrases(self) -> None:
        QuickPhrasesDialog(
            self._clinic.quick_phrases_for(self.user), self.sheet.template, self
        ).exec()
        phrases = self._clinic.quick_phrases.all_for(self.sheet.template.code)
        for key, edit in self.editor.fields.items():
            edit.phrases = list(phrases[key])

    def focus_field(self, number: int) -> None:
        """The n-th field of the note on screen, unless that note is signed (read only)."""
        self.tabs.setCurrentWidget(self.notes)
        if self.notes.pages.currentWidget() is self.editor:
            self.editor.focus_field(number)

    def step_participant(self, offset: int) -> None:
        self.tabs.setCurrentWidget(self.notes)
        self.notes.step(offset)

    def _change(self, change: Callable[[], object]) -> None:
        try:
            change()
        except DomainError as error:
            QMessageBox.warning(self, self.tr("Not changed"), str(error))
        self.reload()
