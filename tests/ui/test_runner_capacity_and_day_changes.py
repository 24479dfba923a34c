"""The runner warns when a block holds more people than the group's capacity (never refusing),
and says in the block's header when the block was moved or led by a substitute that day."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.users import SignedInUser
from facilitator.storage.models import Clinician
from facilitator.storage.unit_of_work import unit_of_work
from tests.integration.test_day_plan import group_id, template_at
from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_session_runner import open_runner
from tests.ui.test_today_schedule import TUESDAY, column, make_window
from ui.colors import warning_style

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def set_capacity(clinic: Clinic, admin: SignedInUser, name: str, capacity: int | None) -> None:
    (row,) = [g for g in clinic.setup.groups() if g.details.name == name]
    clinic.setup.save_group(admin, row.id, replace(row.details, capacity=capacity))


def test_more_present_than_the_capacity_is_warned_in_red_and_still_saved(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, admin: SignedInUser
) -> None:
    session_id = writable_clinic.day_blocks(DEMO_TODAY)[0].session_id
    assert session_id is not None
    sheet = writable_clinic.runner.sheet(session_id)
    roster = len(sheet.blocks[0].roster)
    set_capacity(writable_clinic, admin, sheet.group, roster - 1)
    window = open_runner(qtbot, writable_clinic, user)
    assert window.block.block_id == sheet.blocks[0].block_id and window.block.capacity == roster - 1
    warning = window.attendance.capacity_warning

    qtbot.keyClick(window, Qt.Key.Key_F2)
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_P, CTRL_SHIFT)  # mark all present
    assert window.block.present == roster  # nothing refused: everyone is recorded present
    assert warning.isVisible()
    assert warning.text() == f"{roster} present: above the group's capacity of {roster - 1}"
    assert warning.styleSheet() == warning_style(bold=True)

    window.attendance.table.setFocus()
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_X)  # one absent: at the capacity
    assert window.block.roster[0].attendance is not None
    assert window.block.roster[0].attendance.status is AttendanceStatus.ABSENT_EXCUSED
    assert window.block.present == roster - 1
    assert not warning.isVisible()

    set_capacity(writable_clinic, admin, sheet.group, None)  # no limit: never warned
    qtbot.keyClick(window.attendance.table, Qt.Key.Key_P)
    window.reload()
    assert window.block.present == roster and not warning.isVisible()
    window.close()


def test_the_runner_says_which_blocks_were_moved_or_substituted_and_why(
    qtbot: QtBot, writable_clinic: Clinic, supervisor: SignedInUser
) -> None:
    gid = group_id(writable_clinic)
    nine, ten = (template_at(writable_clinic, TUESDAY, hour) for hour in (9, 10))
    with unit_of_work(writable_clinic.database) as session:
        jordan = session.scalars(select(Clinician.id).where(Clinician.username == "jlee")).one()
    exceptions = writable_clinic.schedule_exceptions(supervisor)
    exceptions.move_block(gid, TUESDAY, nine, time(13), time(14), "Room booked")
    exceptions.substitute(gid, TUESDAY, jordan, "Morgan on leave", template_id=ten)

    window = make_window(qtbot, writable_clinic, supervisor)
    window.today_view.show_day(TUESDAY)
    assert column(window, 0)[:3] == ["10:00–11:00", "11:00–12:00", "13:00–14:00"]
    table = window.today_view.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)  # makes the session and opens the runner
    (runner,) = window.runners.values()
    with qtbot.waitActive(runner):
        runner.activateWindow()
    seen = {}
    for _ in runner.sheet.blocks:
        header = runner.header
        seen[runner.block.planned.start] = (
            header.day_changes.text() if header.day_changes.isVisible() else ""
        )
        qtbot.keyClick(runner, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert seen == {
        time(10): "Substitute: Jordan Lee: Morgan on leave",
        time(11): "",
        time(13): "Moved from 09:00-10:00: Room booked",
    }
    runner.close()
