"""The Clinicians window (administrators): list, add, edit, reset password, deactivate."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QFontDatabase, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.accounts import Accounts, ClinicianRow
from ui.accounts.clinician_dialog import ClinicianDialog
from ui.models.row_table_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel
from ui.widgets import fit_columns, page_title, read_only_table


def _status(row: ClinicianRow) -> str:
    if not row.active:
        return "Deactivated"
    if row.locked:
        return "Locked (failed sign-ins)"
    if not row.has_password:
        return "No password yet"
    if row.must_change_password:
        return "Temporary password"
    return "Active"


COLUMNS: tuple[Column[ClinicianRow], ...] = (
    Column("Name", lambda r: r.display_name),
    Column("Username", lambda r: r.username),
    Column("Credentials", lambda r: r.credentials),
    Column("NPI", lambda r: r.npi),
    Column("License", lambda r: r.license_number),
    Column("Role", lambda r: r.role.value.capitalize()),
    Column("Co-signature", lambda r: "Needed" if r.needs_cosignature else ""),
    Column("Supervisor", lambda r: r.supervisor),
    Column("Status", _status, flagged=lambda r: r.locked or not r.active),
    Column(
        "Last sign-in",
        lambda r: f"{r.last_login_at.astimezone():%Y-%m-%d %H:%M}" if r.last_login_at else "",
        sort_key=lambda r: r.last_login_at.timestamp() if r.last_login_at else 0.0,
    ),
)


class CliniciansWindow(QMainWindow):
    """Accounts are never deleted: a clinician who leaves is deactivated, so the notes they
    signed keep a valid signature."""

    def __init__(
        self, accounts: Accounts, user: SignedInUser, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._accounts = accounts
        self.user = user
        self.setWindowTitle(self.tr("Clinicians — Facilitator"))
        self.model: RowTableModel[ClinicianRow] = RowTableModel(COLUMNS, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterKeyColumn(-1)
        self.table = read_only_table(self.proxy, self, stretch_column=0)
        self.show_inactive = QCheckBox(self.tr("&Show deactivated accounts"), self)
        self.add_action = self._action(self.tr("&Add clinician…"), "Ctrl+N", self.add_clinician)
        self.edit_action = self._action(self.tr("&Edit…"), "Ctrl+E", self.edit_selected)
        self.reset_action = self._action(
            self.tr("&Reset password…"), "Ctrl+R", self.reset_selected_password
        )
        self.active_action = self._action(
            self.tr("&Deactivate"), "Ctrl+D", self.toggle_selected_active
        )
        self.close_action = self._action(self.tr("&Close"), "Ctrl+W", self.close)
        self._build_layout()
        self._connect_signals()
        self.resize(1100, 560)
        self.refresh()
        self.proxy.sort(0, Qt.SortOrder.AscendingOrder)

    def _action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        return action

    def _build_layout(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&Clinician"))
        for action in (self.add_action, self.edit_action, self.reset_action, self.active_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.close_action)
        buttons = QHBoxLayout()
        for action in (self.add_action, self.edit_action, self.reset_action, self.active_action):
            button = QPushButton(self)
            button.setText(action.text())
            button.setToolTip(action.shortcut().toString(QKeySequence.SequenceFormat.NativeText))
            button.clicked.connect(action.trigger)
            action.enabledChanged.connect(button.setEnabled)
            action.changed.connect(lambda b=button, a=action: b.setText(a.text()))
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_inactive)
        note = QLabel(
            self.tr(
                "Accounts are never deleted, so signed notes stay valid: deactivate a clinician "
                "who leaves. A reset password is temporary; the clinician chooses their own at "
                "the next sign-in."
            ),
            self,
        )
        note.setWordWrap(True)
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.addWidget(page_title(self.tr("Clinicians"), central))
        layout.addWidget(note)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.setCentralWidget(central)

    def _connect_signals(self) -> None:
        self.show_inactive.toggled.connect(self._on_show_inactive_toggled)
        self.table.activated.connect(self._on_table_activated)
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(self._on_selection_current_row_changed)

    def refresh(self) -> None:
        """Read the accounts again, keeping the selected one selected."""
        selected = self.selected()
        rows = self._accounts.clinicians()
        if not self.show_inactive.isChecked():
            rows = [r for r in rows if r.active]
        self.model.set_rows(rows)
        fit_columns(self.table)
        if selected is not None:
            self.select(selected.username)
        elif self.proxy.rowCount():
            self.table.selectRow(0)
        self._update_actions()

    def selected(self) -> ClinicianRow | None:
        index = self.table.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, ClinicianRow) else None

    def select(self, username: str) -> None:
        for position in range(self.proxy.rowCount()):
            row = self.proxy.index(position, 0).data(ROW_ROLE)
            if isinstance(row, ClinicianRow) and row.username == username:
                self.table.selectRow(position)
                return

    def add_clinician(self) -> None:
        dialog = ClinicianDialog(self._accounts.clinicians(), None, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                added, password = self._accounts.add_clinician(
                    self.user, dialog.username(), dialog.details()
                )
            except DomainError as error:
                dialog.refuse(str(error))
                continue
            self.refresh()
            self.select(added.username)
            self._show_password(added.display_name, added.username, password)
            return

    def edit_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = ClinicianDialog(self._accounts.clinicians(), row, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self._accounts.update_clinician(self.user, row.id, dialog.details())
            except DomainError as error:
                dialog.refuse(str(error))
                continue
            self.refresh()
            return

    def reset_selected_password(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Reset password"),
            self.tr(
                "Give %1 a new temporary password? Their current password stops working, a "
                "lockout ends, and their PDF signing key is replaced at their next signed "
                "export."
            ).replace("%1", row.display_name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            password = self._accounts.reset_password(self.user, row.id)
        except DomainError as error:
            QMessageBox.warning(self, self.tr("Not reset"), str(error))
            return
        self.refresh()
        self._show_password(row.display_name, row.username, password)

    def toggle_selected_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            self._accounts.set_active(self.user, row.id, not row.active)
        except DomainError as error:
            QMessageBox.warning(self, self.tr("Not changed"), str(error))
            return
        self.refresh()

    def _show_password(self, name: str, username: str, password: str) -> None:
        box = QMessageBox(self)
        box.setWindowTitle(self.tr("Temporary password"))
        box.setIcon(QMessageBox.Icon.Information)
        box.setText(
            self.tr(
                "Temporary password for %1 (username %2), shown only now. Give it to them in "
                "person; they choose their own at the first sign-in:"
            )
            .replace("%1", name)
            .replace("%2", username)
        )
        box.setInformativeText(password)
        label = box.findChild(QLabel, "qt_msgbox_informativelabel")
        if label is not None:
            label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.exec()

    def _update_actions(self) -> None:
        row = self.selected()
        for action in (self.edit_action, self.reset_action, self.active_action):
            action.setEnabled(row is not None)
        self.active_action.setText(
            self.tr("Re&activate") if row is not None and not row.active else self.tr("&Deactivate")
        )

    def _on_show_inactive_toggled(self, _checked: bool) -> None:
        self.refresh()

    def _on_table_activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def _on_selection_current_row_changed(
        self, _current: QModelIndex, _previous: QModelIndex
    ) -> None:
        self._update_actions()
