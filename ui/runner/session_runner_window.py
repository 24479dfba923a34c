"""The session runner: one group's day, block by block, attendance and notes."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from facilitator import content
from facilitator.app import Clinic
from facilitator.documents.requests import SessionRecordRequest, SignInSheetRequest
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus, note_progress
from facilitator.domain.users import SignedInUser
from facilitator.services.draft_writer import DraftKey
from facilitator.services.session_sheet import BlockSheet, SessionSheet
from facilitator.services.views import TopicRow
from facilitator.storage.errors import describe_write_failure
from ui.dialogs.quick_phrases_dialog import QuickPhrasesDialog
from ui.export.document_exporter import DocumentExporter
from ui.printing.document_printer import DocumentPrinter, print_actions
from ui.review.review_window import ReviewWindow
from ui.runner.attendance_panel import AttendancePanel
from ui.runner.autosave import SAVE_DELAY_MS, Autosave, throttled
from ui.runner.group_note_panel import GroupNotePanel
from ui.runner.notes_panel import NotesPanel
from ui.runner.participant_note_editor import ParticipantNoteEditor
from ui.views.curriculum_view import topic_html
from ui.widgets import page_title

ADD_REASONS = ("Drop-in", "New admission", "Transferred from another group")
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
        self.sheet: SessionSheet = self._runner.sheet(session_id)
        self._topics = clinic.curriculum()
        self._block_index = 0
        self._block_shown = False  # until a block is on screen there is nothing to save
        self._participant: uuid.UUID | None = None
        self.review_window: ReviewWindow | None = None
        self.failure_box: QMessageBox | None = None  # shown once per run of failed saves
        self.autosave = Autosave(self._runner.save_draft, self, self._describe_failure)
        self.printer = DocumentPrinter(clinic, user, self)
        self.exporter = DocumentExporter(clinic, user, self)
        self.save_state = QLabel(self)
        self._build_widgets()
        self._build_menus()
        self._connect_signals()
        self.setWindowTitle(
            f"{self.sheet.group} · {self.sheet.day:%A %d %B %Y} — " + self.tr("Facilitator")
        )
        self.resize(1360, 860)
        ids = [b.block_id for b in self.sheet.blocks]
        self.show_block(ids.index(first_block) if first_block in ids else 0)

    # --- building -------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.blocks = QListWidget(self)
        self.blocks.setWordWrap(True)
        self.blocks.setSpacing(4)
        self.blocks.setToolTip(self.tr("Ctrl+PgUp / Ctrl+PgDown: previous or next block"))
        self.block_title = page_title("", self)
        self.topic = QComboBox(self)
        self.topic.setEditable(True)
        self.topic.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.topic.setToolTip(self.tr("Pick a curriculum topic or type your own"))
        self.outline_button = QPushButton(self.tr("Outline (F1)"), self)
        self.start_button = QPushButton(self)
        self.end_button = QPushButton(self)
        self.attendance = AttendancePanel(
            self._runner, self.session_id, self._pick_participant, self
        )
        self.group_note = GroupNotePanel(self)
        self.editor = ParticipantNoteEditor(
            self.sheet.template,
            content.pick_lists(),
            self._clinic.quick_phrases.all_for(self.sheet.template.code).__getitem__,
            self,
        )
        self.notes = NotesPanel(self.editor, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.attendance, self.tr("Attendance (F2)"))
        self.tabs.addTab(self.group_note, self.tr("Group note (F3)"))
        self.tabs.addTab(self.notes, self.tr("Participant notes (F4)"))
        header = QHBoxLayout()
        header.addWidget(self.block_title)
        header.addWidget(QLabel(self.tr("Topic:"), self))
        header.addWidget(self.topic, 1)
        header.addWidget(self.outline_button)
        header.addWidget(self.start_button)
        header.addWidget(self.end_button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(header)
        right_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(self)
        splitter.addWidget(self.blocks)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 1100])
        self.setCentralWidget(splitter)
        self.statusBar().addPermanentWidget(self.save_state)
        self.save_state.setText(self.tr(SAVE_STATES["saved"]))

    def _build_menus(self) -> None:
        block_menu = self.menuBar().addMenu(self.tr("&Block"))
        self._action(
            block_menu,
            self.tr("&Previous block"),
            "Ctrl+PgUp",
            lambda: self.show_block(self._block_index - 1),
        )
        self._action(
            block_menu,
            self.tr("&Next block"),
            "Ctrl+PgDown",
            lambda: self.show_block(self._block_index + 1),
        )
        block_menu.addSeparator()
        self._action(
            block_menu, self.tr("&Start block now"), "Ctrl+Shift+S", self._on_start_button_clicked
        )
        self._action(
            block_menu, self.tr("&End block now"), "Ctrl+Shift+E", self._on_end_button_clicked
        )
        self._action(block_menu, self.tr("Topic &outline"), "F1", self._show_outline)
        block_menu.addSeparator()
        record = partial(SessionRecordRequest, self.session_id)
        block_menu.addActions(print_actions(self.printer, record, self.tr("session record"), self))
        name = f"{self.sheet.group} {self.sheet.day}"
        block_menu.addAction(
            self.exporter.action(self.tr("E&xport session record…"), "Ctrl+Alt+R", record, name)
        )
        sign_in = partial(SignInSheetRequest, self.session_id)
        block_menu.addAction(
            self.exporter.action(self.tr("Export s&ign-in sheet…"), "Ctrl+Alt+I", sign_in, name)
        )
        block_menu.addSeparator()
        self._action(block_menu, self.tr("&Close runner"), "Ctrl+W", self.close)
        attendance_menu = self.menuBar().addMenu(self.tr("&Attendance"))
        for action in self.attendance.menu_actions:
            attendance_menu.addAction(action)
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        for index, keys in enumerate(("F2", "F3", "F4")):
            title = self.tabs.tabText(index).split(" (")[0]
            self._action(go_menu, title, keys, partial(self._show_tab, index))
        go_menu.addSeparator()
        self._action(
            go_menu, self.tr("Pre&vious participant"), "Alt+Up", lambda: self._step_participant(-1)
        )
        self._action(
            go_menu, self.tr("Ne&xt participant"), "Alt+Down", lambda: self._step_participant(1)
        )
        note_menu = self.menuBar().addMenu(self.tr("&Note"))
        for number, field in enumerate(self.sheet.template.fields[:9], start=1):
            self._action(
                note_menu, field.label, f"Ctrl+{number}", partial(self._focus_field, number)
            )
        note_menu.addSeparator()
        self._action(note_menu, self.tr("&Quick phrases for this field"), "Ctrl+Space", None)
        self._action(
            note_menu, self.tr("&Edit quick phrases…"), "Ctrl+Shift+Q", self._edit_quick_phrases
        )
        note_menu.addSeparator()
        self._action(note_menu, self.tr("&Review and sign…"), "Ctrl+Shift+R", self.open_review)

    def _action(
        self, menu: object, text: str, keys: str, slot: Callable[[], object] | None
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        if slot is None:  # listed for discoverability; the focused field handles the keys
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        else:
            action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _connect_signals(self) -> None:
        self.blocks.currentRowChanged.connect(self._on_blocks_current_row_changed)
        self.topic.activated.connect(self._on_topic_activated)
        topic_editor = self.topic.lineEdit()
        assert topic_editor is not None  # the combo box is editable
        topic_editor.editingFinished.connect(self._on_topic_edited)
        self.outline_button.clicked.connect(self._show_outline)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.end_button.clicked.connect(self._on_end_button_clicked)
        self.attendance.attendance_changed.connect(self.reload)
        self._save_group_note_soon = throttled(self._save_group_note, SAVE_DELAY_MS, self)
        self.group_note.changed.connect(self._on_group_note_changed)
        self.notes.participant_selected.connect(self._on_notes_participant_selected)
        self.editor.changed.connect(self._on_editor_changed)
        self.autosave.state_changed.connect(self._on_autosave_state_changed)
        self.autosave.failed.connect(self._on_autosave_failed)

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
                f"{block.planned.start:%H:%M}–{block.planned.end:%H:%M}  {block.modality}\n"
                f"{block.topic or '(no topic)'}\n"
                f"{block.present} present · {done} of {block.present} notes started"
            )
        self.blocks.setCurrentRow(self._block_index)
        self.blocks.blockSignals(False)

    def _show_current_block(self) -> None:
        block = self.block
        self.block_title.setText(f"{block.modality}")
        self.topic.blockSignals(True)
        self.topic.clear()
        for topic in self._block_topics():
            self.topic.addItem(f"{topic.sequence}. {topic.title}", str(topic.topic_id))
        found = self.topic.findData(str(block.topic_id)) if block.topic_id else -1
        if found >= 0:
            self.topic.setCurrentIndex(found)
        else:
            self.topic.setEditText(block.free_topic or "")
        self.topic.blockSignals(False)
        start = block.actual_start
        end = block.actual_end
        self.start_button.setText(
            self.tr("Started ") + f"{start:%H:%M}"
            if start
            else self.tr("Start") + f" ({block.planned.start:%H:%M})"
        )
        self.end_button.setText(
            self.tr("Ended ") + f"{end:%H:%M}"
            if end
            else self.tr("End") + f" ({block.planned.end:%H:%M})"
        )
        self.end_button.setEnabled(start is not None)
        self.attendance.show_block(block)
        self.group_note.show_block(block)
        self.notes.show_block(block, self._participant)
        self._block_shown = True

    def _block_topics(self) -> list[TopicRow]:
        return [t for t in self._topics if t.modality_code == self.block.modality_code]

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
        key = DraftKey(self.block.block_id, participant_id)
        draft = self.autosave.latest(key) or (entry.note.draft if entry.note else None)
        self.notes.show_note(entry, draft, self._group_context())

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
        if (tuple(ticked), other, summary) == (
            block.interventions,
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
        self.save_state.setStyleSheet(
            "color: #c62828; font-weight: bold;" if state == "failed" else ""
        )

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

    def _on_topic_activated(self, index: int) -> None:
        topic_id = uuid.UUID(str(self.topic.itemData(index)))
        if topic_id != self.block.topic_id:
            self._change(lambda: self._runner.set_topic(self.block.block_id, topic_id))

    def _on_topic_edited(self) -> None:
        text = self.topic.currentText().strip()
        if self.topic.findText(text) >= 0 or text == (self.block.free_topic or ""):
            return
        self._change(lambda: self._runner.set_topic(self.block.block_id, None, text))

    def _on_start_button_clicked(self) -> None:
        now = self._now().time().replace(second=0, microsecond=0)
        self._change(lambda: self._runner.start_block(self.block.block_id, now))

    def _on_end_button_clicked(self) -> None:
        now = self._now().time().replace(second=0, microsecond=0)
        self._change(lambda: self._runner.end_block(self.block.block_id, now))

    def _show_outline(self) -> None:
        topic = next((t for t in self._topics if t.topic_id == self.block.topic_id), None)
        if topic is None:
            QMessageBox.information(
                self, self.tr("Outline"), self.tr("This block's topic is not from the curriculum.")
            )
            return
        box = QMessageBox(
            QMessageBox.Icon.NoIcon,
            topic.title,
            topic_html(topic),
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    def _show_tab(self, index: int) -> None:
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

    def _edit_quick_phrases(self) -> None:
        QuickPhrasesDialog(
            self._clinic.quick_phrases_for(self.user), self.sheet.template, self
        ).exec()
        phrases = self._clinic.quick_phrases.all_for(self.sheet.template.code)
        for key, edit in self.editor.fields.items():
            edit.phrases = list(phrases[key])

    def _focus_field(self, number: int) -> None:
        self.tabs.setCurrentWidget(self.notes)
        self.editor.focus_field(number)

    def _step_participant(self, offset: int) -> None:
        self.tabs.setCurrentWidget(self.notes)
        self.notes.step(offset)

    def _change(self, change: Callable[[], object]) -> None:
        try:
            change()
        except DomainError as error:
            QMessageBox.warning(self, self.tr("Not changed"), str(error))
        self.reload()

    def _pick_participant(self, block: BlockSheet) -> tuple[uuid.UUID, str] | None:
        here = {e.participant_id for e in block.roster if not e.removed}
        candidates = [
            r
            for r in self._clinic.roster(self.sheet.day)
            if r.status == "active" and r.participant_id not in here
        ]
        if not candidates:
            QMessageBox.information(
                self,
                self.tr("Add participant"),
                self.tr("Everyone active in the program is already here."),
            )
            return None
        labels = [f"{r.name} · {r.chart_number} · {r.group}" for r in candidates]
        label, accepted = QInputDialog.getItem(
            self, self.tr("Add participant"), self.tr("Who joins this block?"), labels, 0, False
        )
        if not accepted:
            return None
        reason, accepted = QInputDialog.getItem(
            self, self.tr("Add participant"), self.tr("Why?"), list(ADD_REASONS), 0, True
        )
        return (candidates[labels.index(label)].participant_id, reason) if accepted else None
