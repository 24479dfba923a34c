"""The participant window: readmit a discharged participant, correct a measure entered wrongly
(the original kept in its history), export the signed discharge summary signed; the runner shows
measures due and a measure's risk."""

from __future__ import annotations

import io
import uuid
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QInputDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.discharge import DischargeReason, DischargeRequest, TransitionPlan
from facilitator.domain.users import SignedInUser
from facilitator.storage.models import Discharge, Enrollment
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import ExportResult
from reports.manifest import read_manifest
from tests.integration.test_measures_and_discharge import PHQ9_MILD as PHQ9
from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_progress import due_participant, open_window, table_rows
from ui.participant.measure_dialog import MeasureDialog
from ui.runner.session_runner_window import SessionRunnerWindow


def long_enrolled(clinic: Clinic) -> uuid.UUID:
    """Someone enrolled for weeks, still in the program."""
    with unit_of_work(clinic.database) as session:
        return session.scalars(
            select(Enrollment.participant_id)
            .where(
                Enrollment.discharged.is_(None),
                Enrollment.admitted < DEMO_TODAY - timedelta(days=14),
            )
            .order_by(Enrollment.admitted)
        ).all()[1]


def on_roster_today(clinic: Clinic, participant_id: uuid.UUID) -> bool:
    for block in clinic.day_blocks(DEMO_TODAY):
        for entry in clinic.runner.sheet(block.session_id).blocks[0].roster:
            if entry.participant_id == participant_id:
                return True
    return False


def test_readmit_a_discharged_participant(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    pid = long_enrolled(writable_clinic)
    yesterday = DEMO_TODAY - timedelta(days=1)
    writable_clinic.discharges.discharge(
        user,
        pid,
        DischargeRequest(yesterday, DischargeReason.LEFT_AGAINST_ADVICE, TransitionPlan()),
    )
    assert not on_roster_today(writable_clinic, pid)  # gone from the day after discharge
    window = open_window(qtbot, writable_clinic, user, pid)
    actions = window.discharge_actions
    assert actions.readmit.isEnabled() and actions.discharge.isEnabled()  # edit the plan
    assert window.readmit_button.isVisible()
    assert window.readmit_button.defaultAction() is actions.readmit
    assert actions.readmit.shortcut().toString() == "Ctrl+Shift+E"
    assert f"off the rosters from {DEMO_TODAY}" in window.discharged_note.text()

    dialog = actions.readmit_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert f"discharged on {yesterday}" in dialog.intro.text()
    assert "Left against clinical advice" in dialog.intro.text()
    assert dialog.admitted.minimumDate() == QDate(DEMO_TODAY.year, DEMO_TODAY.month, DEMO_TODAY.day)
    assert dialog.group.currentText() == window.record.enrollments[-1].group
    dialog.save_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    window.refresh()

    assert window.discharged_bar.isHidden()
    assert not actions.readmit.isEnabled() and actions.discharge.isEnabled()
    latest = window.record.enrollments[-1]
    assert (latest.admitted, latest.discharged) == (DEMO_TODAY, None)
    assert len(window.record.enrollments) == 2  # the discharged enrollment stays
    assert on_roster_today(writable_clinic, pid)
    assert actions.readmit_dialog() is None  # enrolled: nothing to readmit


def test_a_refused_readmission_keeps_the_dialog_open(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    pid, _ = due_participant(writable_clinic)
    writable_clinic.discharges.discharge(
        user, pid, DischargeRequest(DEMO_TODAY, DischargeReason.COMPLETED, TransitionPlan())
    )
    window = open_window(qtbot, writable_clinic, user, pid)
    dialog = window.discharge_actions.readmit_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    with unit_of_work(writable_clinic.database) as session:  # readmitted elsewhere meanwhile
        group_id = session.scalars(
            select(Enrollment.group_id).where(Enrollment.participant_id == pid)
        ).first()
    assert group_id is not None
    writable_clinic.discharges.readmit(user, pid, group_id, DEMO_TODAY + timedelta(days=1))
    dialog.save_button.click()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "still enrolled" in dialog.error.text()


def test_correct_a_measure_and_see_its_history(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, _ = due_participant(writable_clinic)
    row = writable_clinic.measures.record(user, pid, "PHQ-9", DEMO_TODAY, PHQ9, DEMO_TODAY)
    window = open_window(qtbot, writable_clinic, user, pid)
    results = window.progress_actions.results_dialog()
    qtbot.addWidget(results)
    assert results.selected() == row  # newest first
    assert [v[0] for v in table_rows(results.history_model)] == ["Original entry"]

    def fill_and_save(dialog: MeasureDialog) -> int:
        assert dialog.windowTitle() == "Correct a measure result"
        assert not dialog.measure.isEnabled() and dialog.total.text().startswith("Total 6 of 27")
        dialog.spins["self_harm"].setValue(2)
        save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.click()
        assert "Say why" in dialog.error.text()  # no reason: refused, still open
        dialog.reason.setText("Item 9 misread from the paper form")
        save.click()
        return int(dialog.result())

    monkeypatch.setattr(MeasureDialog, "exec", fill_and_save)
    with qtbot.waitSignal(window.progress_actions.records_changed):
        results.correct_button.click()
    window.refresh()

    corrected = results.selected()
    assert corrected is not None and corrected.result_id == row.result_id
    assert (corrected.total, corrected.risk, corrected.corrections) == (8, True, 1)
    result_row = table_rows(results.results_model)[0]
    assert result_row[4] == "Self-harm item above zero" and result_row[5] == "Corrected"
    history = table_rows(results.history_model)
    assert [h[0] for h in history] == ["Original entry", "Correction 1 (current)"]
    assert history[0][2:6] == ["6", "Mild", "1 1 1 1 1 1 0 0 0", "Morgan Reyes"]
    assert history[1][2] == "8" and history[1][7] == "Item 9 misread from the paper form"
    assert "the original entry and each correction" in results.history_title.text()
    assert [
        DEMO_TODAY.isoformat(),
        "PHQ-9",
        "8",
        "Mild (corrected); self-harm item above zero",
    ] in table_rows(window.progress.measures_model)
    assert window.progress_actions.measure_results.shortcut().toString() == "Ctrl+Shift+M"


def test_export_the_signed_discharge_summary_signed(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    demo_passwords: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    with unit_of_work(writable_clinic.database) as session:
        pid, discharge_id = session.execute(
            select(Enrollment.participant_id, Discharge.id)
            .join(Discharge, Discharge.enrollment_id == Enrollment.id)
            .where(Discharge.status == "signed")
        ).one()
    window = open_window(qtbot, writable_clinic, user, pid)
    assert "The discharge summary is signed." in window.discharged_note.text()
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "summary.pdf"), "PDF")),
    )
    asked: list[str] = []

    def password(*args: object, **kwargs: object) -> tuple[str, bool]:
        asked.append(str(args[1]))
        return demo_passwords["mreyes"], True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(password))
    assert window.discharge_actions.export_summary.isEnabled()
    with qtbot.waitSignal(window.exporter.exported, timeout=30000) as done:
        window.discharge_actions.export_summary.trigger()
    result: ExportResult = done.args[0]
    assert asked == ["Sign the PDF"] and result.signed
    data = result.path.read_bytes()
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 1
    assert [s.item_id for s in read_manifest(data).signed] == [discharge_id]


def test_the_runner_shows_measures_due_and_a_measures_risk(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    risky = None
    for block in clinic.day_blocks(DEMO_TODAY):
        roster = clinic.runner.sheet(block.session_id).blocks[0].roster
        if any(e.measure_risk for e in roster):
            risky = block.session_id
    assert risky is not None
    window = SessionRunnerWindow(clinic, user, risky, now=lambda: datetime(2026, 11, 23, 9, 4))
    qtbot.addWidget(window)
    model = window.attendance.table.model()
    horizontal = Qt.Orientation.Horizontal
    headers = [model.headerData(c, horizontal) for c in range(model.columnCount())]
    column = headers.index("This week")
    marks = [model.index(r, column).data() for r in range(model.rowCount())]
    assert any(m.startswith("Risk: PHQ-9 on ") and "self-harm" in m for m in marks)
    assert any("Due: " in m for m in marks)
