"""Admitting a participant by keyboard: File > Admit new participant… (Ctrl+N) and its fields
typed one after another with Tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.main_window import MainWindow
from ui.participant.admit_dialog import AdmitDialog

CTRL = Qt.KeyboardModifier.ControlModifier


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_then_tab(qtbot: QtBot, text: str) -> None:
    """Type into the field that has the focus, then Tab to the next one."""
    widget = focused()
    if text:
        qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def admit_dialog(qtbot: QtBot, window: MainWindow) -> AdmitDialog:
    """Ctrl+N on the Participants page: the Admit dialog, its chart number focused."""
    qtbot.keyClick(window.participants_view.table, Qt.Key.Key_N, CTRL)
    opened = [d for d in window.findChildren(AdmitDialog) if d.isVisible()]
    assert len(opened) == 1
    dialog = opened[0]
    dialog.activateWindow()
    qtbot.waitUntil(lambda: dialog.form.chart_number.hasFocus())
    return dialog
