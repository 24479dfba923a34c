"""What the review screen and the co-sign queue share: a checkable list of notes above the
chosen note as the record holds it, buttons that each have a menu action and a shortcut, and
one dialog (sign, return, addendum) at a time."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from typing import Generic, Protocol, TypeVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLayout,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from ui.models.checkable_table_model import CheckableTableModel
from ui.models.row_table_model import Column
from ui.review.note_record_html import note_record_html
from ui.widgets import cap_columns, fit_columns, read_only_table


class NoteRow(Protocol):
    @property
    def note_id(self) -> uuid.UUID | None: ...


Row = TypeVar("Row", bound=NoteRow)
Command = tuple[str, str, Callable[[], object]]  # menu text, shortcut, slot


class NoteListWindow(QMainWindow, Generic[Row]):
    """The shared frame; a subclass lays out its buttons, fills the list in refresh() and
    says what the detail pane shows (_show_detail) and what the counts say (_update_counts).
    """

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        title: str,
        columns: Sequence[Column[Row]],
        checkable: Callable[[Row], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._signing = clinic.signing
        self._title = title
        self.user = user
        self.dialog: QDialog | None = None
        self.model: CheckableTableModel[Row] = CheckableTableModel(
            columns, lambda r: r.note_id, checkable, self
        )
        self.counts = QLabel(self)
        self.table = read_only_table(
            self.model, self, stretch_column=len(columns) - 1, sortable=False
        )
        self.detail = QTextBrowser(self)
        self.detail.setOpenLinks(False)

    # --- building -------------------------------------------------------------------------

    def _lay_out(
        self, top: QWidget | QLayout, buttons: Sequence[QPushButton], sizes: list[int]
    ) -> None:
        """`top` above the list and the detail, the counts and `buttons` below them."""
        row = QHBoxLayout()
        row.addWidget(self.counts, 1)
        for button in buttons:
            row.addWidget(button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes(sizes)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        if isinstance(top, QLayout):
            layout.addLayout(top)
        else:
            layout.addWidget(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(row)
        self.setCentralWidget(central)

    def _build_menu(
        self,
        title: str,
        commands: Sequence[Command],
        extra: Sequence[Command] = (),
    ) -> list[QPushButton]:
        """A menu with `commands`, each also a button (returned, in order), then checking,
        `extra`, refreshing and closing."""
        menu = self.menuBar().addMenu(title)
        buttons = []
        for text, keys, slot in commands:
            buttons.append(QPushButton(text.replace("&", ""), self))
            self._action(menu, text, keys, slot, buttons[-1])
        menu.addSeparator()
        self._action(menu, self.tr("Check or uncheck"), "Space", self.toggle_current)
        for text, keys, slot in extra:
            self._action(menu, text, keys, slot)
        self._action(menu, self.tr("&Refresh"), "F5", self.refresh)
        self._action(menu, self.tr("Clos&e"), "Ctrl+W", self.close)
        return buttons

    def _action(
        self,
        menu: QMenu,
        text: str,
        keys: str,
        slot: Callable[[], object],
        button: QPushButton | None = None,
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        menu.addAction(action)
        if button is not None:
            native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            button.setToolTip(f"{text.replace('&', '')} ({native})")
            button.clicked.connect(lambda _=False: slot())
        return action

    def _connect_signals(self) -> None:
        self.model.checks_changed.connect(self._on_model_checks_changed)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_table_current_row_changed)

    # --- showing --------------------------------------------------------------------------

    def refresh(self) -> None:
        raise NotImplementedError

    def _show_rows(self, rows: Sequence[Row], widest: int, when_empty: str) -> None:
        """List `rows` (the first one chosen), or say `when_empty` in the detail pane."""
        self.model.set_rows(rows)
        fit_columns(self.table)
        cap_columns(self.table, widest)
        if rows:
            self.table.selectRow(0)
        else:
            self.detail.setHtml(when_empty)
        self._update_counts()

    def _update_counts(self) -> None:
        raise NotImplementedError

    def _show_detail(self, row: Row) -> None:
        """Show the chosen row's note (a subclass may say more, or something else)."""
        if row.note_id is not None:
            self.detail.setHtml(note_record_html(self._signing.note_record(row.note_id)))

    def _current(self) -> Row | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    # --- acting ---------------------------------------------------------------------------

    def toggle_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.toggle(index.row())

    def _open_dialog(self, dialog: QDialog) -> None:
        """Show `dialog` (window modal); once it is accepted, the list is read again."""
        self.dialog = dialog
        dialog.accepted.connect(self._on_dialog_accepted)
        dialog.open()

    def _changed(self) -> None:
        """Tell the other windows that notes changed (a subclass emits its signal)."""
        raise NotImplementedError

    def _explain(self, message: str) -> None:
        QMessageBox.information(self, self._title, message)

    # --- slots ----------------------------------------------------------------------------

    def _on_dialog_accepted(self) -> None:
        self.refresh()
        self._changed()

    def _on_model_checks_changed(self) -> None:
        self._update_counts()

    def _on_table_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._show_detail(self.model.row_at(current.row()))

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.dialog is not None:
            self.dialog.close()
        super().closeEvent(event)
