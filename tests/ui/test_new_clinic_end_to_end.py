"""Issue #13's acceptance test, driven as a person would: from an empty data folder the first
administrator creates the clinic's accounts, a program and a Monday-Thursday three-block group
with two leaders, admits 15 participants, runs a Tuesday three weeks later from Today, changes
the schedule from a later day, and closes a day from the Day menu. Keys only; no demo data."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic, open_clinic
from facilitator.domain.users import SignedInUser
from tests.ui.admit_keys import admit_dialog, focused, type_then_tab
from tests.ui.modal import on_modal, raise_first
from tests.ui.setup_clinic import (
    CTRL,
    SHIFT,
    add_group,
    add_program,
    back_to,
    create_administrator,
    save,
    shown,
    when_dialog,
)
from ui.accounts.clinician_dialog import ClinicianDialog
from ui.main_window import MainWindow
from ui.runner.session_runner_window import SessionRunnerWindow
from ui.schedule.day_change_dialog import CLINIC, DayChangeDialog
from ui.setup.group_dialog import GroupDialog
from ui.setup.groups_window import GroupsWindow

ALT = Qt.KeyboardModifier.AltModifier
GROUP = "Morning IOP"
LEADERS = (("mreyes", "Morgan Reyes"), ("sokafor", "Sam Okafor"))
FIRST_NAMES = "Avery Blair Casey Dakota Emerson Finley Gray Harper Indigo Jules Kendall Lane"
LAST_NAMES = "Ashdown Birchall Corrigan Delacroix Ellwood Fairbanks Greaves Holloway"
OLD_TIMES = ["09:00–10:00", "10:15–11:15", "11:30–12:30"]
TIME, GROUP_COLUMN, LEADS, DUE, STATUS = 0, 1, 5, 6, 11  # Today's columns


def synthetic_people(count: int) -> list[tuple[str, str, str, str]]:
    """(chart number, first name, last name, date of birth): made-up people, none alike."""
    firsts, lasts = FIRST_NAMES.split(), LAST_NAMES.split()
    return [
        (
            f"NC-{n + 1:04d}",
            firsts[n % len(firsts)],
            lasts[(n * 3) % len(lasts)],
            date(1965 + n * 2, 1 + n % 12, 1 + n).isoformat(),
        )
        for n in range(count)
    ]


def tuesday_three_weeks_after(day: date) -> date:
    """The first Tuesday at least three weeks after `day`."""
    later = day + timedelta(weeks=3)
    return later + timedelta(days=(1 - later.weekday()) % 7)


def today_column(window: MainWindow, index: int) -> list[str]:
    model = window.today_view.table.model()
    return [model.index(row, index).data() for row in range(model.rowCount())]


def move_today_to(qtbot: QtBot, window: MainWindow, day: date) -> None:
    """Alt+Right (Day > Next day) until Today shows `day`."""
    assert window.today_view.day <= day
    while window.today_view.day < day:
        qtbot.keyClick(window.tabs, Qt.Key.Key_Right, ALT)
    assert window.today_view.day == day


def run_block(qtbot: QtBot, window: MainWindow, row: int) -> SessionRunnerWindow:
    """Down to Today's `row`, Enter: the runner of that block's session."""
    table = window.today_view.table
    table.setFocus()
    assert table.currentIndex().row() == 0
    for _ in range(row):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    (runner,) = window.runners.values()
    qtbot.waitUntil(runner.isVisible)
    return runner


def close_runner(qtbot: QtBot, window: MainWindow, runner: SessionRunnerWindow) -> None:
    """Ctrl+W in the runner (Session > Close runner)."""
    back_to(qtbot, runner)
    qtbot.keyClick(runner.attendance.table, Qt.Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: not window.runners)
    back_to(qtbot, window)


def attendance_names(runner: SessionRunnerWindow) -> list[str]:
    model = runner.attendance.table.model()
    return sorted(model.index(row, 0).data() for row in range(model.rowCount()))


def add_leaders(qtbot: QtBot, window: MainWindow) -> None:
    """Administration > Clinicians… (Ctrl+Shift+U), Ctrl+N for each leader; the temporary
    password shown once is dismissed with Enter."""
    qtbot.keyClick(window.tabs, Qt.Key.Key_U, CTRL | SHIFT)
    clinicians = window.clinicians_window
    assert clinicians is not None
    passwords: list[str] = []
    for username, name in LEADERS:
        back_to(qtbot, clinicians)

        def fill(dialog: QWidget, username: str = username, name: str = name) -> None:
            assert isinstance(dialog, ClinicianDialog)
            qtbot.keyClicks(dialog.username_edit, username)
            qtbot.keyClicks(dialog.name_edit, name)
            qtbot.keyClicks(dialog.credentials_edit, "LPC")
            assert dialog.role_combo.currentText() == "Facilitator (runs groups)"
            when_dialog(lambda d: isinstance(d, QMessageBox), dismiss)
            qtbot.keyClick(dialog.credentials_edit, Qt.Key.Key_Return)

        def dismiss(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            passwords.append(box.text())
            qtbot.keyClick(box, Qt.Key.Key_Return)

        failures = on_modal(qtbot, fill)
        qtbot.keyClick(clinicians.table, Qt.Key.Key_N, CTRL)
        raise_first(failures)
        added = clinicians.selected()
        assert added is not None and added.username == username and added.must_change_password
    assert [p.split(" (username")[0] for p in passwords] == [
        f"Temporary password for {name}" for _, name in LEADERS
    ]
    clinicians.close()
    back_to(qtbot, window)


def admit_everyone(
    qtbot: QtBot, window: MainWindow, people: list[tuple[str, str, str, str]], day: date
) -> None:
    """File > Admit new participant… (Ctrl+N) for each, every field typed, admitted on `day`."""
    qtbot.keyClick(window.tabs, Qt.Key.Key_2, CTRL)  # View > Participants
    for chart, first, last, born in people:
        dialog = admit_dialog(qtbot, window)
        for text in (chart, first, last, "", "", born):  # no preferred name or pronouns
            type_then_tab(qtbot, text)
        assert focused() is dialog.group and dialog.group.currentText().startswith(GROUP)
        qtbot.keyClick(dialog.group, Qt.Key.Key_Tab)
        assert focused() is dialog.admitted_on and dialog.admitted_on.text() == day.isoformat()
        qtbot.keyClick(dialog.admitted_on, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda shown=dialog: not shown.isVisible())
        assert not dialog.error.text()
        back_to(qtbot, window)


def add_a_fourth_tuesday_block(qtbot: QtBot, window: MainWindow, effective: date) -> None:
    """Groups and schedules… (Ctrl+Shift+G), Ctrl+E on the group: Ins after Tuesday's last
    block adds 12:45-13:45, taking effect from `effective` (Alt+E, typed), Ctrl+S."""
    qtbot.keyClick(window.tabs, Qt.Key.Key_G, CTRL | SHIFT)
    groups = window.setup_actions.windows["groups"]
    assert isinstance(groups, GroupsWindow)
    back_to(qtbot, groups)

    def change(dialog: QWidget) -> None:
        assert isinstance(dialog, GroupDialog)
        table = dialog.schedule.editor.table
        table.setFocus()
        qtbot.keyClick(table, Qt.Key.Key_Home, CTRL)
        for _ in range(5):  # Monday's three blocks, then Tuesday's to its last
            qtbot.keyClick(table, Qt.Key.Key_Down)
        last = dialog.schedule.lines()[table.currentIndex().row()]
        assert (last.weekday, last.start) == (1, time(11, 30))
        qtbot.keyClick(table, Qt.Key.Key_Insert)
        tuesday = [(e.start, e.end) for e in dialog.schedule.lines() if e.weekday == 1]
        assert tuesday[-1] == (time(12, 45), time(13, 45))
        qtbot.keyClick(dialog, Qt.Key.Key_E, ALT)  # Takes effect from
        assert focused() is dialog.schedule.effective_from
        qtbot.keyClicks(dialog.schedule.effective_from, effective.isoformat())
        assert dialog.schedule.effective_date() == effective
        save(qtbot, dialog)

    failures = on_modal(qtbot, change)
    qtbot.keyClick(groups.table, Qt.Key.Key_E, CTRL)
    raise_first(failures)
    assert groups.proxy.index(0, 6).data().endswith(f"13 blocks a week (from {effective})")
    groups.close()
    back_to(qtbot, window)


def close_the_clinic(qtbot: QtBot, window: MainWindow, reason: str) -> None:
    """Day > Change this day… (Ctrl+Alt+D): the whole clinic closed, Alt+R for the reason,
    Enter."""

    def close_day(dialog: QWidget) -> None:
        assert isinstance(dialog, DayChangeDialog)
        assert dialog.kind.currentData() == CLINIC
        qtbot.keyClick(dialog, Qt.Key.Key_R, ALT)
        assert focused() is dialog.reason
        qtbot.keyClicks(dialog.reason, reason)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    failures = on_modal(qtbot, close_day)
    qtbot.keyClick(window.tabs, Qt.Key.Key_D, CTRL | ALT)
    raise_first(failures)
    back_to(qtbot, window)


def test_a_new_clinic_is_set_up_admits_fifteen_and_runs_its_schedule(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clinic = open_clinic(tmp_path / "new clinic")
    try:
        run_the_new_clinic(qtbot, clinic, monkeypatch)
    finally:
        clinic.close()


def run_the_new_clinic(qtbot: QtBot, clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> None:
    """The steps of the acceptance test, on the clinic's own clock (the setup day is today)."""
    setup_day = clinic.setup.today()
    admin: SignedInUser = create_administrator(qtbot, clinic, "admin", "Alex Admin")
    window = MainWindow(clinic, admin, today=lambda: setup_day)
    shown(qtbot, window)
    add_leaders(qtbot, window)
    add_program(qtbot, window, "Adult IOP")
    add_group(qtbot, window, GROUP, "Morgan Reyes", "Sam Okafor").close()
    back_to(qtbot, window)

    people = synthetic_people(15)
    admit_everyone(qtbot, window, people, setup_day)
    names = sorted(f"{first} {last}" for _, first, last, _ in people)
    page = window.participants_view.table.model()
    assert sorted(page.index(r, 0).data() for r in range(page.rowCount())) == names

    tuesday = tuesday_three_weeks_after(setup_day)
    qtbot.keyClick(window.tabs, Qt.Key.Key_1, CTRL)  # View > Today
    move_today_to(qtbot, window, tuesday)
    assert today_column(window, TIME) == OLD_TIMES
    assert today_column(window, GROUP_COLUMN) == [GROUP] * 3
    assert all("Morgan Reyes" in f and "Sam Okafor" in f for f in today_column(window, LEADS))
    assert today_column(window, DUE) == ["15"] * 3  # the roster of each planned block
    assert today_column(window, STATUS) == ["Planned"] * 3
    runner = run_block(qtbot, window, 0)
    assert (runner.sheet.day, runner.sheet.group) == (tuesday, GROUP)
    assert runner.blocks.count() == 3 and runner.blocks.currentRow() == 0
    assert attendance_names(runner) == names
    assert runner.attendance.totals.text().startswith("0 people present of 15")
    close_runner(qtbot, window, runner)
    assert today_column(window, STATUS) == ["Open"] * 3

    change_day = tuesday + timedelta(days=13)  # the Monday two weeks after
    add_a_fourth_tuesday_block(qtbot, window, change_day)
    assert today_column(window, TIME) == OLD_TIMES  # the session already made keeps its blocks
    move_today_to(qtbot, window, tuesday + timedelta(weeks=1))  # before the change
    assert today_column(window, TIME) == OLD_TIMES
    after = tuesday + timedelta(weeks=2)
    move_today_to(qtbot, window, after)
    assert today_column(window, TIME) == [*OLD_TIMES, "12:45–13:45"]
    assert today_column(window, DUE) == ["15"] * 4
    runner = run_block(qtbot, window, 3)
    assert runner.sheet.day == after
    assert [b.span.start for b in runner.sheet.blocks] == [
        time(9),
        time(10, 15),
        time(11, 30),
        time(12, 45),
    ]
    assert runner.blocks.count() == 4 and runner.blocks.currentRow() == 3
    assert attendance_names(runner) == names
    close_runner(qtbot, window, runner)

    thursday = after + timedelta(days=2)
    move_today_to(qtbot, window, thursday)
    close_the_clinic(qtbot, window, "Snow day")
    assert today_column(window, STATUS) == ["closed: Snow day"] * 3
    assert "Closed: Snow day" in window.today_view.summary.text()
    told: list[str] = []

    def inform(_parent: QWidget, _title: str, text: str) -> QMessageBox.StandardButton:
        told.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "information", inform)
    window.today_view.table.setFocus()
    assert window.today_view.table.currentIndex().row() == 0
    qtbot.keyClick(window.today_view.table, Qt.Key.Key_Return)
    assert told == ["This block does not run: closed: Snow day."]
    assert window.runners == {}
    qtbot.keyClick(window.tabs, Qt.Key.Key_Left, ALT)  # the Wednesday before still runs
    assert today_column(window, STATUS) == ["Planned"] * 3
