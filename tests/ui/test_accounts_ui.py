"""Setup, login, password change and the Clinicians window, driven as a person would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic, open_clinic
from facilitator.domain.users import Role, SignedInUser
from facilitator.services.accounts import WRONG_CREDENTIALS
from tests.ui.conftest import DEMO_TODAY
from tests.ui.modal import when_modal
from ui.accounts.clinicians_window import CliniciansWindow
from ui.dialogs.change_password_dialog import ChangePasswordDialog
from ui.dialogs.login_dialog import LoginDialog
from ui.dialogs.setup_dialog import SetupDialog
from ui.main_window import MainWindow

CODE = "ABCD-EFGH-JKLM-NPQR-STUV-WXYZ"


@pytest.fixture
def fresh_clinic(tmp_path: Path) -> Iterator[Clinic]:
    opened = open_clinic(tmp_path / "new")
    yield opened
    opened.close()


def test_setup_shows_the_recovery_code_and_creates_the_administrator(
    qtbot: QtBot, fresh_clinic: Clinic
) -> None:
    accounts = fresh_clinic.accounts
    assert accounts.needs_setup()
    dialog = SetupDialog(accounts, CODE, "the memory keyring")
    qtbot.addWidget(dialog)
    assert dialog.code_edit.text() == CODE and dialog.code_edit.isReadOnly()
    assert not dialog.create_button.isEnabled()  # the code must be stored first
    dialog.stored.setChecked(True)
    assert dialog.create_button.isEnabled()
    qtbot.keyClicks(dialog.username, "JLee")
    qtbot.keyClicks(dialog.display_name, "Jordan Lee")
    qtbot.keyClicks(dialog.credentials, "LCSW")
    qtbot.keyClicks(dialog.password, "short")
    qtbot.keyClicks(dialog.repeat, "short")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "at least 12 characters" in dialog.error.text() and dialog.result() == 0
    qtbot.keyClicks(dialog.password, "a long enough password")
    qtbot.keyClicks(dialog.repeat, "a long enough password")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == SetupDialog.DialogCode.Accepted
    assert dialog.user is not None
    assert (dialog.user.username, dialog.user.role) == ("jlee", Role.ADMINISTRATOR)
    assert not accounts.needs_setup()
    dialog.copy_button.click()
    assert QApplication.clipboard().text() == CODE


def test_login_refuses_clearly_then_signs_in(
    qtbot: QtBot, writable_clinic: Clinic, demo_passwords: dict[str, str]
) -> None:
    dialog = LoginDialog(writable_clinic.accounts, "the demo clinic")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "Enter your username and password."
    qtbot.keyClicks(dialog.username, "nobody")
    qtbot.keyClicks(dialog.password, "whatever it is")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.text() == WRONG_CREDENTIALS and dialog.password.text() == ""
    assert dialog.height() >= dialog.sizeHint().height()  # the dialog grew for the message
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, "mreyes")
    qtbot.keyClicks(dialog.password, demo_passwords["mreyes"])
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.user is not None and dialog.user.username == "mreyes"


def test_login_shows_the_wait_after_repeated_failures(
    qtbot: QtBot, writable_clinic: Clinic
) -> None:
    dialog = LoginDialog(writable_clinic.accounts, "the demo clinic")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "mreyes")
    for attempt in range(3):
        qtbot.keyClicks(dialog.password, f"wrong {attempt}")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "Wait 5 seconds" in dialog.error.text()
    assert not dialog.sign_in_button.isEnabled()
    assert dialog.sign_in_button.text() == "Wait 5 s"
    qtbot.waitUntil(lambda: dialog.sign_in_button.text() == "Wait 4 s", timeout=2000)
    dialog.countdown.timeout.emit()  # fast-forward the rest of the countdown
    dialog.countdown.timeout.emit()
    dialog.countdown.timeout.emit()
    dialog.countdown.timeout.emit()
    assert dialog.sign_in_button.isEnabled() and dialog.sign_in_button.text() == "&Sign in"


def test_a_reset_password_is_replaced_at_sign_in(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser, user: SignedInUser
) -> None:
    accounts = writable_clinic.accounts
    temporary = accounts.reset_password(admin, user.id)
    dialog = LoginDialog(accounts, "the demo clinic")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "mreyes")
    qtbot.keyClicks(dialog.password, temporary)

    def choose(change: QWidget) -> None:
        assert isinstance(change, ChangePasswordDialog)
        assert change.current.isHidden()  # the temporary password was just typed
        qtbot.keyClicks(change.new, "my own passphrase here")
        qtbot.keyClicks(change.repeat, "my own passphrase here")
        qtbot.keyClick(change.repeat, Qt.Key.Key_Return)

    when_modal(choose)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.user == user
    assert accounts.authenticate("mreyes", "my own passphrase here") == user


def test_the_clinicians_window_manages_accounts(
    qtbot: QtBot,
    writable_clinic: Clinic,
    admin: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: warnings.append(text))
    window = CliniciansWindow(writable_clinic.accounts, admin)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    names = [window.proxy.index(r, 1).data() for r in range(window.proxy.rowCount())]
    assert sorted(names) == ["admin", "jlee", "mreyes", "sokafor"]
    window.select("admin")
    qtbot.keyClick(window.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "last active administrator" in warnings[-1]
    window.select("sokafor")
    qtbot.keyClick(window.table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert window.proxy.rowCount() == 3  # deactivated accounts are hidden by default
    window.show_inactive.setChecked(True)
    window.select("sokafor")
    selected = window.selected()
    assert selected is not None and not selected.active
    assert window.active_action.text() == "Re&activate"

    def fill(dialog: object) -> None:
        from ui.accounts.clinician_dialog import ClinicianDialog

        assert isinstance(dialog, ClinicianDialog)
        qtbot.keyClicks(dialog.username_edit, "tnguyen")
        qtbot.keyClicks(dialog.name_edit, "Taylor Nguyen")
        qtbot.keyClicks(dialog.credentials_edit, "LMHC")
        when_modal(lambda box: box.accept())  # type: ignore[attr-defined]
        dialog.buttons.accepted.emit()

    when_modal(fill)
    qtbot.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    added = window.selected()
    assert added is not None and added.username == "tnguyen" and added.must_change_password


def test_the_main_window_shows_who_is_signed_in_and_offers_accounts_to_admins(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser, admin: SignedInUser
) -> None:
    facilitator = MainWindow(clinic, user, today=lambda: DEMO_TODAY)
    qtbot.addWidget(facilitator)
    assert "Morgan Reyes, LPC, LCADC (facilitator)" in facilitator.signed_in_label.text()
    assert "Morgan Reyes" in facilitator.windowTitle()
    menus = [a.text() for a in facilitator.menuBar().actions()]
    assert "&Account" in menus and "Ad&ministration" not in menus
    with qtbot.waitActive(facilitator):
        facilitator.show()
        facilitator.activateWindow()
    with qtbot.waitSignal(facilitator.log_out_requested):
        qtbot.keyClick(facilitator.tabs, Qt.Key.Key_L, CTRL_SHIFT)
    administrator = MainWindow(clinic, admin, today=lambda: DEMO_TODAY)
    qtbot.addWidget(administrator)
    with qtbot.waitActive(administrator):
        administrator.show()
        administrator.activateWindow()
    qtbot.keyClick(administrator.tabs, Qt.Key.Key_U, CTRL_SHIFT)
    assert administrator.clinicians_window is not None
    assert administrator.clinicians_window.isVisible()
    administrator.clinicians_window.close()


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_the_app_signs_in_then_logs_out_back_to_the_login(
    qtbot: QtBot,
    writable_clinic: Clinic,
    demo_passwords: dict[str, str],
    admin: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from facilitator.services.audit_log import AuditFilter
    from ui import application

    quits: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda *_: quits.append(True))

    def sign_in_as(username: str) -> Callable[[object], None]:
        def act(dialog: object) -> None:
            assert isinstance(dialog, LoginDialog)
            qtbot.keyClicks(dialog.username, username)
            qtbot.keyClicks(dialog.password, demo_passwords[username])
            dialog.sign_in()

        return act

    session = application.SignedInSession(writable_clinic, "the memory keyring")
    when_modal(sign_in_as("mreyes"))
    assert session.begin()
    assert session.lock is not None and session.lock.user.username == "mreyes"
    window = session.lock.main_window
    assert window is not None and window.isVisible()
    when_modal(lambda dialog: dialog.reject())  # type: ignore[attr-defined]
    assert window.log_out()
    assert quits == [True] and not window.isVisible()  # Quit at the login ends the app
    session.end()  # nobody is signed in any more: nothing more to record
    entries = writable_clinic.audit_entries(admin, AuditFilter(username="mreyes", limit=10))
    assert [e.action for e in reversed(entries)][-2:] == ["login", "logout"]
    assert QApplication.quitOnLastWindowClosed()
