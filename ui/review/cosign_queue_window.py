"""The supervisor's queue: associates' notes to co-sign or return, and those returned."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from facilitator import content
from facilitator.app import Clinic
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.services.signing_review import CosignRow
from ui.dialogs.addendum_dialog import AddendumDialog
from ui.dialogs.return_dialog import ReturnDialog
from ui.dialogs.sign_dialog import SignDialog
from ui.models.checkable_table_model import CheckableTableModel
from ui.models.row_table_model import Column
from ui.review.note_record_html import note_record_html
from ui.widgets import cap_columns, count_of, fit_columns, page_title, read_only_table


def _awaiting(row: CosignRow) -> bool:
    return row.status is NoteStatus.AWAITING_COSIGN


def _status(row: CosignRow) -> str:
    if row.status is NoteStatus.RETURNED:
        return "Returned, waiting for the author"
    return "Awaiting co-signature" + (
        f" ({count_of(row.addenda, 'addendum', 'addenda')})" if row.addenda else ""
    )


COLUMNS: tuple[Column[CosignRow], ...] = (
    Column("Co-sign", lambda r: "", _awaiting),
    Column("Date", lambda r: f"{r.day:%a} {r.day.isoformat()}", lambda r: r.day.isoformat()),
    Column("Time", lambda r: f"{r.start:%H:%M}"),
    Column("Group", lambda r: r.group),
    Column("Participant", lambda r: r.participant + (" ⚠" if r.risk else "")),
    Column("Chart", lambda r: r.chart_number),
    Column("Author", lambda r: r.author),
    Column("Status", _status, flagged=lambda r: r.status is NoteStatus.RETURNED),
    Column("Comment", lambda r: r.comment),
    Column("Summary", lambda r: r.summary),
)


class CosignQueueWindow(QMainWindow):
    """Check notes and co-sign them with the password, or return one with a comment."""

    queue_changed = Signal()

    def __init__(self, clinic: Clinic, user: SignedInUser, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._signing = clinic.signing
        self.user = user
        self.dialog: SignDialog | ReturnDialog | AddendumDialog | None = None
        self.model: CheckableTableModel[CosignRow] = CheckableTableModel(
            COLUMNS, lambda r: r.note_id, _awaiting, self
        )
        self._build_widgets()
        self._build_actions()
        self._connect_signals()
        self.setWindowTitle(self.tr("Co-sign queue") + f" · {user.display_name}")
        self.resize(1280, 820)
        self.refresh()

    def _build_widgets(self) -> None:
        self.counts = QLabel(self)
        self.table = read_only_table(self.model, self, stretch_column=9, sortable=False)
        self.table.setToolTip(self.tr("Space checks or unchecks a note awaiting co-signature"))
        self.detail = QTextBrowser(self)
        self.check_all_button = QPushButton(self.tr("Check all"), self)
        self.cosign_button = QPushButton(self.tr("Co-sign checked…"), self)
        self.return_button = QPushButton(self.tr("Return to author…"), self)
        self.addendum_button = QPushButton(self.tr("Addendum…"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counts, 1)
        for button in (
            self.check_all_button,
            self.cosign_button,
            self.return_button,
            self.addendum_button,
        ):
            buttons.addWidget(button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([440, 320])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(page_title(self.tr("Notes to co-sign"), self))
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.setCentralWidget(central)

    def _build_actions(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Co-sign"))
        for text, keys, button, slot in (
            (self.tr("Check &all"), "Ctrl+Shift+A", self.check_all_button, self.model.check_all),
            (self.tr("&Co-sign checked…"), "Ctrl+Return", self.cosign_button, self.cosign),
            (self.tr("&Return to author…"), "Ctrl+Shift+T", self.return_button, self.return_note),
            (self.tr("&Addendum…"), "Ctrl+Shift+N", self.addendum_button, self.add_addendum),
        ):
            self._action(menu, text, keys, slot, button)
        menu.addSeparator()
        self._action(menu, self.tr("Check or uncheck"), "Space", self.toggle_current)
        self._action(menu, self.tr("&Refresh"), "F5", self.refresh)
        self._action(menu, self.tr("Clos&e"), "Ctrl+W", self.close)

    def _action(
        self,
        menu: object,
        text: str,
        keys: str,
        slot: Callable[[], object],
        button: QPushButton | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)  # type: ignore[attr-defined]
        if button is not None:
            native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{text.replace('&', '')} ({native})")
            button.clicked.connect(lambda _=False: slot())
        return action

    def _connect_signals(self) -> None:
        self.model.checks_changed.connect(self._on_model_checks_changed)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_row_changed)

    def refresh(self) -> None:
        self.model.set_rows(self._signing.cosign_queue(self.user))
        fit_columns(self.table)
        cap_columns(self.table, 240)
        if self.model.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.setHtml(self.tr("<p>No notes are waiting for your co-signature.</p>"))
        self._on_model_checks_changed()

    def toggle_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.toggle(index.row())

    def _current(self) -> CosignRow | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def cosign(self) -> None:
        rows = self.model.checked_rows()
        if not rows:
            self._explain(self.tr("Check the notes to co-sign first (Space checks one)."))
            return
        ids = [r.note_id for r in rows]

        def cosign(password: str) -> None:
            signed = self._signing.cosign(self.user, password, ids)
            self.statusBar().showMessage(self.tr("Co-signed ") + count_of(signed, "note"), 10000)

        self.dialog = SignDialog(
            self.user,
            self.tr("Co-sign ") + count_of(len(rows), "note"),
            [f"{r.day.isoformat()} {r.start:%H:%M} · {r.participant} · {r.author}" for r in rows],
            content.signature_texts()["cosigner"],
            cosign,
            parent=self,
        )
        self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.open()

    def return_note(self) -> None:
        row = self._current()
        if row is None or row.status is not NoteStatus.AWAITING_COSIGN:
            self._explain(self.tr("Choose a note awaiting co-signature to return."))
            return
        note_id = row.note_id
        self.dialog = ReturnDialog(
            f"{row.participant} · {row.day.isoformat()} {row.start:%H:%M} to {row.author}",
            lambda comment: self._signing.return_to_author(self.user, note_id, comment),
            self,
        )
        self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.open()

    def add_addendum(self) -> None:
        row = self._current()
        if row is None:
            return
        note_id = row.note_id
        self.dialog = AddendumDialog(
            self.user,
            f"{row.participant} · {row.day.isoformat()} {row.start:%H:%M}",
            content.signature_texts()["addendum"],
            lambda text, password, _resubmit: self._signing.add_addendum(
                self.user, password, note_id, text
            ),
            parent=self,
        )
        self.dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog.open()

    def _explain(self, message: str) -> None:
        QMessageBox.information(self, self.tr("Co-sign queue"), message)

    def _on_dialog_accepted(self) -> None:
        self.refresh()
        self.queue_changed.emit()

    def _on_model_checks_changed(self) -> None:
        rows = self.model.rows()
        awaiting = sum(1 for r in rows if _awaiting(r))
        checked = len(self.model.checked_rows())
        self.counts.setText(
            f"{checked} checked · {awaiting} awaiting co-signature · "
            f"{len(rows) - awaiting} returned to the author"
        )
        self.cosign_button.setEnabled(checked > 0)

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            row = self.model.row_at(current.row())
            self.detail.setHtml(note_record_html(self._signing.note_record(row.note_id)))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dialog is not None:
            self.dialog.close()
        super().closeEvent(event)
