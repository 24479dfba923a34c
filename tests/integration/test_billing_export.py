"""The billing export on a copy of the demo clinic (SQLCipher): rows match the attendance
report, telehealth and minimums follow the program's codes, cells cannot start a formula, and
`facilitator export services` refuses what it must."""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.cli.main import main
from facilitator.documents.attendance_report import AttendanceReportDocument
from facilitator.documents.requests import AttendanceReportRequest
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError
from facilitator.storage.models import (
    Attendance,
    AuditEvent,
    Group,
    Modality,
    Participant,
    Program,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.clinic_copies import clinic_copy
from tests.users import signed_in

FIRST, LAST = date(2026, 10, 26), date(2026, 11, 22)  # the demo's four weeks before "today"
TODAY = date(2026, 11, 23)
H0015: dict[str, Any] = {
    "code": "H0015",
    "description": "Intensive outpatient, per day",
    "per": "day",
    "modalities": [],
    "modifiers": ["HQ"],
    "telehealth_modifiers": ["95"],
    "minimum_minutes": 180,
}
GROUP_THERAPY: dict[str, Any] = {
    "code": "90853",
    "description": "Group psychotherapy",
    "per": "block",
    "modalities": ["CBT", "PROC"],
    "modifiers": [],
    "telehealth_modifiers": ["95"],
    "minimum_minutes": 45,
}


def set_codes(clinic: Clinic, *codes: dict[str, Any]) -> None:
    with unit_of_work(clinic.database) as session:
        for program in session.scalars(select(Program)):
            program.service_codes = list(codes)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8"))))


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with clinic_copy(demo_clinic_folder, tmp_path / "clinic") as opened:
        set_codes(opened, H0015, GROUP_THERAPY)
        yield opened


def test_the_demo_months_day_rows_are_the_attendance_reports_days(
    clinic: Clinic, tmp_path: Path
) -> None:
    out = tmp_path / "services.csv"
    rows = [r for r in export(clinic, FIRST, LAST, out) if r["code"] == "H0015"]
    report = clinic.load_document(AttendanceReportRequest(FIRST, LAST))
    assert isinstance(report, AttendanceReportDocument)
    expected = {
        (row.chart_number, d.day.isoformat()): d.minutes
        for row in report.rows
        for d in row.days
        if d.minutes >= 180
    }
    billed = {(r["chart_number"], r["date"]): int(r["minutes"]) for r in rows}
    assert len(billed) == len(rows)  # one row per participant per day
    assert billed == expected
    short = [(row.chart_number, d.day.isoformat()) for row in report.rows for d in row.short_days]
    assert short and not set(short) & set(billed)  # a day under 180 minutes is not billed
    # in the clinic (POS 11, HQ), or a day attended by video (POS 10, telehealth's 95 added)
    billed_as = {(r["modifiers"], r["place_of_service"]) for r in rows}
    assert ("HQ", "11") in billed_as and billed_as <= {("HQ", "11"), ("HQ 95", "10")}
    assert {r["units"] for r in rows} == {"1"}
    assert all(r["rendering_clinician"] for r in rows)


def test_block_rows_are_the_listed_modalities_attended_blocks(
    clinic: Clinic, tmp_path: Path
) -> None:
    rows = export(clinic, FIRST, LAST, tmp_path / "services.csv")
    billed = Counter(
        (r["chart_number"], r["date"], int(r["minutes"])) for r in rows if r["code"] == "90853"
    )
    with unit_of_work(clinic.database) as session:
        names = set(
            session.scalars(select(Modality.name).where(Modality.code.in_(["CBT", "PROC"])))
        )
        people = session.execute(select(Participant.id, Participant.chart_number)).all()
    expected: Counter[tuple[str, str, int]] = Counter()
    for participant_id, chart in people:
        for block in clinic.participant_record(participant_id, LAST).attendance:
            if FIRST <= block.day <= LAST and block.modality in names and block.minutes >= 45:
                expected[(chart, block.day.isoformat(), block.minutes)] += 1
    assert billed and billed == expected


def test_a_day_attended_by_video_carries_95_and_place_of_service_10(
    clinic: Clinic, tmp_path: Path
) -> None:
    session_id = clinic.documents.session_id("Adult IOP Morning", TODAY)
    sheet = clinic.runner.sheet(session_id)
    remote, partly = (e.participant_id for e in sheet.blocks[0].roster[:2])
    for block in sheet.blocks:
        clinic.runner.record_attendance(block.block_id, remote, AttendanceStatus.PRESENT)
        status = (
            AttendanceStatus.PRESENT
            if block is sheet.blocks[0]
            else AttendanceStatus.ABSENT_EXCUSED
        )
        clinic.runner.record_attendance(block.block_id, partly, status, absence_reason="Ill")
    with unit_of_work(clinic.database) as session:
        for row in session.scalars(select(Attendance).where(Attendance.participant_id == remote)):
            if row.block.session_id == session_id:
                row.mode = "video"
        charts = dict(session.execute(select(Participant.id, Participant.chart_number)).all())
    rows = export(clinic, TODAY, TODAY, tmp_path / "today.csv")
    (day,) = [r for r in rows if r["chart_number"] == charts[remote] and r["code"] == "H0015"]
    assert day["modifiers"] == "HQ 95"
    assert day["place_of_service"] == "10"
    assert day["mode"] == "video"
    assert int(day["minutes"]) == sum(b.span.minutes for b in sheet.blocks) >= 180
    assert day["signed"] == "no"  # no notes written yet
    assert day["late"] == "yes"  # and now (the real date) is days past the 24 hours
    assert not [r for r in rows if r["chart_number"] == charts[partly] and r["code"] == "H0015"]
    blocks = [r for r in rows if r["chart_number"] == charts[remote] and r["code"] == "90853"]
    assert blocks and all(r["modifiers"] == "95" and r["place_of_service"] == "10" for r in blocks)


def test_cells_that_would_start_a_formula_are_quoted(clinic: Clinic, tmp_path: Path) -> None:
    set_codes(clinic, H0015)
    with unit_of_work(clinic.database) as session:
        participant = session.scalars(
            select(Participant).order_by(Participant.chart_number)
        ).first()
        assert participant is not None
        participant.chart_number = '=HYPERLINK("http://example.invalid","x")'
        for group in session.scalars(select(Group)):
            group.name = f"@SUM({group.name})"
    out = tmp_path / "services.csv"
    rows = export(clinic, FIRST, LAST, out)
    assert rows
    assert all(r["group"].startswith("'@SUM(") for r in rows)
    quoted = [r for r in rows if r["chart_number"].startswith("'=HYPERLINK(")]
    assert quoted
    assert not any(c.startswith(("=", "+", "-", "@")) for r in rows for c in r.values())


def test_a_stored_code_the_domain_refuses_stops_the_export_naming_it(
    clinic: Clinic, tmp_path: Path
) -> None:
    set_codes(clinic, {**H0015, "modifiers": ["@SUM(A1)"]})
    out = tmp_path / "services.csv"
    with pytest.raises(DomainError, match="Code H0015: the modifier '@SUM\\(A1\\)' is not two"):
        export(clinic, FIRST, LAST, out)
    assert not out.exists()


def export(clinic: Clinic, first: date, last: date, out: Path) -> list[dict[str, str]]:
    admin = signed_in(clinic.database, "admin")
    clinic.service_export.export(admin, first, last, out, now=datetime.now(UTC))
    return read_csv(out)


# --- the command --------------------------------------------------------------------------


@pytest.fixture
def folder(demo_clinic_folder: Path, tmp_path: Path) -> Path:
    with clinic_copy(demo_clinic_folder, tmp_path / "clinic") as opened:
        set_codes(opened, H0015)
        return opened.data_dir


@pytest.fixture
def as_user(
    demo_clinic: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    def sign_in(username: str) -> None:
        monkeypatch.setenv("FACILITATOR_USER", username)
        monkeypatch.setenv("FACILITATOR_PASSWORD", demo_clinic[1][username])

    yield sign_in


def run(folder: Path, out: Path, *extra: str) -> int:
    period = ["--from", FIRST.isoformat(), "--to", LAST.isoformat()]
    return main(
        ["--data-dir", str(folder), "export", "services", *period, "--out", str(out), *extra]
    )


def test_the_command_writes_the_csv_and_audits_its_period_and_hash(
    folder: Path, as_user: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    as_user("jlee")  # a supervisor
    out = tmp_path / "services.csv"
    assert run(folder, out, "--group", "Adult IOP Morning") == 0, capsys.readouterr().err
    rows = read_csv(out)
    assert rows and {r["group"] for r in rows} == {"Adult IOP Morning"}
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert digest in capsys.readouterr().out
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            event = session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "export")
                .order_by(AuditEvent.sequence.desc())
            ).first()
            assert event is not None
            assert event.detail["kind"] == "services"
            assert event.detail["sha256"] == digest
            assert (event.detail["first_day"], event.detail["last_day"]) == (
                FIRST.isoformat(),
                LAST.isoformat(),
            )
            assert event.detail["rows"] == len(rows)
    finally:
        clinic.close()


def test_the_command_does_not_overwrite_without_force(
    folder: Path, as_user: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    as_user("admin")
    out = tmp_path / "services.csv"
    out.write_text("keep me\n")
    assert run(folder, out) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text() == "keep me\n"
    assert run(folder, out, "--force") == 0, capsys.readouterr().err
    assert read_csv(out)[0]["code"] == "H0015"


@pytest.mark.parametrize("through_link", [False, True])
def test_the_command_refuses_a_file_in_the_data_folder(
    folder: Path,
    as_user: Any,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    through_link: bool,
) -> None:
    as_user("admin")
    target = folder
    if through_link:  # a folder outside that is a link to the data folder
        target = tmp_path / "looks-outside"
        target.symlink_to(folder, target_is_directory=True)
    out = target / "services.csv"
    assert run(folder, out, "--force") == 2
    assert "inside the clinic's data folder" in capsys.readouterr().err
    assert not (folder / "services.csv").exists()
    assert not list(folder.glob(".services.csv.*"))


def test_a_facilitator_cannot_export_billing(
    folder: Path, as_user: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    as_user("mreyes")
    out = tmp_path / "services.csv"
    assert run(folder, out) == 2
    assert "Only supervisors and administrators" in capsys.readouterr().err
    assert not out.exists()


def test_a_program_without_codes_says_so(
    folder: Path, as_user: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clinic = open_clinic(folder)
    try:
        set_codes(clinic)
    finally:
        clinic.close()
    as_user("admin")
    out = tmp_path / "services.csv"
    assert run(folder, out) == 2
    assert "No service codes are set for Adult IOP" in capsys.readouterr().err
    assert not out.exists()
