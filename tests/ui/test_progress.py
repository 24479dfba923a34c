"""The participant window's Progress tab and measure dialog, Today's week lists, the discharge
dialog; plots checked through their data, tables and tooltips, in light and dark palettes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.trends import TrendMarker, TrendPoint, Trends, TrendSeries, WeekBar
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from ui.colors import WARNING_ON_DARK
from ui.participant.measure_dialog import MeasureDialog
from ui.participant.participant_window import ParticipantWindow
from ui.participant.progress_tab import ProgressTab
from ui.participant.trend_plot import TrendPlot
from ui.views.today_view import TodayView


def due_participant(clinic: Clinic) -> tuple[object, str]:
    row = next(r for r in clinic.week_measures_due(DEMO_TODAY) if r.code == "PHQ-9")
    return row.participant_id, row.name


def open_window(qtbot: QtBot, clinic: Clinic, user: SignedInUser, pid: object) -> ParticipantWindow:
    window = ParticipantWindow(clinic, user, pid, lambda: DEMO_TODAY)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.tabs.setCurrentWidget(window.progress)
    return window


def table_rows(model: object) -> list[list[str]]:
    rows = []
    for r in range(model.rowCount()):  # type: ignore[attr-defined]
        rows.append(
            [
                model.index(r, c).data()  # type: ignore[attr-defined]
                for c in range(model.columnCount())  # type: ignore[attr-defined]
            ]
        )
    return rows


def test_entering_a_measure_shows_in_the_plot_and_its_table(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    pid, _ = due_participant(writable_clinic)
    window = open_window(qtbot, writable_clinic, user, pid)
    before = [s for s in window.progress.measures_plot._series if s.name == "PHQ-9"]
    count = len(before[0].points) if before else 0
    dialog = window.progress_actions.measure_dialog()
    qtbot.addWidget(dialog)
    dialog.choose("PHQ-9")
    values = [3, 2, 2, 1, 1, 2, 2, 1, 2]  # 16, moderately severe; self-harm item 2
    for spin, value in zip(dialog.spins.values(), values, strict=True):
        spin.setValue(value)
    assert dialog.total.text() == "Total 16 of 27 · Moderately severe"
    assert dialog.risk.text().startswith("Risk: the self-harm item is above zero")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    window.refresh()
    series = next(s for s in window.progress.measures_plot._series if s.name == "PHQ-9")
    assert len(series.points) == count + 1
    assert series.points[-1].day == DEMO_TODAY and series.points[-1].value == 16
    rows = table_rows(window.progress.measures_model)
    risky = "Moderately severe; self-harm item above zero"
    assert [DEMO_TODAY.isoformat(), "PHQ-9", "16", risky] in rows
    model = window.progress.measures_model
    row = rows.index([DEMO_TODAY.isoformat(), "PHQ-9", "16", risky])
    assert model.index(row, 3).data(Qt.ItemDataRole.FontRole).bold()  # flagged like the runner
    ModelTester(None).check(window.progress.measures_model)  # type: ignore[arg-type]
    window.progress.measures_plot.grab()  # paint: the hover targets are laid out
    tip = next(
        h.text
        for h in window.progress.measures_plot.hits
        if h.text.startswith("PHQ-9: 16") and DEMO_TODAY.isoformat() in h.text
    )
    hit = next(h for h in window.progress.measures_plot.hits if h.text == tip)
    assert window.progress.measures_plot.tooltip_at(hit.area.center()) == tip
    due = {(r.participant_id, r.code) for r in writable_clinic.week_measures_due(DEMO_TODAY)}
    assert (pid, "PHQ-9") not in due


def test_a_refused_measure_keeps_the_dialog_open_with_the_reason(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    pid, _ = due_participant(writable_clinic)
    window = open_window(qtbot, writable_clinic, user, pid)
    dialog = window.progress_actions.measure_dialog()
    qtbot.addWidget(dialog)
    dialog.taken_on.setMaximumDate(dialog.taken_on.maximumDate().addDays(5))
    dialog.taken_on.setDate(dialog.taken_on.date().addDays(2))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "in the future" in dialog.error.text()


def test_progress_tables_name_themselves_for_screen_readers(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    pid, _ = due_participant(clinic)
    window = open_window(qtbot, clinic, user, pid)
    progress = window.progress
    for table in (progress.measures_table, progress.craving_table, progress.hours_table):
        assert table.accessibleName().endswith("table")
    for plot in (progress.measures_plot, progress.craving_plot, progress.hours_plot):
        assert plot.accessibleName() and "table beside" in plot.accessibleDescription()
    hours = table_rows(progress.hours_model)
    record = window.record
    assert len(hours) == len(record.weeks)
    assert hours[-1][1] == f"{record.weeks[-1].minutes / 60:.1f}"
    assert "Admitted" in progress.markers.text()
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Progress"


def plot_colors(plot: TrendPlot) -> set[int]:
    image: QImage = plot.grab().toImage()
    return {
        image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())
    }


@pytest.mark.parametrize("dark", [False, True])
def test_plots_follow_the_palette(qtbot: QtBot, dark: bool) -> None:
    palette = QApplication.palette()
    if dark:
        palette.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
        palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6"))
    tab = ProgressTab()
    qtbot.addWidget(tab)
    tab.setPalette(palette)
    tab.resize(900, 800)
    first = DEMO_TODAY - timedelta(days=30)
    trends = Trends(
        first=first,
        last=DEMO_TODAY,
        measures=(TrendSeries("PHQ-9", (TrendPoint(first, 14), TrendPoint(DEMO_TODAY, 8)), 0, 27),),
        craving=(TrendSeries("Craving in notes", (TrendPoint(first, 6),), 0, 10),),
        weeks=(),
        markers=(TrendMarker(first, "Admitted"),),
    )
    tab.show_trends(trends)
    colors = plot_colors(tab.measures_plot)
    background = palette.color(QPalette.ColorRole.Base).rgb()
    assert background in colors
    series = QColor("#1f5fa8").lighter(165) if dark else QColor("#1f5fa8")
    assert series.rgb() in colors  # the series colour, lightened on a dark background
    assert palette.color(QPalette.ColorRole.Text).rgb() in colors  # axes in the text colour
    assert (QColor("#1f5fa8").rgb() in colors) is not dark  # never the light colour on dark


def test_hour_bars_stay_inside_the_plot_below_the_markers_labels(qtbot: QtBot) -> None:
    plot = TrendPlot("Hours attended per week")
    qtbot.addWidget(plot)
    plot.resize(600, 240)
    monday = DEMO_TODAY - timedelta(days=7)
    weeks = (
        WeekBar(monday, 12.0, 9.0, "Met"),
        WeekBar(DEMO_TODAY, 0.0, 9.0, "In progress"),  # starts on the last day shown
    )
    marker = TrendMarker(monday + timedelta(days=3), "90 days of recovery")
    plot.show_bars(monday - timedelta(days=3), DEMO_TODAY, weeks, (marker,))
    plot.grab()
    area = plot._plot_area()
    bars = [h for h in plot.hits if h.text.startswith("Week of")]
    assert [h.text for h in bars] == [f"Week of {monday}: 12.0 h of 9 h target"]
    assert area.left() <= bars[0].area.left() and bars[0].area.right() <= area.right()
    tallest = plot._y(area, 12.0)
    assert tallest > area.top() + plot.fontMetrics().height()  # room for a marker's label


def test_today_lists_milestones_and_measures_due(qtbot: QtBot, clinic: Clinic) -> None:
    view = TodayView(clinic, lambda: DEMO_TODAY)
    qtbot.addWidget(view)
    milestones = table_rows(view.week.milestones_model)
    assert any(r[3] == "90 days of recovery" and DEMO_TODAY.isoformat() in r[0] for r in milestones)
    due = table_rows(view.week.due_model)
    assert due and {r[2] for r in due} >= {"PHQ-9", "GAD-7"}
    assert "Milestones this week" in view.week.milestones_title.text()
    ModelTester(None).check(view.week.due_model)  # type: ignore[arg-type]
    with qtbot.waitSignal(view.week.participant_opened) as opened:
        view.week.due.activated.emit(view.week.due_model.index(0, 0, QModelIndex()))
    assert opened.args == [view.week.due_model.row_at(0).participant_id]


def test_discharge_from_the_window(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    pid, _ = due_participant(writable_clinic)
    window = open_window(qtbot, writable_clinic, user, pid)
    actions = window.discharge_actions
    assert actions.discharge.isEnabled()
    assert not actions.sign_summary.isEnabled() and not actions.readmit.isEnabled()
    assert window.discharged_bar.isHidden()
    dialog = actions.discharge_dialog()
    qtbot.addWidget(dialog)
    assert dialog.day.maximumDate() == dialog.day.date()  # today: never recorded ahead
    dialog.reason.setCurrentIndex(dialog.reason.findData("stepped_down"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "name the next level of care" in dialog.error.text()
    dialog.next_level.setText("Standard outpatient")
    assert len(dialog.goal_statuses) == len(window.record.goals) > 0
    first = dialog.goal_statuses[0]
    assert first.currentText() == "Active"
    first.setCurrentIndex(first.findText("Met"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.result() == dialog.DialogCode.Accepted
    window.refresh()
    assert table_rows(window.goals_table.model())[0][1] == "Met"  # the Goals tab
    assert actions.sign_summary.isEnabled() and actions.readmit.isEnabled()
    assert window.record.enrollments[-1].discharge_reason.startswith("Stepped down")
    assert not window.discharged_bar.isHidden()
    assert f"Discharged on {DEMO_TODAY}" in window.discharged_note.text()
    assert "summary is a draft: sign it" in window.discharged_note.text()
    every = window.progress_actions.actions + actions.actions
    shortcuts = {a.shortcut().toString() for a in every}
    assert "" not in shortcuts and len(shortcuts) == len(every) == 8
    assert window.progress_actions.record_measure.shortcut().toString() == "Ctrl+M"


def answer(text: str, asked: list[str]) -> Callable[..., tuple[str, bool]]:
    """QInputDialog.getText answering `text`, noting the text it was opened with."""

    def get_text(*_args: Any, **kwargs: Any) -> tuple[str, bool]:
        asked.append(kwargs.get("text", ""))
        return text, True

    return get_text


def test_the_recovery_start_is_shown_offered_for_editing_and_checked(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, _ = due_participant(writable_clinic)
    window = open_window(qtbot, writable_clinic, user, pid)
    assert "Recovery since" not in window._details.text()
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer("2026-10-24", asked)))
    window.progress_actions.recovery_start.trigger()
    assert asked == [""]
    assert "Recovery since 2026-10-24 (30 days)" in window._details.text()
    milestones = writable_clinic.week_milestones(DEMO_TODAY)
    assert any(m.participant_id == pid and m.label == "30 days of recovery" for m in milestones)
    window.progress_actions.recovery_start.trigger()
    assert asked[-1] == "2026-10-24"  # opened on the date kept, so OK keeps it
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda *a: warnings.append(a[2])))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(answer("1900-01-01", asked)))
    window.progress_actions.recovery_start.trigger()
    assert "before the participant's date of birth" in warnings[0]
    assert writable_clinic.measures.recovery_start(pid) == date(2026, 10, 24)


def test_the_measure_dialogs_risk_and_refusal_read_on_a_dark_palette(
    qtbot: QtBot, clinic: Clinic
) -> None:
    light = QApplication.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    QApplication.setPalette(dark)
    try:
        dialog = MeasureDialog(clinic.measures.definitions(), DEMO_TODAY, lambda _entry: None)
        qtbot.addWidget(dialog)
        for label in (dialog.risk, dialog.error):
            assert WARNING_ON_DARK.name() in label.styleSheet()
    finally:
        QApplication.setPalette(light)
