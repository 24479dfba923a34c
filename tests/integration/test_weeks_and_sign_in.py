"""The attendance report flags weeks at 0:00 and marks partial weeks; the sign-in sheet names
people in the clinic's chosen style and carries the staff attestation. PDFs parsed back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from facilitator import content
from facilitator.app import Clinic
from facilitator.documents.attendance_report import AttendanceReportDocument
from facilitator.documents.requests import AttendanceReportRequest, SignInSheetRequest
from facilitator.domain.errors import DomainError
from facilitator.domain.people import NameStyle
from facilitator.storage.models import AuditEvent, Enrollment, Participant
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document
from tests.clinic_copies import clinic_copy
from tests.integration.test_documents import pdf_text, table_lines
from tests.users import signed_in

TODAY = date(2026, 11, 23)
FIRST, LAST = date(2026, 10, 26), date(2026, 11, 22)  # four whole weeks of demo history
NOTICE = " ".join(content.part2_notice().split())


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with clinic_copy(demo_clinic_folder, tmp_path / "clinic") as opened:
        yield opened


def admitted_earlier(clinic: Clinic, days: int) -> tuple[str, date]:
    """Move back the admission of someone admitted after the first two weeks (chart number,
    new admission day): the weeks before their first session are enrolled weeks at 0:00."""
    with unit_of_work(clinic.database) as session:
        enrollment = session.scalars(
            select(Enrollment)
            .where(Enrollment.admitted > FIRST + timedelta(days=9))
            .order_by(Enrollment.admitted)
        ).first()
        assert enrollment is not None
        enrollment.admitted -= timedelta(days=days)
        return enrollment.participant.chart_number, enrollment.admitted


def report(clinic: Clinic, first: date, last: date, out: Path) -> AttendanceReportDocument:
    export_document(
        clinic, signed_in(clinic.database, "jlee"), AttendanceReportRequest(first, last), out
    )
    document = clinic.load_document(AttendanceReportRequest(first, last))
    assert isinstance(document, AttendanceReportDocument)
    return document


def test_a_week_at_zero_inside_an_enrollment_is_flagged(clinic: Clinic, tmp_path: Path) -> None:
    chart, admitted = admitted_earlier(clinic, 16)
    out = tmp_path / "attendance.pdf"
    document = report(clinic, FIRST, LAST, out)
    (row,) = [r for r in document.rows if r.chart_number == chart]
    zero = [w for w in row.weeks if w is not None and w.no_attendance]
    assert len(zero) >= 2 and all(w.minutes == 0 for w in zero)
    assert all(w.monday + timedelta(days=6) >= admitted for w in zero)  # none before admission
    (line,) = [line for line in table_lines(out) if f"{row.name} {chart}" in line and ":" in line]
    assert line.count("0:00 ✗") == len(zero)
    assert line.rstrip().endswith(f" {len(zero)}")  # the "Weeks at 0:00" column
    others = [w for r in document.rows if r.chart_number != chart for w in r.weeks if w]
    assert all(w.no_attendance == (w.minutes == 0) for w in others)


def test_partial_weeks_are_marked_whatever_cuts_them(clinic: Clinic, tmp_path: Path) -> None:
    first = FIRST + timedelta(days=2)  # a Wednesday: the period cuts the first week
    out = tmp_path / "attendance.pdf"
    document = report(clinic, first, LAST, out)
    lines = table_lines(out)
    cut = mid_week = 0
    for row in document.rows:
        # the weeks table comes first (five weeks: one table), the days under 3 h after it
        line = next(line for line in lines if line.startswith(f"{row.name} {row.chart_number} "))
        cells = re.findall(r"(\d+:\d\d(?: [✗▼])?(?: \(p\))?|·)", line)
        assert len(cells) >= len(row.weeks)
        for week, cell in zip(row.weeks, cells, strict=False):
            if week is None:
                assert cell == "·"
                continue
            assert cell.endswith("(p)") == week.partial, (row.name, week.monday, cell)
            cut += week.monday < first
            mid_week += week.partial and week.monday >= first
    assert cut and mid_week  # weeks cut by the period, and by an admission or a discharge


def test_the_sign_in_sheet_in_preferred_initial_style(clinic: Clinic, tmp_path: Path) -> None:
    admin = signed_in(clinic.database, "admin")
    assert clinic.sign_in_settings.name_style() is NameStyle.LEGAL
    clinic.sign_in_settings.set_name_style(admin, NameStyle.PREFERRED_INITIAL)
    session_id = clinic.documents.session_id("Adult IOP Morning", TODAY)
    expected = {e.participant_id for e in clinic.runner.sheet(session_id).blocks[0].roster}
    out = tmp_path / "sign-in.pdf"
    export_document(clinic, admin, SignInSheetRequest(session_id), out)
    text, _pages = pdf_text(out)
    flat = " ".join(text.split())
    with unit_of_work(clinic.database) as session:
        people = session.scalars(select(Participant).where(Participant.id.in_(expected))).all()
        for person in people:
            first = person.preferred_name or person.legal_first
            assert re.search(rf"\b{first} {person.legal_last[0]}\.", flat), first
            assert f"{person.legal_first} {person.legal_last}" not in flat
            assert f"{first} {person.legal_last}" not in flat
        assert any(p.preferred_name for p in people)  # "Alex R." from a preferred "Alex"
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.object_id == "sign_in_sheet")
        ).one()
        assert event.detail == {"before": "legal", "after": "preferred_initial"}
    assert "I attest that the participants above attended as recorded." in flat
    for line in ("Staff signature", "Printed name and credentials", "Date and time"):
        assert line in flat


def test_the_sign_in_sheet_in_legal_style_gives_the_preferred_name_beside(
    clinic: Clinic, tmp_path: Path
) -> None:
    session_id = clinic.documents.session_id("Adult IOP Morning", TODAY)
    out = tmp_path / "sign-in.pdf"
    export_document(
        clinic, signed_in(clinic.database, "admin"), SignInSheetRequest(session_id), out
    )
    flat = " ".join(pdf_text(out)[0].split())
    expected = {e.participant_id for e in clinic.runner.sheet(session_id).blocks[0].roster}
    with unit_of_work(clinic.database) as session:
        for person in session.scalars(select(Participant).where(Participant.id.in_(expected))):
            legal = f"{person.legal_first} {person.legal_last}"
            preferred = person.preferred_name
            shown = (
                f"{legal} ({preferred})" if preferred and preferred != person.legal_first else legal
            )
            assert shown in flat


def test_only_an_administrator_chooses_the_name_style(clinic: Clinic) -> None:
    settings = clinic.sign_in_settings
    with pytest.raises(DomainError, match="Only an administrator"):
        settings.set_name_style(signed_in(clinic.database, "jlee"), NameStyle.PREFERRED_INITIAL)
    with pytest.raises(DomainError, match='"initials" is not a name style'):
        settings.set_name_style(signed_in(clinic.database, "admin"), "initials")
    assert settings.name_style() is NameStyle.LEGAL


class NoticeRuns:
    """Reads a page with pypdf's visitors: (font size, fill colour) of each notice text run."""

    def __init__(self) -> None:
        self.fill: tuple[float, ...] = ()
        self.runs: list[tuple[float, tuple[float, ...]]] = []

    def before(self, operator: bytes, args: list[Any], _cm: Any, _tm: Any) -> None:
        if operator in (b"rg", b"g", b"k"):
            self.fill = tuple(float(a) for a in args)

    def text(self, text: str, _cm: Any, tm: list[float], _font: Any, size: float) -> None:
        if len(text.strip()) > 20 and " ".join(text.split()) in NOTICE:  # not a stray "the"
            self.runs.append((size * tm[3], self.fill))


def notice_runs(path: Path) -> list[list[tuple[float, tuple[float, ...]]]]:
    """Per page, the runs of the Part 2 notice's text."""
    pages = []
    for page in PdfReader(path).pages:
        reader = NoticeRuns()
        page.extract_text(visitor_operand_before=reader.before, visitor_text=reader.text)
        pages.append(reader.runs)
    return pages


def test_the_part2_notice_is_8_pt_black_on_every_page(clinic: Clinic, tmp_path: Path) -> None:
    out = tmp_path / "attendance.pdf"
    report(clinic, FIRST - timedelta(weeks=8), LAST, out)
    session_id = clinic.documents.session_id("Adult IOP Morning", TODAY)
    sheet = tmp_path / "sign-in.pdf"
    export_document(
        clinic, signed_in(clinic.database, "admin"), SignInSheetRequest(session_id), sheet
    )
    for path in (out, sheet):
        pages = notice_runs(path)
        assert len(pages) >= 1 and all(pages), path.name  # on every page
        runs = [run for page in pages for run in page]
        assert min(size for size, _fill in runs) >= 8
        assert {fill for _size, fill in runs} == {(0.0, 0.0, 0.0)}
