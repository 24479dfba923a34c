"""`facilitator export ...` through main(): a clinician signs in, the PDF is written and signed."""

from __future__ import annotations

import io
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader
from sqlalchemy import select

from facilitator.app import open_clinic
from facilitator.cli.main import main
from facilitator.storage.models import Discharge, Enrollment, GroupSession, Participant
from facilitator.storage.unit_of_work import unit_of_work
from reports.manifest import read_manifest


@pytest.fixture(scope="module")
def folder(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    copy = tmp_path_factory.mktemp("cli-export") / "clinic"
    shutil.copytree(demo_clinic[0], copy)
    return copy


@pytest.fixture
def signed_in(
    demo_clinic: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("FACILITATOR_USER", "mreyes")
    monkeypatch.setenv("FACILITATOR_PASSWORD", demo_clinic[1]["mreyes"])
    yield


@pytest.fixture(scope="module")
def chart_number(folder: Path) -> str:
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            return session.scalars(select(Participant.chart_number)).first() or ""
    finally:
        clinic.close()


def run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), "export", *args])


def test_a_chart_is_exported_and_signed(
    folder: Path,
    chart_number: str,
    signed_in: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "chart.pdf"
    code = run(
        folder, "chart", "--participant", chart_number, "--to", "2026-11-22", "--out", str(out)
    )
    assert code == 0, capsys.readouterr().err
    message = capsys.readouterr().out
    assert f"to {out}" in message and "signed with your key" in message
    data = out.read_bytes()
    assert read_manifest(data).kind == "participant_chart"
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 1


def test_a_sign_in_sheet_has_no_signed_notes_and_is_not_signed(
    folder: Path, signed_in: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sign-in.pdf"
    code = run(
        folder, "sign-in", "--group", "Adult IOP Morning", "--date", "2026-11-23", "--out", str(out)
    )
    assert code == 0, capsys.readouterr().err
    assert "signed with your key" not in capsys.readouterr().out
    assert PdfFileReader(io.BytesIO(out.read_bytes())).embedded_signatures == []


def test_a_sign_in_sheet_printed_before_the_group_meets_makes_the_session(
    folder: Path, signed_in: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "tuesday.pdf"
    args = ["--group", "Adult IOP Morning", "--date", "2026-12-15", "--out", str(out)]
    assert run(folder, "sign-in", *args) == 0, capsys.readouterr().err
    text = " ".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Tuesday 15 December 2026" in text and "09:00" in text
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            made = session.scalars(
                select(GroupSession).where(GroupSession.day == date(2026, 12, 15))
            ).all()
            assert [(len(s.blocks), s.group.name) for s in made] == [(3, "Adult IOP Morning")]
    finally:
        clinic.close()
    assert run(folder, "sign-in", *args, "--force") == 0  # printed again: the same session


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["chart", "--participant", "NOPE-404"], 'no participant with the chart number "NOPE-404"'),
        (
            ["session", "--group", "Adult IOP Morning", "--date", "2026-11-21"],
            "has no session on 2026-11-21",
        ),
        (["session", "--group", "Nope", "--date", "2026-11-23"], 'There is no group "Nope"'),
        (
            ["attendance", "--from", "2026-11-20", "--to", "2026-11-01"],
            "before --from 2026-11-20",
        ),
    ],
)
def test_bad_requests_exit_2_with_a_clear_message(
    folder: Path,
    signed_in: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "x.pdf"
    assert run(folder, *args, "--out", str(out)) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_an_unwritable_out_exits_2(
    folder: Path, signed_in: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "missing" / "report.pdf"
    args = ["attendance", "--from", "2026-11-01", "--to", "2026-11-22", "--out", str(out)]
    assert run(folder, *args) == 2
    assert f"The folder {out.parent} does not exist" in capsys.readouterr().err


def test_a_wrong_password_exports_nothing(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FACILITATOR_USER", "mreyes")
    monkeypatch.setenv("FACILITATOR_PASSWORD", "not-the-password")
    out = tmp_path / "s.pdf"
    code = run(
        folder, "session", "--group", "Adult IOP Morning", "--date", "2026-11-19", "--out", str(out)
    )
    assert code == 2
    assert not out.exists()


def discharged(folder: Path, status: str) -> tuple[str, uuid.UUID, date]:
    """The chart number, discharge id and day of the demo's discharge with `status`."""
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            row = session.execute(
                select(Participant.chart_number, Discharge.id, Enrollment.discharged)
                .join(Enrollment, Enrollment.participant_id == Participant.id)
                .join(Discharge, Discharge.enrollment_id == Enrollment.id)
                .where(Discharge.status == status)
            ).first()
            assert row is not None and row.discharged is not None
            return row.chart_number, row.id, row.discharged
    finally:
        clinic.close()


def test_a_signed_discharge_summary_is_exported_and_signed(
    folder: Path, signed_in: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart, discharge_id, day = discharged(folder, "signed")
    out = tmp_path / "summary.pdf"
    code = run(
        folder, "discharge", "--participant", chart, "--discharged", f"{day}", "--out", str(out)
    )
    assert code == 0, capsys.readouterr().err
    message = capsys.readouterr().out
    assert "Exported discharge summary" in message and "signed with your key" in message
    data = out.read_bytes()
    manifest = read_manifest(data)
    assert manifest.kind == "discharge_summary"
    assert [s.item_id for s in manifest.signed] == [discharge_id]
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 1
    assert main(["--data-dir", str(folder), "verify", str(out)]) == 0


def test_a_draft_discharge_summary_is_exported_unsigned(
    folder: Path, signed_in: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chart, _, _ = discharged(folder, "draft")
    out = tmp_path / "draft.pdf"
    assert run(folder, "discharge", "--participant", chart, "--out", str(out)) == 0
    assert "signed with your key" not in capsys.readouterr().out
    data = out.read_bytes()
    assert read_manifest(data).signed == ()
    assert PdfFileReader(io.BytesIO(data)).embedded_signatures == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--discharged", "2026-01-05"], "was not discharged on 2026-01-05; discharged on "),
        ([], "has not been discharged"),
    ],
)
def test_a_discharge_that_is_not_there_exits_2(
    folder: Path,
    signed_in: None,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    chart = discharged(folder, "signed")[0] if args else never_discharged(folder)
    out = tmp_path / "x.pdf"
    assert run(folder, "discharge", "--participant", chart, *args, "--out", str(out)) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def never_discharged(folder: Path) -> str:
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            ever = select(Enrollment.participant_id).join(
                Discharge, Discharge.enrollment_id == Enrollment.id
            )
            return (
                session.scalars(
                    select(Participant.chart_number).where(Participant.id.not_in(ever))
                ).first()
                or ""
            )
    finally:
        clinic.close()
