"""A right-to-left override in an imported name never reverses the chart number beside it: the
roster import drops direction codes, and every document isolates each user-supplied field."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.documents.requests import ChartRequest
from facilitator.domain.users import Role, SignedInUser
from facilitator.storage.models import Participant
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document
from tests.roster_clinic import make_roster_clinic

HEADER = "chart_number,first_name,last_name,date_of_birth\n"
CHART = "RTL-042"


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Clinic, SignedInUser]:
    admin = make_roster_clinic(tmp_path / "clinic")
    opened = open_clinic(tmp_path / "clinic")
    return opened, SignedInUser(admin, "rosteradmin", "R. Admin", "", Role.ADMINISTRATOR, False)


def import_override_name(clinic: Clinic, user: SignedInUser) -> Participant:
    data = f"{HEADER}{CHART},Ana\u202e,Lopez\u202e,1990-01-02\n".encode()
    preview = clinic.roster_import.preview(data, "roster.csv")
    assert preview.error_count == 0
    clinic.roster_import.apply(preview, user.id)
    with unit_of_work(clinic.database) as session:
        return session.scalars(select(Participant).where(Participant.chart_number == CHART)).one()


def header_line(clinic: Clinic, user: SignedInUser, participant: Participant, out: Path) -> str:
    request = ChartRequest(participant.id, date(2026, 1, 1), date(2026, 11, 30))
    export_document(clinic, user, request, out)
    page = PdfReader(out).pages[0].extract_text()
    return next(line for line in page.splitlines() if "Participant chart ·" in line)


def test_an_imported_override_is_dropped_and_the_header_keeps_its_order(
    clinic: tuple[Clinic, SignedInUser], tmp_path: Path
) -> None:
    opened, user = clinic
    try:
        participant = import_override_name(opened, user)
        assert (participant.legal_first, participant.legal_last) == ("Ana", "Lopez")
        line = header_line(opened, user, participant, tmp_path / "chart.pdf")
    finally:
        opened.close()
    assert "\u202e" not in line
    assert line.endswith(f"Ana Lopez · Chart {CHART}")


def test_a_stored_override_beside_hebrew_is_shown_and_cannot_reverse_the_chart_number(
    clinic: tuple[Clinic, SignedInUser], tmp_path: Path
) -> None:
    opened, user = clinic
    try:
        participant = import_override_name(opened, user)
        with unit_of_work(opened.database) as session:  # from before the import dropped codes
            row = session.get_one(Participant, participant.id)
            row.legal_first, row.legal_last = "כהן\u202e", "Lopez"
        line = header_line(opened, user, participant, tmp_path / "chart.pdf")
    finally:
        opened.close()
    assert "\u202e" not in line and "U+202E" in line  # shown, in the name's own direction
    assert CHART in line and CHART[::-1] not in line
