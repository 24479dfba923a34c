"""A date field shown and typed as yyyy-MM-dd, with a calendar on Alt+Down."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

SEPARATORS = "-/."


class DateEdit(QDateEdit):
    """Typing 2027-01-11 gives 2027-01-11. A plain QDateEdit moves on to the month by itself
    once four year digits are typed, and then takes the typed "-" as a step to the day:
    2027-01-11 became 2027-12-01 without a word. Here a separator right after such a move is
    the move already made."""

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(QDate(day.year, day.month, day.day), parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self._moved_on = False  # the last digit typed filled a section and moved to the next

    def value(self) -> date:
        shown = self.date()
        return date(shown.year(), shown.month(), shown.day())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if self._moved_on and text and text in SEPARATORS:
            self._moved_on = False
            event.accept()
            return
        section = self.currentSection()
        super().keyPressEvent(event)
        self._moved_on = text.isdigit() and self.currentSection() != section
