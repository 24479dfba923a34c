"""Whether a document shows signed notes, asked up front, agrees with the loaded document."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.documents.requests import (
    AttendanceReportRequest,
    ChartRequest,
    DocumentRequest,
    NoteRequest,
    SessionRecordRequest,
    SignInSheetRequest,
)
from facilitator.documents.service import Documents
from facilitator.services.session_sheet import NoteDraft
from facilitator.storage.models import GroupSession, ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work
from tests.users import signed_in

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def clinic(demo_clinic_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    """A copy of the demo clinic with a draft today (the demo has signed notes only)."""
    folder = tmp_path_factory.mktemp("signed-content") / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    opened = open_clinic(folder)
    block = opened.runner.sheet(opened.day_blocks(TODAY)[0].session_id).blocks[0]
    opened.runner.mark_all_present(block.block_id, opened.day_blocks(TODAY)[0].session_id)
    author = signed_in(opened.database, "mreyes")
    draft = NoteDraft(template="GIRP", fields={"goal": "Draft goal text"})
    opened.runner.save_draft(block.block_id, block.roster[0].participant_id, author.id, draft)
    yield opened
    opened.close()


def requests(clinic: Clinic) -> list[DocumentRequest]:
    """Every kind, each with and without signed notes where the demo has both."""
    with unit_of_work(clinic.database) as session:
        signed = session.scalars(
            select(ParticipantNote).where(ParticipantNote.status != "draft").limit(1)
        ).one()
        draft = session.scalars(
            select(ParticipantNote).where(ParticipantNote.status == "draft").limit(1)
        ).one()
        sessions = session.scalars(
            select(GroupSession.id).where(GroupSession.day.in_([date(2026, 11, 19), TODAY]))
        ).all()
        found: list[DocumentRequest] = [NoteRequest(signed.id), NoteRequest(draft.id)]
        for participant in (signed.participant_id, draft.participant_id):
            found += [
                ChartRequest(participant),
                ChartRequest(participant, TODAY, TODAY, include_unsigned=True),
                ChartRequest(participant, date(2026, 1, 1), date(2026, 1, 31)),
            ]
    found += [SessionRecordRequest(s) for s in sessions]
    found += [SignInSheetRequest(sessions[0]), AttendanceReportRequest(TODAY, TODAY)]
    return found


def test_the_up_front_answer_matches_the_documents_manifest(clinic: Clinic) -> None:
    documents = Documents(
        clinic.database, lambda: datetime(2026, 11, 23, 17, tzinfo=ZoneInfo("America/New_York"))
    )
    answers = []
    for request in requests(clinic):
        expected = bool(documents.load(request).signed_items())
        assert documents.shows_signed_notes(request) is expected, request
        answers.append(expected)
    assert True in answers and False in answers  # both cases were exercised
