"""The audit window: administrators filter the log and verify its chain."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from facilitator.services.audit_log import AuditFilter
from facilitator.storage.models import Setting
from facilitator.storage.unit_of_work import unit_of_work
from tests.ui.conftest import DEMO_TODAY
from ui.audit.audit_window import AuditWindow
from ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def fill_log(clinic: Clinic, user: SignedInUser, admin: SignedInUser) -> None:
    for participant in clinic.roster(DEMO_TODAY)[:3]:
        clinic.view_participant(user, participant.participant_id, DEMO_TODAY)
    clinic.record_audit(admin.id, AuditAction.SETTINGS_CHANGE, object_type="setting")
    clinic.record_audit(None, AuditAction.LOGIN_FAILED, outcome="refused")


def rows(window: AuditWindow) -> list[tuple[str, str]]:
    model = window.proxy
    return [(model.index(r, 2).data(), model.index(r, 3).data()) for r in range(model.rowCount())]


def test_filters_narrow_the_entries(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    writable_clinic: Clinic,
    user: SignedInUser,
    admin: SignedInUser,
) -> None:
    demo_entries = len(writable_clinic.audit_entries(admin, AuditFilter()))
    fill_log(writable_clinic, user, admin)
    window = AuditWindow(writable_clinic, admin)
    qtbot.addWidget(window)
    qtmodeltester.check(window.model)
    assert len(rows(window)) == demo_entries + 5
    assert ("—", "login failed") in rows(window)

    window.user_filter.setCurrentIndex(window.user_filter.findData(user.username))
    assert rows(window)[:3] == [(user.username, "view participant")] * 3
    assert {name for name, _action in rows(window)} == {user.username}  # and the demo's signing
    target = writable_clinic.roster(DEMO_TODAY)[1].participant_id
    qtbot.keyClicks(window.object_filter, str(target)[:13])
    assert window.proxy.rowCount() == 1
    assert window.proxy.index(0, 5).data() == str(target)

    window.object_filter.clear()
    window.user_filter.setCurrentIndex(0)
    window.action_filter.setCurrentIndex(
        window.action_filter.findData(AuditAction.SETTINGS_CHANGE.value)
    )
    changes = rows(window)  # the one above, newest first, then the demo's own setup
    assert changes[0] == (admin.username, "settings change")
    assert set(changes) == {(admin.username, "settings change")}
    tomorrow = QDate.currentDate().addDays(1)
    window.action_filter.setCurrentIndex(0)
    window.since.setDate(tomorrow)
    window.until.setDate(tomorrow)
    assert rows(window) == [] and window.count.text() == "0 entries"


def test_verify_shows_intact_then_each_problem(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, admin: SignedInUser
) -> None:
    fill_log(writable_clinic, user, admin)
    window = AuditWindow(writable_clinic, admin)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
    qtbot.keyClick(window, Qt.Key.Key_V, CTRL | SHIFT)
    assert window.banner.isVisible() and "intact" in window.banner.text()
    assert not window.problems.isVisible()
    assert rows(window)[0] == (admin.username, "verify")

    with writable_clinic.database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET outcome = 'failure' WHERE sequence = 2"))
    report = window.verify()
    assert not report.intact
    assert "tampered" in window.banner.text() and window.problems.isVisible()
    assert window.problems.item(0).text().startswith("#2 · edited")


def test_only_administrators_have_the_audit_menu(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser, admin: SignedInUser
) -> None:
    def menus(signed_in: SignedInUser) -> list[str]:
        window = MainWindow(clinic, signed_in, today=lambda: DEMO_TODAY)
        qtbot.addWidget(window)
        return [a.text() for a in window.menuBar().actions()]

    assert "Ad&ministration" in menus(admin)
    assert "Ad&ministration" not in menus(user)


@pytest.mark.parametrize("zone", ["Pacific/Pago_Pago", "Pacific/Kiritimati"])  # UTC-11, UTC+14
def test_the_days_are_the_clinics_whatever_the_computers_zone(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser, zone: str
) -> None:
    with unit_of_work(writable_clinic.database) as session:
        profile = session.get_one(Setting, "clinic_profile")
        profile.value = {**profile.value, "time_zone": zone}
    writable_clinic.record_audit(None, AuditAction.LOGIN_FAILED, outcome="refused")
    window = AuditWindow(writable_clinic, admin)
    qtbot.addWidget(window)
    assert rows(window)[0] == ("—", "login failed")  # made now: today in the clinic's zone
    assert window.proxy.index(0, 1).data()[:10] == f"{datetime.now(ZoneInfo(zone)):%Y-%m-%d}"
