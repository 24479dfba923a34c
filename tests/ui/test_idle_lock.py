"""The idle lock: after a short idle time every record is hidden and the typed draft is saved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.accounts import LoginRefusedError
from facilitator.services.audit_log import AuditFilter
from tests.ui.conftest import DEMO_TODAY
from tests.ui.modal import when_modal
from ui.dialogs.change_password_dialog import ChangePasswordDialog
from ui.lock.session_lock import SessionLock
from ui.main_window import MainWindow
from ui.runner.session_runner_window import SessionRunnerWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
IDLE_MS = 200
TYPED = "Named two triggers before the lock"
OWN_PASSWORD = "a passphrase Sam chose"


@pytest.fixture
def session_lock(writable_clinic: Clinic, user: SignedInUser) -> Iterator[SessionLock]:
    lock = SessionLock(
        writable_clinic,
        user,
        lambda signed_in: MainWindow(writable_clinic, signed_in, today=lambda: DEMO_TODAY),
        idle_ms=IDLE_MS,
    )
    yield lock
    lock.monitor.remove()
    for widget in QApplication.topLevelWidgets():
        if widget.isWindow() and widget is not lock.lock_screen:
            widget.close()
    if lock.lock_screen is not None:
        lock.lock_screen.deleteLater()


def visible_text() -> str:
    """Every piece of text a person could read on screen now."""
    parts: list[str] = []
    for widget in QApplication.allWidgets():
        if not widget.isVisible():
            continue
        if widget.isWindow():
            parts.append(widget.windowTitle())
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QTextEdit):
            parts.append(widget.toPlainText())
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount(QModelIndex())):
                column = 0
                while (index := model.index(row, column)).isValid():
                    parts.append(str(index.data() or ""))
                    column += 1
    return "\n".join(parts)


def start_typing(qtbot: QtBot, lock: SessionLock, clinic: Clinic) -> SessionRunnerWindow:
    """The main window, a participant's record and a runner with a note being typed."""
    main = lock.start()
    lock.monitor.set_timeout_ms(60_000)  # no lock while the windows open
    main.open_participant(clinic.roster(DEMO_TODAY)[0].participant_id)
    session_id = clinic.day_blocks(DEMO_TODAY)[0].session_id
    main.open_runner(session_id)
    runner = main.runners[session_id]
    with qtbot.waitActive(runner):
        runner.activateWindow()
    qtbot.keyClick(runner.attendance.table, Qt.Key.Key_P, CTRL | SHIFT)
    qtbot.keyClick(runner, Qt.Key.Key_F4)
    runner.notes.people.setCurrentRow(0)
    runner.editor.fields["goal"].setFocus()
    lock.monitor.set_timeout_ms(IDLE_MS)
    qtbot.keyClicks(runner.editor.fields["goal"], TYPED)
    return runner


def test_idle_lock_hides_records_saves_the_draft_and_asks_the_password(
    qtbot: QtBot,
    session_lock: SessionLock,
    writable_clinic: Clinic,
    demo_passwords: dict[str, str],
    admin: SignedInUser,
) -> None:
    runner = start_typing(qtbot, session_lock, writable_clinic)
    names = [r.name for r in writable_clinic.roster(DEMO_TODAY)]
    assert any(name in visible_text() for name in names)  # the check below can fail
    main = session_lock.main_window
    assert main is not None
    windows = [main, runner, *main.participant_windows.values()]

    with qtbot.waitSignal(session_lock.locked, timeout=3000):
        pass  # nobody touches anything for IDLE_MS
    assert len(windows) == 3 and not any(w.isVisible() for w in windows)
    screen = session_lock.lock_screen
    assert screen is not None and screen.isVisible()
    shown = visible_text()
    assert not [name for name in names if name in shown]
    assert TYPED not in shown

    # The draft typed a moment before was written before anything was hidden.
    participant_id = runner.block.roster[0].participant_id
    stored = writable_clinic.runner.sheet(runner.session_id).blocks[0].entry(participant_id)
    assert stored.note is not None and stored.note.draft.fields["goal"] == TYPED

    session_lock.monitor.set_timeout_ms(60_000)
    qtbot.keyClicks(screen.password, "not the password")
    qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert session_lock.is_locked and not runner.isVisible()
    assert "not correct" in screen.message.text()

    qtbot.keyClicks(screen.password, demo_passwords["mreyes"])
    with qtbot.waitSignal(session_lock.unlocked, timeout=3000):
        qtbot.keyClick(screen.password, Qt.Key.Key_Return)
    assert all(w.isVisible() for w in windows)
    assert runner.editor.fields["goal"].toPlainText() == TYPED

    entries = writable_clinic.audit_entries(admin, AuditFilter(username="mreyes", limit=10))
    actions = [(e.action, e.outcome) for e in reversed(entries) if e.action in ("lock", "unlock")]
    assert actions == [("lock", "success"), ("unlock", "refused"), ("unlock", "success")]


def test_ctrl_l_locks_and_another_clinician_signs_in(
    qtbot: QtBot,
    session_lock: SessionLock,
    writable_clinic: Clinic,
    demo_passwords: dict[str, str],
    supervisor: SignedInUser,
    admin: SignedInUser,
) -> None:
    runner = start_typing(qtbot, session_lock, writable_clinic)
    first_main = session_lock.main_window
    assert first_main is not None
    session_lock.monitor.set_timeout_ms(60_000)
    with qtbot.waitSignal(session_lock.locked, timeout=3000):
        qtbot.keyClick(runner, Qt.Key.Key_L, CTRL)  # from the runner: an application shortcut
    screen = session_lock.lock_screen
    assert screen is not None

    qtbot.waitUntil(screen.isActiveWindow)
    qtbot.keyClick(screen, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(screen.switch_box.isVisible)  # a button's shortcut clicks it animated
    qtbot.keyClicks(screen.username, supervisor.username)
    qtbot.keyClicks(screen.switch_password, demo_passwords[supervisor.username])
    with qtbot.waitSignal(session_lock.user_switched, timeout=3000):
        qtbot.keyClick(screen.switch_password, Qt.Key.Key_Return)

    assert session_lock.user == supervisor and not session_lock.is_locked
    entries = writable_clinic.audit_entries(admin, AuditFilter(limit=3))
    assert [(e.action, e.username) for e in reversed(entries)] == [
        ("lock", "mreyes"),
        ("login", supervisor.username),
        ("logout", "mreyes"),
    ]
    new_main = session_lock.main_window
    assert new_main is not None and new_main is not first_main and new_main.isVisible()
    assert new_main.user == supervisor
    open_windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert open_windows == [new_main]  # the first clinician's windows are closed
    participant_id = runner.block.roster[0].participant_id
    stored = writable_clinic.runner.sheet(runner.session_id).blocks[0].entry(participant_id)
    assert stored.note is not None and stored.note.draft.fields["goal"] == TYPED


def test_a_clinician_whose_password_was_reset_chooses_their_own_at_the_lock_screen(
    qtbot: QtBot,
    session_lock: SessionLock,
    writable_clinic: Clinic,
    associate: SignedInUser,
    admin: SignedInUser,
) -> None:
    accounts = writable_clinic.accounts
    temporary = accounts.reset_password(admin, associate.id)
    session_lock.start()
    session_lock.monitor.set_timeout_ms(60_000)
    session_lock.lock()
    screen = session_lock.lock_screen
    assert screen is not None
    screen.show_switch.click()
    qtbot.keyClicks(screen.username, associate.username)

    def cancel(change: QWidget) -> None:
        assert isinstance(change, ChangePasswordDialog)
        change.reject()

    qtbot.keyClicks(screen.switch_password, temporary)
    when_modal(cancel)
    qtbot.keyClick(screen.switch_password, Qt.Key.Key_Return)
    assert session_lock.is_locked and session_lock.user != associate
    assert screen.message.text() == "Sam Okafor must choose their own password to sign in."

    def choose(change: QWidget) -> None:
        assert isinstance(change, ChangePasswordDialog)
        assert change.parentWidget() is screen and change.current.isHidden()
        qtbot.keyClicks(change.new, OWN_PASSWORD)
        qtbot.keyClicks(change.repeat, OWN_PASSWORD)
        qtbot.keyClick(change.repeat, Qt.Key.Key_Return)

    qtbot.keyClicks(screen.switch_password, temporary)
    when_modal(choose)
    with qtbot.waitSignal(session_lock.user_switched, timeout=3000):
        qtbot.keyClick(screen.switch_password, Qt.Key.Key_Return)

    assert session_lock.user == associate and not session_lock.is_locked
    main = session_lock.main_window
    assert main is not None and main.user == associate and main.isVisible()
    entries = writable_clinic.audit_entries(admin, AuditFilter(limit=6))
    assert [(e.action, e.outcome, e.username) for e in reversed(entries)] == [
        ("lock", "success", "mreyes"),
        ("login", "pending", "sokafor"),  # Sam cancelled the first time
        ("login", "pending", "sokafor"),
        ("account_change", "success", "sokafor"),
        ("login", "success", "sokafor"),
        ("logout", "success", "mreyes"),
    ]
    with pytest.raises(LoginRefusedError):
        accounts.authenticate(associate.username, temporary)
    assert accounts.authenticate(associate.username, OWN_PASSWORD) == associate


def test_closing_the_lock_screen_closes_the_hidden_windows(
    qtbot: QtBot, session_lock: SessionLock, writable_clinic: Clinic
) -> None:
    runner = start_typing(qtbot, session_lock, writable_clinic)
    main = session_lock.main_window
    assert main is not None
    session_lock.lock()
    assert session_lock.lock_screen is not None
    with qtbot.waitSignal(runner.closed, timeout=3000):
        session_lock.lock_screen.close()
    assert not session_lock.is_locked and not main.isVisible() and main.runners == {}
    participant_id = runner.block.roster[0].participant_id
    stored = writable_clinic.runner.sheet(runner.session_id).blocks[0].entry(participant_id)
    assert stored.note is not None and stored.note.draft.fields["goal"] == TYPED


def test_the_idle_delay_is_an_administrator_setting(
    writable_clinic: Clinic, admin: SignedInUser, user: SignedInUser
) -> None:
    settings = writable_clinic.lock_settings
    assert settings.idle_minutes() == 5
    assert settings.set_idle_minutes(admin, 12) == 12
    assert settings.idle_minutes() == 12
    entry = writable_clinic.audit_entries(admin, AuditFilter(limit=1))[0]
    assert (entry.action, entry.object_id, entry.username) == (
        "settings_change",
        "idle_lock",
        "admin",
    )
    with pytest.raises(DomainError, match="Only an administrator"):
        settings.set_idle_minutes(user, 30)
    with pytest.raises(DomainError, match="1 to 60"):
        settings.set_idle_minutes(admin, 0)
    assert settings.idle_minutes() == 12
