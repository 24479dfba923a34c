"""Export actions: a save dialog, the export on a worker thread, a real PDF written and audited."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.storage.models import AuditEvent
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import ExportResult
from reports.manifest import read_manifest
from ui.export.period_dialog import PeriodDialog
from ui.main_window import MainWindow
from ui.participant.participant_window import ParticipantWindow
from ui.runner.session_runner_window import SessionRunnerWindow

DEMO_TODAY = date(2026, 11, 23)


def action(window: QMainWindow, text: str) -> QAction:
    for found in window.findChildren(QAction):
        if found.text().replace("&", "") == text:
            return found
    raise AssertionError(f"no action {text!r}")


def save_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "PDF"))
    )


def last_audit(clinic: Clinic) -> AuditEvent:
    with unit_of_work(clinic.database) as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence.desc())).first()
        assert event is not None
        session.expunge(event)
        return event


def test_the_runner_exports_a_signed_session_record(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    demo_passwords: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    past = next(
        b for b in writable_clinic.day_blocks(date(2026, 11, 19)) if b.group.endswith("Morning")
    )
    window = SessionRunnerWindow(writable_clinic, user, past.session_id)
    qtbot.addWidget(window)
    save_to(monkeypatch, tmp_path / "record")  # no suffix: .pdf is added
    monkeypatch.setattr(
        QInputDialog, "getText", staticmethod(lambda *a, **k: (demo_passwords["mreyes"], True))
    )
    export = action(window, "Export session record…")
    assert export.shortcut().toString() == "Ctrl+Alt+R"
    with qtbot.waitSignal(window.exporter.exported, timeout=30000) as done:
        export.trigger()
    result: ExportResult = done.args[0]
    assert result.path == tmp_path / "record.pdf"
    data = result.path.read_bytes()
    assert read_manifest(data).kind == "session_record"
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 1
    assert "Exported session record" in window.statusBar().currentMessage()
    event = last_audit(writable_clinic)
    assert (event.action, event.object_id) == ("export", str(past.session_id))


def test_the_runner_exports_a_sign_in_sheet_without_asking_a_password(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    today = writable_clinic.day_blocks(DEMO_TODAY)[0]
    window = SessionRunnerWindow(writable_clinic, user, today.session_id)
    qtbot.addWidget(window)
    save_to(monkeypatch, tmp_path / "sign-in.pdf")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(pytest.fail))
    with qtbot.waitSignal(window.exporter.exported, timeout=30000):
        action(window, "Export sign-in sheet…").trigger()
    assert read_manifest((tmp_path / "sign-in.pdf").read_bytes()).kind == "sign_in_sheet"


def test_the_main_window_exports_an_attendance_report_for_a_period(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    window = MainWindow(writable_clinic, user, lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    save_to(monkeypatch, tmp_path / "attendance.pdf")
    monkeypatch.setattr(PeriodDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    with qtbot.waitSignal(window.exporter.exported, timeout=30000) as done:
        action(window, "Export attendance report…").trigger()
    assert done.args[0].pages >= 1
    event = last_audit(writable_clinic)
    assert event.detail["kind"] == "attendance_report"
    assert event.detail["path"] == str(tmp_path / "attendance.pdf")


def test_a_failed_export_says_why_and_writes_nothing(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    participant = writable_clinic.roster(DEMO_TODAY)[3].participant_id
    window = ParticipantWindow(writable_clinic, user, participant, lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    save_to(monkeypatch, tmp_path / "gone" / "chart.pdf")
    monkeypatch.setattr(PeriodDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("pw", True)))
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda _p, _t, text, *a: warnings.append(text))
    )
    with qtbot.waitSignal(window.exporter.export_failed, timeout=30000):
        action(window, "Export chart…").trigger()
    assert warnings and "does not exist" in warnings[0]
    assert not (tmp_path / "gone").exists()


def test_a_record_without_signed_notes_is_exported_without_asking_a_password(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    today = writable_clinic.day_blocks(DEMO_TODAY)[0]  # not run yet: no note is signed
    window = SessionRunnerWindow(writable_clinic, user, today.session_id)
    qtbot.addWidget(window)
    save_to(monkeypatch, tmp_path / "record.pdf")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(pytest.fail))
    with qtbot.waitSignal(window.exporter.exported, timeout=30000) as done:
        action(window, "Export session record…").trigger()
    result: ExportResult = done.args[0]
    assert not result.signed
    assert read_manifest(result.path.read_bytes()).kind == "session_record"
    assert not PdfFileReader(io.BytesIO(result.path.read_bytes())).embedded_signatures


@pytest.mark.parametrize(
    ("chosen", "says"),
    [
        ("data:facilitator.keyinfo.json", "inside the clinic's data folder"),
        ("existing", "already exists and was left as it is"),  # .pdf added: never confirmed
    ],
)
def test_the_app_never_exports_into_the_data_folder_nor_over_an_unconfirmed_file(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    chosen: str,
    says: str,
) -> None:
    (tmp_path / "existing.pdf").write_bytes(b"last month's report")
    target = (
        writable_clinic.data_dir / chosen.removeprefix("data:")
        if chosen.startswith("data:")
        else tmp_path / chosen
    )
    before = {p: p.read_bytes() for p in (target, tmp_path / "existing.pdf") if p.is_file()}
    window = MainWindow(writable_clinic, user, lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    save_to(monkeypatch, target)  # the save dialog confirmed replacing `target` itself
    monkeypatch.setattr(PeriodDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    with qtbot.waitSignal(window.exporter.export_failed, timeout=30000):
        action(window, "Export attendance report…").trigger()
    assert len(warned) == 1 and says in warned[0]
    assert {p: p.read_bytes() for p in before} == before
