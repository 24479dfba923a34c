"""The session runner's menu bar: every action with its keyboard shortcut."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from facilitator.documents.requests import SessionRecordRequest, SignInSheetRequest
from ui.printing.document_printer import print_actions

if TYPE_CHECKING:
    from ui.runner.session_runner_window import SessionRunnerWindow


def add_action(menu: QMenu, text: str, keys: str, slot: Callable[[], object] | None) -> QAction:
    """An action on `menu`; with no slot it is listed for discoverability only (the focused
    field handles its keys)."""
    action = QAction(text, menu)
    action.setShortcut(QKeySequence(keys))
    if slot is None:
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    else:
        action.triggered.connect(lambda _=False: slot())
    menu.addAction(action)
    return action


def build_menus(window: SessionRunnerWindow) -> None:
    """Block, Attendance, Go and Note menus on `window`'s menu bar."""
    _block_menu(window)
    attendance_menu = window.menuBar().addMenu(window.tr("&Attendance"))
    attendance_menu.addActions(window.attendance.menu_actions)
    _go_menu(window)
    _note_menu(window)


def _block_menu(window: SessionRunnerWindow) -> None:
    menu = window.menuBar().addMenu(window.tr("&Block"))
    tr = window.tr
    add_action(menu, tr("&Previous block"), "Ctrl+PgUp", window.previous_block)
    add_action(menu, tr("&Next block"), "Ctrl+PgDown", window.next_block)
    menu.addSeparator()
    add_action(menu, tr("&Start block now"), "Ctrl+Shift+S", window.start_block_now)
    add_action(menu, tr("&End block now"), "Ctrl+Shift+E", window.end_block_now)
    add_action(menu, tr("Topic &outline"), "F1", window.header.show_outline)
    add_action(menu, tr("&Correct block…"), "Ctrl+Shift+B", window.correct_block)
    menu.addSeparator()
    record = partial(SessionRecordRequest, window.session_id)
    menu.addActions(print_actions(window.printer, record, tr("session record"), window))
    name = f"{window.sheet.group} {window.sheet.day}"
    exporter = window.exporter
    menu.addAction(exporter.action(tr("E&xport session record…"), "Ctrl+Alt+R", record, name))
    sign_in = partial(SignInSheetRequest, window.session_id)
    menu.addSeparator()
    keys = ("Ctrl+Shift+I", "Ctrl+Alt+Shift+I")
    menu.addActions(print_actions(window.printer, sign_in, tr("sign-in sheet"), window, keys))
    menu.addAction(exporter.action(tr("Export s&ign-in sheet…"), "Ctrl+Alt+I", sign_in, name))
    menu.addSeparator()
    add_action(menu, tr("&Close runner"), "Ctrl+W", window.close)


def _go_menu(window: SessionRunnerWindow) -> None:
    menu = window.menuBar().addMenu(window.tr("&Go"))
    for index, keys in enumerate(("F2", "F3", "F4")):
        title = window.tabs.tabText(index).split(" (")[0]
        add_action(menu, title, keys, partial(window.show_tab, index))
    menu.addSeparator()
    for text, keys, offset in (
        (window.tr("Pre&vious participant"), "Alt+Up", -1),
        (window.tr("Ne&xt participant"), "Alt+Down", 1),
    ):
        add_action(menu, text, keys, partial(window.step_participant, offset))


def _note_menu(window: SessionRunnerWindow) -> None:
    menu = window.menuBar().addMenu(window.tr("&Note"))
    for number, field in enumerate(window.sheet.template.fields[:9], start=1):
        add_action(menu, field.label, f"Ctrl+{number}", partial(window.focus_field, number))
    menu.addSeparator()
    add_action(menu, window.tr("&Quick phrases for this field"), "Ctrl+Space", None)
    add_action(menu, window.tr("&Edit quick phrases…"), "Ctrl+Shift+Q", window.edit_quick_phrases)
    menu.addSeparator()
    add_action(menu, window.tr("&Review and sign…"), "Ctrl+Shift+R", window.open_review)
    menu.addActions(window.note_actions.actions)
