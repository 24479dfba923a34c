"""The participant window opens from the roster and shows attendance, weekly hours and flags."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.participant_record import ParticipantRecord
from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_main_window import make_window, table_text
from ui.main_window import MainWindow
from ui.models.row_table_model import FLAG_COLOR
from ui.participant.participant_window import ParticipantWindow

STATUS_COLUMN = 5  # Hours by week: week of, hours, target, group met, status


def below_target_person(clinic: Clinic) -> ParticipantRecord:
    """An active participant with a whole week below the weekly target."""
    for row in clinic.roster(DEMO_TODAY):
        record = clinic.participant_record(row.participant_id, DEMO_TODAY)
        if row.status == "active" and any(w.below_target for w in record.weeks):
            return record
    raise AssertionError("the demo clinic has no week below target")


def open_from_roster(qtbot: QtBot, window: MainWindow, chart_number: str) -> ParticipantWindow:
    view = window.participants_view
    window.tabs.setCurrentWidget(view)
    rows = table_text(view.table, 1)
    view.table.setFocus()
    view.table.selectRow(rows.index(chart_number))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    opened = [w for w in window.participant_windows.values() if w.isVisible()]
    assert len(opened) == 1
    qtbot.waitUntil(opened[0].isActiveWindow)  # its shortcuts work once it has the focus
    return opened[0]


def test_enter_on_a_participant_opens_their_attendance_and_weekly_hours(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    record = below_target_person(clinic)
    window = make_window(qtbot, clinic, user)
    person = open_from_roster(qtbot, window, record.chart_number)
    assert person.participant_id == record.participant_id
    assert record.name in person.windowTitle()
    attendance = person.attendance_table.model()
    assert attendance.rowCount() == len(record.attendance) > 0
    newest = record.attendance[-1]
    assert attendance.index(0, 0).data() == f"{newest.day:%a} {newest.day.isoformat()}"
    assert attendance.index(0, 3).data() == newest.topic
    assert table_text(person.weeks_table, 0)[0] == f"Mon {record.weeks[0].monday.isoformat()}"
    assert person.weeks_table.model().rowCount() == len(record.weeks)
    person.close()
    assert window.participant_windows == {}


def test_a_week_below_target_is_marked(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> None:
    record = below_target_person(clinic)
    window = make_window(qtbot, clinic, user)
    person = open_from_roster(qtbot, window, record.chart_number)
    qtbot.keyClick(person.tabs, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert person.tabs.currentIndex() == 1
    weeks = person.weeks_table.model()
    statuses = table_text(person.weeks_table, STATUS_COLUMN - 1)
    row = statuses.index("Below target")
    for column in (1, STATUS_COLUMN - 1):  # hours attended and status
        cell = weeks.index(row, column)
        assert cell.data(Qt.ItemDataRole.ForegroundRole) == FLAG_COLOR
        font = cell.data(Qt.ItemDataRole.FontRole)
        assert isinstance(font, QFont) and font.bold()
    met = statuses.index("Met")
    assert weeks.index(met, 1).data(Qt.ItemDataRole.ForegroundRole) is None
    assert statuses.count("Below target") == sum(1 for w in record.weeks if w.below_target)


def test_short_days_curriculum_and_goals_are_shown(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    record = below_target_person(clinic)
    person = ParticipantWindow(clinic, user, record.participant_id, lambda: DEMO_TODAY)
    qtbot.addWidget(person)
    assert person.days_table.model().rowCount() == len(record.short_days) > 0
    assert all(text.startswith(("1 h", "2 h")) for text in table_text(person.days_table, 1))
    assert table_text(person.covered_table, 2) == [t.title for t in record.covered]
    assert table_text(person.to_cover_table, 3) == [t.title for t in record.to_cover]
    assert table_text(person.goals_table, 0) == [g.text for g in record.goals]
    assert person.tabs.tabText(2).startswith("Days under 3 h")


def test_one_window_per_participant_and_escape_closes_it(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    record = below_target_person(clinic)
    window = make_window(qtbot, clinic, user)
    first = open_from_roster(qtbot, window, record.chart_number)
    second = open_from_roster(qtbot, window, record.chart_number)
    assert first is second and len(window.participant_windows) == 1
    qtbot.keyClick(first.tabs, Qt.Key.Key_Escape)
    assert window.participant_windows == {}


def test_the_window_models_are_well_behaved(
    qtbot: QtBot, clinic: Clinic, qtmodeltester: ModelTester, user: SignedInUser
) -> None:
    record = below_target_person(clinic)
    person = ParticipantWindow(clinic, user, record.participant_id, lambda: DEMO_TODAY)
    qtbot.addWidget(person)
    for table in (person.attendance_table, person.weeks_table, person.days_table):
        qtmodeltester.check(table.model())
