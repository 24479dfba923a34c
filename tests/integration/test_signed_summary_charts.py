"""A signed discharge summary's charts are its data as signed: a measure corrected or marked
entered in error, or attendance changed, after signing never changes them, and the export still
verifies. A summary signed before summaries kept their charts' data (content without "charts",
as in the released 0005 fixture) loads and verifies as before, its charts drawn from the records
with a caption saying so. On a copy of the demo clinic (a real SQLCipher file)."""

from __future__ import annotations

import contextlib
import io
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.cli.main import main
from facilitator.documents.discharge_summary import DischargeSummaryDocument
from facilitator.documents.requests import DischargeSummaryRequest
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.discharge import DischargeReason, DischargeRequest, TransitionPlan
from facilitator.domain.discharge_summary import DischargeSummary
from facilitator.domain.notes import content_hash
from facilitator.domain.users import SignedInUser
from facilitator.services import discharge as discharge_service
from facilitator.services.discharge import load_discharge_summary
from facilitator.services.record_check import RecordState, check_records
from facilitator.storage.database import open_database
from facilitator.storage.models import (
    Attendance,
    Block,
    Clinician,
    Discharge,
    Enrollment,
    GroupSession,
    ParticipantNote,
)
from facilitator.storage.unit_of_work import unit_of_work
from reports import discharge_summary
from reports.export import export_document
from reports.pdf_signature import pdf_signer
from tests.integration.test_measures_and_discharge import PHQ9_MILD, TODAY
from tests.keys import TEST_KEY
from tests.users import signed_in

FIXTURE_0005 = Path(__file__).parents[1] / "fixtures" / "migrations" / "0005.db"
FROM_RECORDS = "The charts below are drawn from the records as they stood on"
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


@dataclass
class Opened:
    clinic: Clinic
    folder: Path
    passwords: dict[str, str]
    mreyes: SignedInUser


@pytest.fixture(scope="module")
def opened(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Opened]:
    folder = tmp_path_factory.mktemp("signed-charts") / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    clinic = open_clinic(folder)
    yield Opened(clinic, folder, demo_clinic[1], signed_in(clinic.database, "mreyes"))
    clinic.close()


def enrolled(clinic: Clinic, index: int) -> uuid.UUID:
    """Someone enrolled for weeks, still in the program, with measures given."""
    with unit_of_work(clinic.database) as session:
        return session.scalars(
            select(Enrollment.participant_id)
            .where(Enrollment.discharged.is_(None), Enrollment.admitted < TODAY - timedelta(21))
            .order_by(Enrollment.admitted.desc())
        ).all()[index]


def attended_block(clinic: Clinic, participant_id: uuid.UUID) -> uuid.UUID:
    """A block the participant attended in the week before the last."""
    attended = [s.value for s in AttendanceStatus if s.attended]
    with unit_of_work(clinic.database) as session:
        return session.scalars(
            select(Block.id)
            .join(Attendance, Attendance.block_id == Block.id)
            .join(GroupSession, Block.session_id == GroupSession.id)
            .where(
                Attendance.participant_id == participant_id,
                Attendance.status.in_(attended),
                GroupSession.day < TODAY - timedelta(days=7),
            )
            .order_by(GroupSession.day.desc())
            .limit(1)
        ).one()


def export(opened: Opened, discharge_id: uuid.UUID, path: Path) -> Path:
    identity = opened.clinic.signing_identity(opened.mreyes, opened.passwords["mreyes"])
    request = DischargeSummaryRequest(discharge_id)
    assert export_document(opened.clinic, opened.mreyes, request, path, pdf_signer(identity)).signed
    return path


def verify(opened: Opened, path: Path) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(opened.folder), "verify", str(path)])
    assert code == 0, out.getvalue()
    return out.getvalue()


def note_author(clinic: Clinic, block_id: uuid.UUID, participant_id: uuid.UUID) -> str:
    """The username of whoever wrote the participant's note in the block."""
    with unit_of_work(clinic.database) as session:
        return session.scalars(
            select(Clinician.username)
            .join(ParticipantNote, ParticipantNote.author_id == Clinician.id)
            .where(
                ParticipantNote.block_id == block_id,
                ParticipantNote.participant_id == participant_id,
            )
        ).one()


def pages(document: DischargeSummaryDocument) -> list[tuple[str, bytes]]:
    """Each page's text and its drawing operators (the charts' lines, points and bars)."""
    reader = PdfReader(BytesIO(discharge_summary.build(document).data))
    return [(p.extract_text() or "", p.get_contents().get_data()) for p in reader.pages]  # type: ignore[union-attr]


def words(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())


def test_corrections_after_signing_leave_the_signed_charts_as_signed(
    opened: Opened, tmp_path: Path
) -> None:
    clinic, mreyes = opened.clinic, opened.mreyes
    participant_id = enrolled(clinic, 0)
    earlier = clinic.measures.record(
        mreyes, participant_id, "PHQ-9", TODAY - timedelta(days=2), PHQ9_MILD, TODAY
    )
    last = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    block_id = attended_block(clinic, participant_id)
    row = clinic.discharges.discharge(
        mreyes, participant_id, DischargeRequest(TODAY, DischargeReason.COMPLETED, TransitionPlan())
    )
    signed = clinic.discharges.sign(mreyes, opened.passwords["mreyes"], row.discharge_id)
    assert signed.summary.charts is not None and signed.charts_as_of is None
    assert signed.trends == signed.summary.charts
    assert signed.signature is not None
    assert content_hash(signed.summary.content()) == signed.signature.content_hash
    before = clinic.discharges.document(row.discharge_id)
    assert before.trends == signed.trends  # as stored: the content round-trips
    phq9 = next(s for s in before.trends.measures if s.name == "PHQ-9")
    assert [p.day for p in phq9.points][-2:] == [earlier.taken_on, TODAY]
    first_pdf = export(opened, row.discharge_id, tmp_path / "first.pdf")

    clinic.measures.correct(
        mreyes, earlier.result_id, earlier.taken_on, {**PHQ9_MILD, "mood": 3}, "Misread", TODAY
    )
    clinic.measures.mark_entered_in_error(mreyes, last.result_id, "Recorded for someone else")
    author = note_author(clinic, block_id, participant_id)  # the note is signed: a correction
    clinic.attendance_correction.correct_attendance(
        signed_in(clinic.database, author),
        opened.passwords[author],
        block_id,
        participant_id,
        AttendanceStatus.ABSENT_UNEXCUSED,
        None,
        None,
        "Misread",
    )
    live = clinic.trends(participant_id, TODAY).clip(before.trends.first, before.trends.last)
    assert live.measures != before.trends.measures and live.weeks != before.trends.weeks

    after = clinic.discharges.document(row.discharge_id)
    assert after.trends == before.trends and after.summary == before.summary
    assert after.charts_as_of is None
    assert pages(replace(after, provenance=before.provenance)) == pages(before)
    second_pdf = export(opened, row.discharge_id, tmp_path / "second.pdf")
    printed = words(second_pdf)
    assert f"PHQ-9 ({len(phq9.points)})" in printed  # the legend counts the points as signed
    assert FROM_RECORDS not in printed
    for path in (first_pdf, second_pdf):
        out = verify(opened, path)
        assert f"discharge_summary {row.discharge_id}: matches the signed record." in out
        assert "Result: VALID" in out


def test_a_draft_summary_draws_its_charts_from_the_records_as_they_stand(
    opened: Opened,
) -> None:
    clinic, mreyes = opened.clinic, opened.mreyes
    participant_id = enrolled(clinic, 1)
    last = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    row = clinic.discharges.discharge(
        mreyes, participant_id, DischargeRequest(TODAY, DischargeReason.COMPLETED, TransitionPlan())
    )

    def plotted() -> list[object]:
        document = clinic.discharges.document(row.discharge_id)
        assert document.charts_as_of is None and document.trends == document.summary.charts
        return [p.day for s in document.trends.measures if s.name == "PHQ-9" for p in s.points]

    assert TODAY in plotted()
    clinic.measures.mark_entered_in_error(mreyes, last.result_id, "Recorded for someone else")
    assert TODAY not in plotted()


def test_a_summary_signed_without_its_charts_verifies_and_says_where_its_charts_come_from(
    opened: Opened, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Signed as the released code did: the content has no "charts"."""
    clinic, mreyes = opened.clinic, opened.mreyes
    participant_id = enrolled(clinic, 2)
    build = discharge_service.build_summary
    monkeypatch.setattr(
        discharge_service, "build_summary", lambda s, r: replace(build(s, r), charts=None)
    )
    row = clinic.discharges.discharge(
        mreyes, participant_id, DischargeRequest(TODAY, DischargeReason.COMPLETED, TransitionPlan())
    )
    clinic.discharges.sign(mreyes, opened.passwords["mreyes"], row.discharge_id)
    monkeypatch.undo()

    with unit_of_work(clinic.database) as session:
        stored = session.get(Discharge, row.discharge_id)
        assert stored is not None and stored.content is not None
        assert "charts" not in stored.content
        assert content_hash(stored.content) == stored.content_hash
    document = clinic.discharges.document(row.discharge_id)
    assert document.summary.charts is None and document.charts_as_of is not None
    assert document.trends.measures  # drawn from the records
    path = export(opened, row.discharge_id, tmp_path / "old.pdf")
    printed = words(path)
    assert f"{FROM_RECORDS} {document.charts_as_of:%Y-%m-%d}, not as signed" in printed
    assert "The scores in the table above are as signed." in printed
    assert "Result: VALID" in verify(opened, path)


def test_summaries_signed_by_the_released_code_load_and_verify_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    shutil.copyfile(FIXTURE_0005, path)
    database = open_database(path, TEST_KEY)  # upgraded to the current schema
    try:
        with unit_of_work(database) as session:
            rows = session.scalars(select(Discharge).where(Discharge.status == "signed")).all()
            assert rows
            for row in rows:
                assert row.content is not None and "charts" not in row.content
                summary = DischargeSummary.from_content(row.content)
                assert summary.charts is None
                assert summary.content() == row.content
                assert content_hash(summary.content()) == row.content_hash
                document = load_discharge_summary(session, row.id, NOW)
                assert document.summary == summary
                assert document.charts_as_of == NOW.date()
                assert document.signed_items()[0].content_hash == row.content_hash
                printed = " ".join(text for text, _ in pages(document))
                assert FROM_RECORDS in " ".join(printed.split())
            claimed = [(str(r.id), r.content_hash or "") for r in rows]
            assert {c.state for c in check_records(session, claimed)} == {RecordState.MATCHES}
    finally:
        database.close()
