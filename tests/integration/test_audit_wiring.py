"""What the runner, quick phrases and the participant view write to the audit log (never text)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.services.audit_log import AuditFilter, AuditRow
from facilitator.services.session_runner import EDIT_AUDIT_SECONDS, SessionRunner
from facilitator.services.session_sheet import NoteDraft
from facilitator.storage.models import Group, GroupSession, Participant
from tests.clinic_copies import clinic_copy
from tests.storage_backends import Storage
from tests.users import signed_in

DEMO_MONDAY = date(2026, 11, 23)
NOTE_TEXT = "Talked about cravings after the funeral"


@pytest.fixture(scope="module")
def clinic(
    module_storage: Storage,
    demo_clinics: Callable[[Storage], tuple[Path, dict[str, str]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Clinic]:
    """A copy of the demo clinic, on SQLCipher and on PostgreSQL."""
    folder = tmp_path_factory.mktemp("audit-wiring") / "c"
    with clinic_copy(demo_clinics(module_storage)[0], folder, module_storage) as opened:
        yield opened


def newest(clinic: Clinic, count: int) -> list[AuditRow]:
    """The last `count` entries, oldest first."""
    admin = signed_in(clinic.database, "admin")
    return list(reversed(clinic.audit_entries(admin, AuditFilter(limit=count))))


def test_runner_changes_and_drafts_are_audited_without_text(clinic: Clinic) -> None:
    user = signed_in(clinic.database, "mreyes")
    now = [1000.0]
    runner = SessionRunner(clinic.database, clinic.audit, user.id, clock_seconds=lambda: now[0])
    with clinic.database.sessions() as session:
        session_id = session.scalars(
            select(GroupSession.id)
            .join(Group)
            .where(Group.name == "Adult IOP Morning", GroupSession.day == DEMO_MONDAY)
        ).one()
    sheet = runner.sheet(session_id)
    block_id = sheet.blocks[0].block_id
    participant_id = sheet.blocks[0].roster[0].participant_id

    runner.record_attendance(block_id, participant_id, AttendanceStatus.PRESENT)
    runner.record_attendance(block_id, participant_id, AttendanceStatus.LATE)
    for text in ("Talked", "Talked about", NOTE_TEXT):  # autosaves while typing
        runner.save_draft(block_id, participant_id, user.id, NoteDraft("GIRP", {"goal": text}))
    now[0] += EDIT_AUDIT_SECONDS
    runner.save_draft(block_id, participant_id, user.id, NoteDraft("GIRP", {"goal": NOTE_TEXT}))

    entries = newest(clinic, 4)
    assert [(e.action, e.object_type, e.username) for e in entries] == [
        ("create", "attendance", "mreyes"),
        ("edit", "attendance", "mreyes"),
        ("create", "participant_note", "mreyes"),
        ("edit", "participant_note", "mreyes"),
    ]
    assert json.loads(entries[1].detail)["status"] == "late"
    assert entries[2].object_id == entries[3].object_id
    with clinic.database.sessions() as session:
        participant = session.get(Participant, participant_id)
        assert participant is not None
        names = [participant.legal_first, participant.legal_last, participant.chart_number]
    for entry in entries:
        for secret in ["cravings", *names]:
            assert secret not in entry.detail


def test_quick_phrase_changes_are_audited_as_settings_changes(clinic: Clinic) -> None:
    admin = signed_in(clinic.database, "admin")
    phrases = clinic.quick_phrases_for(admin)
    phrases.set_phrases("GIRP", "plan", ["Continue IOP as scheduled."])
    phrases.restore_shipped("GIRP", "plan")
    entries = newest(clinic, 2)
    assert [(e.action, e.username, e.object_id) for e in entries] == [
        ("settings_change", "admin", "quick_phrases"),
        ("settings_change", "admin", "quick_phrases"),
    ]
    assert json.loads(entries[0].detail) == {
        "change": "edited",
        "field": "plan",
        "phrases": 1,
        "template": "girp",
    }
    assert "Continue" not in entries[0].detail


def test_opening_a_participant_record_is_audited(clinic: Clinic) -> None:
    user = signed_in(clinic.database, "jlee")
    participant_id = clinic.roster(DEMO_MONDAY)[0].participant_id
    record = clinic.view_participant(user, participant_id, DEMO_MONDAY)
    entry = newest(clinic, 1)[0]
    assert (entry.action, entry.username, entry.object_id) == (
        "view_participant",
        "jlee",
        str(participant_id),
    )
    assert record.participant_id == participant_id
