"""The participant's details as a form: each row a label (with its access key), the field, and
beside it the reason it was refused, in the warning red. Shared by Admit and Edit details."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QWidget

from facilitator.services.admissions import ParticipantDetails
from facilitator.services.roster_csv import parse_date
from ui.colors import warning_style

DATE_HINT = "YYYY-MM-DD or MM/DD/YYYY"


class DetailsForm(QWidget):
    """Rows are added in screen order, which is also the focus order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(1, 3)
        self._grid.setColumnStretch(2, 2)
        self.fields: dict[str, QWidget] = {}  # in screen order
        self.errors: dict[str, QLabel] = {}
        self.chart_number = self.line("chart_number", self.tr("&Chart number:"), 50)
        self.first_name = self.line("first_name", self.tr("Legal &first name:"), 100)
        self.last_name = self.line("last_name", self.tr("Legal &last name:"), 100)
        self.preferred_name = self.line("preferred_name", self.tr("&Preferred name:"), 100)
        self.pronouns = self.line("pronouns", self.tr("Pro&nouns:"), 50)
        self.pronouns.setPlaceholderText(self.tr("for example they/them"))
        self.date_of_birth = self.date_line("date_of_birth", self.tr("Date of &birth:"))

    def add_row(self, key: str, label: str, widget: QWidget) -> QWidget:
        """A row: the label (its access key focuses the field), the field, its error."""
        row = self._grid.rowCount()
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        error = QLabel(self)
        error.setWordWrap(True)
        error.setStyleSheet(warning_style())
        error.setMinimumWidth(280)
        error.hide()
        self._grid.addWidget(caption, row, 0)
        self._grid.addWidget(widget, row, 1)
        self._grid.addWidget(error, row, 2)
        self.fields[key], self.errors[key] = widget, error
        return widget

    def line(self, key: str, label: str, max_length: int) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setMaxLength(max_length + 1)  # one more, so too long is said, not cut silently
        self.add_row(key, label, edit)
        return edit

    def date_line(self, key: str, label: str) -> QLineEdit:
        edit = self.line(key, label, 10)
        edit.setPlaceholderText(DATE_HINT)
        return edit

    def focus_order(self) -> list[QWidget]:
        return list(self.fields.values())

    def set_details(self, details: ParticipantDetails) -> None:
        self.chart_number.setText(details.chart_number)
        self.first_name.setText(details.first_name)
        self.last_name.setText(details.last_name)
        self.preferred_name.setText(details.preferred_name)
        self.pronouns.setText(details.pronouns)
        self.date_of_birth.setText(details.date_of_birth.isoformat())

    def clear_problems(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_problems(self, problems: dict[str, str]) -> bool:
        """Each problem beside its field, the first such field on screen focused; False when
        one has no field here (the caller shows it elsewhere)."""
        for key, message in problems.items():
            if key in self.errors:
                self.errors[key].setText(message)
                self.errors[key].show()
        refused = [key for key in self.fields if key in problems]
        if refused:
            self.fields[refused[0]].setFocus()
        return all(key in self.errors for key in problems)

    def read_date(self, key: str, problems: dict[str, str], optional: bool = False) -> date | None:
        """The date typed in `key`'s field; a problem noted when it is not one."""
        widget = self.fields[key]
        assert isinstance(widget, QLineEdit)
        text = widget.text().strip()
        if not text:
            if not optional:
                problems[key] = self.tr("Enter the date (%1).").replace("%1", DATE_HINT)
            return None
        try:
            return parse_date(text)
        except ValueError as error:
            problems[key] = str(error)
            return None

    def details(
        self, problems: dict[str, str], recovery_start: date | None
    ) -> ParticipantDetails | None:
        """The details as typed; None (the problem noted) when the date of birth is not a date."""
        born = self.read_date("date_of_birth", problems)
        if born is None:
            return None
        return ParticipantDetails(
            self.chart_number.text(),
            self.first_name.text(),
            self.last_name.text(),
            self.preferred_name.text(),
            self.pronouns.text(),
            born,
            recovery_start,
        )


def chain_focus(widgets: Sequence[QWidget]) -> None:
    """Tab moves through `widgets` in this order (the order they show on screen)."""
    for before, after in itertools.pairwise(widgets):
        QWidget.setTabOrder(before, after)
