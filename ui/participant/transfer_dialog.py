"""Transfer to another group of the program, or step down to a group of another program, from
a date: the stay continues (not a discharge)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.services.roster_csv import parse_date
from facilitator.services.transfers import Placement
from ui.colors import warning_style
from ui.participant.details_form import DATE_HINT, chain_focus
from ui.participant.form_parts import refusal_label
from ui.widgets import grow_to_fit

Move = Callable[[bool, uuid.UUID, date], object]  # step down?, group, from day


class TransferDialog(QDialog):
    """Ctrl+S or Enter moves the participant; a refusal says why beside the date or below."""

    def __init__(
        self,
        name: str,
        placement: Placement,
        today: date,
        move: Move,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._placement = placement
        self._move = move
        self.setWindowTitle(self.tr("Transfer or step down %1").replace("%1", name))
        attended = (
            self.tr("last attended on %1").replace("%1", placement.last_attended.isoformat())
            if placement.last_attended
            else self.tr("no attendance yet")
        )
        self.intro = QLabel(
            self.tr(
                "%1 is in %2 (%3) since %4, %5. A transfer or a step down is not a discharge: "
                "the current enrollment ends the day before the date, the new one starts on it, "
                "and the attendance, hours and goals go on in one record."
            )
            .replace("%1", name)
            .replace("%2", placement.group)
            .replace("%3", placement.program)
            .replace("%4", placement.admitted.isoformat())
            .replace("%5", attended),
            self,
        )
        self.intro.setWordWrap(True)
        self.transfer = QRadioButton(
            self.tr("&Transfer to another group of %1").replace("%1", placement.program), self
        )
        self.step_down = QRadioButton(self.tr("Step &down to a group of another program"), self)
        self.kind = QButtonGroup(self)
        self.kind.addButton(self.transfer)
        self.kind.addButton(self.step_down)
        self.group = QComboBox(self)
        self.day = QLineEdit(max(today, placement.earliest).isoformat(), self)
        self.day.setPlaceholderText(DATE_HINT)
        self.day.setToolTip(
            self.tr("From %1 at the earliest").replace("%1", placement.earliest.isoformat())
        )
        self.day_error = QLabel(self)
        self.day_error.setWordWrap(True)
        self.day_error.setStyleSheet(warning_style())
        self.error = refusal_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.move_button = self.buttons.addButton(
            self.tr("&Move"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.move_button.setShortcut(QKeySequence.StandardKey.Save)
        self.move_button.setToolTip(self.tr("Move from the date (Ctrl+S)"))
        self.move_button.setDefault(True)
        self._build_layout()
        chain_focus([self.transfer, self.step_down, self.group, self.day, self.move_button])
        self.transfer.setEnabled(bool(placement.same_program))
        self.step_down.setEnabled(bool(placement.other_programs))
        (self.transfer if placement.same_program else self.step_down).setChecked(True)
        self._fill_groups()
        self.kind.buttonToggled.connect(self._on_kind_button_toggled)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _build_layout(self) -> None:
        form = QFormLayout()
        group_label = QLabel(self.tr("&Group:"), self)
        group_label.setBuddy(self.group)
        form.addRow(group_label, self.group)
        day_label = QLabel(self.tr("&From:"), self)
        day_label.setBuddy(self.day)
        day_row = QHBoxLayout()
        day_row.addWidget(self.day)
        day_row.addWidget(self.day_error, 1)
        form.addRow(day_label, day_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.transfer)
        layout.addWidget(self.step_down)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)

    def _fill_groups(self) -> None:
        self.group.clear()
        placement = self._placement
        choices = placement.other_programs if self.step_down.isChecked() else placement.same_program
        for choice in choices:
            self.group.addItem(choice.label, choice.group_id)
        enabled = bool(choices)
        self.group.setEnabled(enabled)
        self.move_button.setEnabled(enabled)
        if not enabled:
            self.error.setText(self.tr("There is no other active group to move to."))

    def _on_kind_button_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self._fill_groups()

    def _on_buttons_accepted(self) -> None:
        self.day_error.clear()
        self.error.clear()
        try:
            day = parse_date(self.day.text().strip())
        except ValueError as error:
            self.day_error.setText(str(error))
            self.day.setFocus()
            grow_to_fit(self)
            return
        try:
            self._move(self.step_down.isChecked(), self.group.currentData(), day)
        except DomainError as error:
            self.error.setText(str(error))
            grow_to_fit(self)
            return
        self.accept()
