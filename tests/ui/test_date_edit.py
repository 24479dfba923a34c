"""A date typed with its dashes lands on that date, in every date field of the app."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ui.date_edit import DateEdit


def tabbed_into(qtbot: QtBot, shown: date) -> tuple[QWidget, DateEdit]:
    """A date field reached by Tab from the field before it (its year selected), and its
    window (kept by the test)."""
    window = QWidget()
    before = QLineEdit(window)
    edit = DateEdit(shown, window)
    layout = QVBoxLayout(window)
    layout.addWidget(before)
    layout.addWidget(edit)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    before.setFocus()
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert edit.hasFocus()
    return window, edit


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2027-01-11", date(2027, 1, 11)),
        ("20270111", date(2027, 1, 11)),
        ("2027/3/4", date(2027, 3, 4)),
        ("2026-1-5", date(2026, 1, 5)),
    ],
)
def test_a_typed_date_is_the_date_shown(qtbot: QtBot, typed: str, expected: date) -> None:
    _window, edit = tabbed_into(qtbot, date(2026, 12, 9))
    qtbot.keyClicks(edit, typed)
    assert edit.value() == expected
    assert edit.text() == expected.isoformat()


def test_a_dash_not_after_a_full_section_still_moves_on(qtbot: QtBot) -> None:
    _window, edit = tabbed_into(qtbot, date(2026, 12, 9))
    qtbot.keyClicks(edit, "-")  # keep the year
    assert edit.currentSection() is DateEdit.Section.MonthSection
    qtbot.keyClicks(edit, "3-7")
    assert edit.value() == date(2026, 3, 7)
