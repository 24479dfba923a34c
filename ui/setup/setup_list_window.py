"""What the setup windows share (as the Clinicians window does it): a title, a note, a menu
and buttons for add (Ctrl+N), edit (Ctrl+E or Enter), deactivate (Ctrl+D) and close (Ctrl+W),
and a sortable table of the records, deactivated ones shown on request."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import Generic

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from ui.models.row_table_model import ROW_ROLE, SORT_ROLE, Column, Row, RowTableModel
from ui.participant.form_parts import refusal_label
from ui.widgets import fit_columns, page_title, read_only_table


class SetupListWindow(QMainWindow, Generic[Row]):
    """Subclasses name it (describe()), give the rows (`load`), a row's key and whether it is
    active, and do the work of add(), edit(row) and set_active(row, active)."""

    def __init__(
        self,
        columns: Sequence[Column[Row]],
        key: Callable[[Row], Hashable],
        is_active: Callable[[Row], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._key = key
        self._is_active = is_active
        self.model: RowTableModel[Row] = RowTableModel(columns, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = read_only_table(self.proxy, self)
        self.table.setToolTip(self.tr("Enter edits the selected one"))
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.show_inactive = QCheckBox(self.tr("&Show deactivated"), self)
        self.add_action = self.action("", "Ctrl+N", self.add)
        self.edit_action = self.action(self.tr("&Edit…"), "Ctrl+E", self.edit_selected)
        self.active_action = self.action(
            self.tr("&Deactivate"), "Ctrl+D", self.toggle_selected_active
        )
        self.close_action = self.action(self.tr("&Close"), "Ctrl+W", self.close)
        self.menu = self.menuBar().addMenu("")
        self.buttons = QHBoxLayout()
        self._buttons_closed = False
        for action in (self.add_action, self.edit_action, self.active_action):
            self.add_button(action)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.show_inactive)
        self._buttons_closed = True
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.error = refusal_label(self)
        self.error.hide()
        central = QWidget(self)
        self.title = page_title("", central)
        self.layout_ = QVBoxLayout(central)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.note)
        self.layout_.addLayout(self.buttons)
        self.layout_.addWidget(self.error)
        self.layout_.addWidget(self.table, 1)
        self.setCentralWidget(central)
        self.show_inactive.toggled.connect(self._on_show_inactive_toggled)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(
            self._on_selection_current_row_changed
        )
        self.resize(1000, 560)

    def describe(self, title: str, note: str, menu: str, add: str) -> None:
        """The window's title and note, its menu's title, and the Add action's text."""
        self.setWindowTitle(f"{title} — Facilitator")
        self.title.setText(title)
        self.note.setText(note)
        self.menu.setTitle(menu)
        self.add_action.setText(add)

    def action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def add_button(self, action: QAction) -> None:
        """A button for `action` (before the stretch), and the action in the menu."""
        self.menu.addAction(action)
        button = QPushButton(action.text(), self)
        native = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(native)
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        action.changed.connect(lambda b=button, a=action: b.setText(a.text()))
        if self._buttons_closed:  # the stretch and the check box stay last
            self.buttons.insertWidget(self.buttons.count() - 2, button)
        else:
            self.buttons.addWidget(button)

    def finish_menu(self) -> None:
        """Close last in the menu (call once the subclass added its own actions)."""
        self.menu.addSeparator()
        self.menu.addAction(self.close_action)

    def load(self) -> list[Row]:
        raise NotImplementedError

    def add(self) -> None:
        raise NotImplementedError

    def edit(self, row: Row) -> None:
        raise NotImplementedError

    def set_active(self, row: Row, active: bool) -> None:
        raise NotImplementedError

    def refuse(self, message: str) -> None:
        """Say inline, in red above the list, why an action was refused."""
        self.error.setText(message)
        self.error.show()

    def refresh(self) -> None:
        """Read the records again, keeping the selected one selected (a refusal shown is
        cleared: the list is what it says now)."""
        self.error.hide()
        selected = self.selected()
        rows = self.load()
        if not self.show_inactive.isChecked():
            rows = [r for r in rows if self._is_active(r)]
        self.model.set_rows(rows)
        fit_columns(self.table)
        kept = selected is not None and self.select(self._key(selected))
        if not kept and self.proxy.rowCount():
            self.table.selectRow(0)
        self.update_actions()

    def selected(self) -> Row | None:
        index = self.table.currentIndex()
        row: Row | None = index.data(ROW_ROLE) if index.isValid() else None
        return row

    def select(self, key: Hashable) -> bool:
        for position in range(self.proxy.rowCount()):
            if self._key(self.proxy.index(position, 0).data(ROW_ROLE)) == key:
                self.table.selectRow(position)
                return True
        return False

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.edit(row)

    def toggle_selected_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            self.set_active(row, not self._is_active(row))
        except DomainError as error:
            self.refuse(str(error))
            return
        self.refresh()

    def update_actions(self) -> None:
        row = self.selected()
        for action in (self.edit_action, self.active_action):
            action.setEnabled(row is not None)
        inactive = row is not None and not self._is_active(row)
        self.active_action.setText(self.tr("Re&activate") if inactive else self.tr("&Deactivate"))

    def _on_show_inactive_toggled(self, _checked: bool) -> None:
        self.refresh()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def _on_selection_current_row_changed(
        self, _current: QModelIndex, _previous: QModelIndex
    ) -> None:
        self.error.hide()  # a refusal was about the row selected before
        self.update_actions()
