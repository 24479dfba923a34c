"""The main window shows the demo clinic: today's blocks, the roster, groups, curriculum."""

from datetime import date, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from ui.main_window import MainWindow


def table_text(view: object, column: int) -> list[str]:
    model = view.model()  # type: ignore[attr-defined]
    return [model.index(row, column).data() for row in range(model.rowCount())]


def make_window(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> MainWindow:
    window = MainWindow(clinic, user, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    return window


def test_today_lists_the_demo_blocks_in_time_order(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    window = make_window(qtbot, clinic, user)
    table = window.today_view.table
    assert table_text(table, 0) == [
        "09:00–10:00",
        "10:00–11:00",
        "11:00–12:00",
        "18:00–19:00",
        "19:00–20:00",
        "20:00–21:00",
    ]
    assert set(table_text(table, 1)) == {"Adult IOP Morning", "Adult IOP Evening"}
    expected = {row.topic for row in clinic.day_blocks(DEMO_TODAY)}
    assert set(table_text(table, 3)) == expected and "" not in expected
    census = {row.group: row.notes_due for row in clinic.day_blocks(DEMO_TODAY)}
    assert table_text(table, 6) == [str(census[group]) for group in table_text(table, 1)]
    for column in (7, 8, 9):  # drafted, complete, signed
        assert set(table_text(table, column)) == {"0"}


def test_day_navigation_shows_past_signed_work(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    window = make_window(qtbot, clinic, user)
    qtbot.keyClick(window.tabs, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.today_view.day == DEMO_TODAY - timedelta(days=1)  # a Sunday: no groups
    assert window.today_view.table.model().rowCount() == 0
    window.today_view.show_day(DEMO_TODAY - timedelta(days=7))
    due = table_text(window.today_view.table, 6)
    signed = table_text(window.today_view.table, 9)
    assert len(due) == 6 and all(int(n) > 0 for n in due)
    assert signed == due  # every note of last week was signed


def test_participant_search_filters_the_roster(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    window = make_window(qtbot, clinic, user)
    view = window.participants_view
    window.tabs.setCurrentWidget(view)
    active = view.proxy.rowCount()
    roster = clinic.roster(DEMO_TODAY)
    assert active == sum(1 for r in roster if r.status == "active") > 20
    target = [r for r in roster if r.status == "active"][3]
    qtbot.keyClicks(view.search, target.chart_number)
    assert view.proxy.rowCount() == 1
    assert view.proxy.index(0, 1).data() == target.chart_number
    view.search.clear()
    view.status_filter.setCurrentIndex(view.status_filter.count() - 1)  # everyone
    assert view.proxy.rowCount() == len(roster)


def test_groups_page_shows_the_weekly_schedule(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    window = make_window(qtbot, clinic, user)
    view = window.groups_view
    assert view.group_table.model().rowCount() == 2
    days = table_text(view.schedule_table, 0)
    assert days.count("Monday") == 3 and "Friday" not in days and len(days) == 12
    window.tabs.setCurrentWidget(view)
    qtbot.waitUntil(view.group_table.isVisible)
    assert view.group_table.horizontalScrollBar().maximum() == 0  # every column in view


def test_curriculum_shows_each_modalitys_topics(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    window = make_window(qtbot, clinic, user)
    view = window.curriculum_view
    codes = [view.modality.itemData(i) for i in range(view.modality.count())]
    assert {"CBT", "RP", "PSYED", "MI", "MIND"} <= set(codes)
    view.modality.setCurrentIndex(codes.index("CBT"))
    count = view.proxy.rowCount()
    assert count >= 12
    assert [view.proxy.index(r, 0).data() for r in range(count)] == [
        str(n) for n in range(1, count + 1)
    ]
    first_title = view.proxy.index(0, 1).data()
    assert first_title in view.detail.toPlainText()
    assert "Objectives" in view.detail.toPlainText()


def test_menu_shortcuts_switch_pages(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> None:
    window = make_window(qtbot, clinic, user)
    qtbot.keyClick(window.tabs, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.curriculum_view
    qtbot.keyClick(window.tabs, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.today_view


def test_an_empty_clinic_says_no_groups_meet(
    qtbot: QtBot, tmp_path: object, user: SignedInUser
) -> None:
    from pathlib import Path

    from facilitator.app import open_clinic

    assert isinstance(tmp_path, Path)
    empty = open_clinic(tmp_path)
    try:
        window = MainWindow(empty, user, today=date.today)
        qtbot.addWidget(window)
        assert window.today_view.table.model().rowCount() == 0
        assert not window.today_view.table.isVisibleTo(window)
    finally:
        empty.close()


def test_enter_on_a_block_opens_its_runner(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    window = make_window(qtbot, clinic, user)
    table = window.today_view.table
    table.setFocus()
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(window.runners) == 1
    runner = next(iter(window.runners.values()))
    assert runner.block.sequence == 2
    assert runner.block.topic == table_text(table, 3)[1]
    runner.close()
    assert window.runners == {}


def test_a_new_window_fits_a_small_screen(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    from ui.widgets import fit_to_screen

    window = QWidget()
    qtbot.addWidget(window)
    fit_to_screen(window, 5000, 5000)  # larger than any screen: a laptop's 1280x720 too
    available = window.screen().availableGeometry()
    assert window.width() < available.width() and window.height() < available.height()
    fit_to_screen(window, 300, 200)
    assert window.size().toTuple() == (300, 200)
