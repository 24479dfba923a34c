"""The measure results dialog: mark a result entered in error (a reason required); it stays
listed and in its history, struck through, and leaves the Progress tab and the due list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from tests.integration.test_measures_and_discharge import PHQ9_MILD
from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_progress import due_participant, open_window, table_rows
from ui.participant.entered_in_error_dialog import EnteredInErrorDialog
from ui.participant.measure_results_dialog import StruckModel

RISKY = {**PHQ9_MILD, "self_harm": 1}  # total 7, Mild, risk


def struck(model: StruckModel[object], row: int, column: int = 0) -> bool:
    font = model.index(row, column).data(Qt.ItemDataRole.FontRole)
    return isinstance(font, QFont) and font.strikeOut()


def test_mark_a_result_entered_in_error(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, _ = due_participant(writable_clinic)
    row = writable_clinic.measures.record(user, pid, "PHQ-9", DEMO_TODAY, RISKY, DEMO_TODAY)
    window = open_window(qtbot, writable_clinic, user, pid)
    assert [DEMO_TODAY.isoformat(), "PHQ-9", "7", "Mild; self-harm item above zero"] in table_rows(
        window.progress.measures_model
    )
    results = window.progress_actions.results_dialog()
    qtbot.addWidget(results)
    assert results.selected() == row and results.mark_button.isEnabled()
    assert results.mark_button.shortcut().toString() == "Ctrl+Del"

    def fill_and_mark(dialog: EnteredInErrorDialog) -> int:
        assert "PHQ-9 given 2026-11-23 (total 7 of 27, Mild)" in dialog.intro.text()
        dialog.mark_button.click()
        assert "Say why" in dialog.error.text()  # no reason: refused, still open
        dialog.reason.setText("Recorded for the wrong participant")
        dialog.mark_button.click()
        return int(dialog.result())

    monkeypatch.setattr(EnteredInErrorDialog, "exec", fill_and_mark)
    with qtbot.waitSignal(window.progress_actions.records_changed):
        results.mark_button.click()
    window.refresh()

    marked = results.selected()
    assert marked is not None and marked.result_id == row.result_id and marked.entered_in_error
    listed = table_rows(results.results_model)[0]
    assert listed[4] == "Self-harm item above zero" and listed[5] == "Entered in error"
    assert struck(results.results_model, 0) and struck(results.results_model, 0, 4)
    assert not struck(results.results_model, 0, 5)  # the status is read plain
    risk = results.results_model.index(0, 4).data(Qt.ItemDataRole.ForegroundRole)
    assert risk is None  # kept as written, no longer flagged
    assert not results.mark_button.isEnabled() and not results.correct_button.isEnabled()
    history = table_rows(results.history_model)
    assert [h[0] for h in history] == ["Original entry", "Marked entered in error"]
    assert history[0][2] == "7" and history[1][2] == ""  # the mark shows who, when, why
    assert history[1][5] == "Morgan Reyes" and history[1][7] == "Recorded for the wrong participant"
    assert struck(results.history_model, 0, 2) and not struck(results.history_model, 0, 7)
    assert not struck(results.history_model, 1, 2)
    assert "marked entered in error, so it counts nowhere" in results.history_title.text()

    assert [
        DEMO_TODAY.isoformat(),
        "PHQ-9",
        "7",
        "Mild; self-harm item above zero",
    ] not in table_rows(window.progress.measures_model)
    assert (pid, "PHQ-9") in {
        (r.participant_id, r.code) for r in writable_clinic.week_measures_due(DEMO_TODAY)
    }
