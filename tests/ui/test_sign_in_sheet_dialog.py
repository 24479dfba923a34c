"""Administration > Sign-in sheet names: keys only, from the main window to the saved setting."""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.people import NameStyle
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from ui.dialogs.sign_in_sheet_dialog import SignInSheetDialog
from ui.main_window import MainWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def main_window(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> MainWindow:
    window = MainWindow(clinic, user, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def opened_by_keys(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> SignInSheetDialog:
    """Ctrl+Shift+N in the main window; the dialog shown (not exec'd) and active."""
    opened: list[SignInSheetDialog] = []

    def show(dialog: SignInSheetDialog) -> int:
        opened.append(dialog)
        dialog.show()
        return 0

    monkeypatch.setattr(SignInSheetDialog, "exec", show)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL_SHIFT)
    (dialog,) = opened
    dialog.raise_()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_an_administrator_chooses_initials_with_the_keyboard(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = opened_by_keys(qtbot, main_window(qtbot, writable_clinic, admin), monkeypatch)
    assert dialog.legal.text() == "&Legal name: Alexandra Rivera (Alex)"
    assert dialog.legal.isChecked()
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.initial.isChecked)  # a mnemonic clicks after a short animation
    assert dialog.initial.text() == "Preferred first name and last &initial: Alex R."
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.result() == dialog.DialogCode.Accepted)
    assert writable_clinic.sign_in_settings.name_style() is NameStyle.PREFERRED_INITIAL


def test_escape_changes_nothing(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = opened_by_keys(qtbot, main_window(qtbot, writable_clinic, admin), monkeypatch)
    qtbot.keyClick(dialog, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(dialog.initial.isChecked)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert writable_clinic.sign_in_settings.name_style() is NameStyle.LEGAL


def test_a_refusal_keeps_the_dialog_open_and_says_why(qtbot: QtBot) -> None:
    def refuse(_style: NameStyle) -> None:
        raise DomainError("Only an administrator can change how the sign-in sheet names people.")

    dialog = SignInSheetDialog(NameStyle.PREFERRED_INITIAL, refuse)
    qtbot.addWidget(dialog)
    assert dialog.initial.isChecked()
    dialog.buttons.accepted.emit()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "Only an administrator" in dialog.error.text()


def test_the_menu_item_is_for_administrators_and_its_keys_are_its_own(
    qtbot: QtBot, clinic: Clinic, admin: SignedInUser, user: SignedInUser
) -> None:
    window = main_window(qtbot, clinic, admin)
    shortcuts = Counter(
        a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()
    )
    assert shortcuts["Ctrl+Shift+N"] == 1
    admin_menu = next(
        m for m in window.menuBar().findChildren(QMenu) if m.title() == "Ad&ministration"
    )
    keys = [a.text().split("&")[1][0].casefold() for a in admin_menu.actions() if "&" in a.text()]
    assert "h" in keys and len(keys) == len(set(keys))
    facilitator = main_window(qtbot, clinic, user)
    assert not [a for a in facilitator.findChildren(QAction) if "Sign-in sheet" in a.text()]
