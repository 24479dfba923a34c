"""Administration > Idle lock… (Ctrl+Shift+K): the minutes asked for are saved and announced;
a refusal is shown and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from tests.ui.test_main_window import make_window
from ui.lock.idle_minutes_prompt import ask_idle_minutes

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def _answer(minutes: int) -> Any:
    return staticmethod(lambda *args, **kwargs: (minutes, True))


def test_the_minutes_are_saved_and_announced(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(qtbot, writable_clinic, admin)
    monkeypatch.setattr(QInputDialog, "getInt", _answer(12))
    with qtbot.waitSignal(window.idle_minutes_changed) as announced:
        qtbot.keyClick(window, Qt.Key.Key_K, CTRL_SHIFT)
    assert announced.args == [12]
    assert writable_clinic.lock_settings.idle_minutes() == 12


def test_a_facilitator_is_refused_and_nothing_changes(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(qtbot, writable_clinic, user)
    before = writable_clinic.lock_settings.idle_minutes()
    warned: list[str] = []
    monkeypatch.setattr(QInputDialog, "getInt", _answer(before + 3))
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _parent, _title, text: warned.append(text))
    )
    assert ask_idle_minutes(window, writable_clinic.lock_settings, user) is None
    assert warned and writable_clinic.lock_settings.idle_minutes() == before
