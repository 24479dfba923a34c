"""What the participant's record dialogs share: a labelled form, the refusal label, Save and
Cancel on Ctrl+S and Esc, and dates between Qt and Python."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QWidget

from ui.colors import warning_style


def labelled_form(parent: QWidget, rows: Sequence[tuple[str, QWidget]]) -> QFormLayout:
    """A form whose labels (with their &-mnemonics) focus their fields."""
    form = QFormLayout()
    for text, widget in rows:
        label = QLabel(text, parent)
        label.setBuddy(widget)
        form.addRow(label, widget)
    return form


def refusal_label(parent: QWidget) -> QLabel:
    """Where a refused save says why, in bold red that reads on the palette (dark red on a
    light one, light red on a dark one); the words say it, not the colour."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet(warning_style(bold=True))
    return label


def save_buttons(parent: QWidget, tooltip: str) -> QDialogButtonBox:
    """Save (Ctrl+S) and Cancel (Esc)."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, parent
    )
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    save.setShortcut(QKeySequence.StandardKey.Save)
    save.setToolTip(tooltip)
    return buttons


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())
