"""The signed record is whole: a signature covers the service its documents show, nothing of
it changes in place (core and triggers), a correction adds signed addenda, verify reports it.
Real SQLCipher copies of the demo clinic, real PDFs."""

from __future__ import annotations

import contextlib
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from facilitator.app import Clinic, open_clinic
from facilitator.cli.main import main
from facilitator.documents.requests import ChartRequest, NoteRequest
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import content_hash
from facilitator.domain.users import SignedInUser
from facilitator.services.block_correction import BlockChange
from facilitator.services.notes_content import canonical_note_content
from facilitator.services.session_runner import SessionRunner
from facilitator.services.session_sheet import NoteDraft
from facilitator.services.signing import Signing
from facilitator.storage.models import (
    Addendum,
    AuditEvent,
    Block,
    BlockCorrection,
    BlockFacilitator,
    Clinician,
    Participant,
    ParticipantNote,
    Program,
    Setting,
)
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document, render
from reports.pdf_signature import pdf_signer, sign_pdf
from tests.clinic_copies import clinic_copy
from tests.integration.runner.session_run import DEMO_MONDAY, GIRP_COMPLETE, MORNING, Run
from tests.users import signed_in

ZONE = "America/Chicago"
CODES = [
    {"code": "H0015", "description": "IOP", "per": "block", "modalities": [],
     "modifiers": ["HQ"], "telehealth_modifiers": ["95"], "minimum_minutes": None},
]  # fmt: skip


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with clinic_copy(demo_clinic_folder, tmp_path / "clinic") as opened:
        with unit_of_work(opened.database) as session:
            session.merge(  # over the demo's own profile
                Setting(
                    key="clinic_profile",
                    value={"name": "Harbor Recovery", "npi": "1234567893", "time_zone": ZONE},
                )
            )
            for program in session.scalars(select(Program)):
                program.service_codes = CODES
            for clinician in session.scalars(select(Clinician)):
                clinician.npi, clinician.license_number = "1093817465", "LPC-4471"
        yield opened


@pytest.fixture
def passwords(demo_clinic: tuple[Path, dict[str, str]]) -> dict[str, str]:
    return demo_clinic[1]


def lead_of(clinic: Clinic, block_id: uuid.UUID) -> SignedInUser:
    with unit_of_work(clinic.database) as session:
        facilitator = session.scalars(
            select(BlockFacilitator).where(BlockFacilitator.block_id == block_id)
        ).first()
        assert facilitator is not None
        return signed_in(clinic.database, facilitator.clinician.username)


def signing_at(clinic: Clinic, at: datetime) -> Signing:
    """Signing whose clock says `at`, in the clinic profile's zone."""
    return Signing(clinic.database, clinic.accounts, clinic.audit, now=lambda: at)


def signed_today(
    clinic: Clinic, passwords: dict[str, str], hours_after_end: float, video: bool = False
) -> tuple[Run, uuid.UUID, SignedInUser]:
    """Two members present in today's first block, the first one's note signed
    `hours_after_end` after the block's planned end."""
    run = Run.of(clinic, MORNING, DEMO_MONDAY)
    block_id, member = run.block_id(1), run.member(0)
    run.runner.record_attendance(block_id, member, AttendanceStatus.PRESENT)
    run.runner.record_attendance(block_id, run.member(1), AttendanceStatus.PRESENT)
    run.runner.set_topic(block_id, None, "Coping with cravings at work")
    run.runner.save_group_note(block_id, ["Role play"], "", "Group practised refusal skills.")
    if video:
        with unit_of_work(clinic.database) as session:
            session.execute(
                text(
                    "UPDATE attendance SET mode = 'video'"
                    " WHERE block_id = :b AND participant_id = :p"
                ),
                {"b": block_id.hex, "p": member.hex},
            )
    lead = lead_of(clinic, block_id)
    note_id = run.runner.save_draft(block_id, member, lead.id, NoteDraft("GIRP", GIRP_COMPLETE))
    end = datetime.combine(DEMO_MONDAY, run.start.blocks[0].planned.end, tzinfo=ZoneInfo(ZONE))
    at = (end + timedelta(hours=hours_after_end)).astimezone(UTC)
    signing_at(clinic, at).sign(lead, passwords[lead.username], [note_id])
    return run, note_id, lead


def note_row(clinic: Clinic, note_id: uuid.UUID) -> ParticipantNote:
    with unit_of_work(clinic.database) as session:
        note = session.get_one(ParticipantNote, note_id)
        session.expunge(note)
        return note


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


# What a signature covers --------------------------------------------------------------------


def test_the_signature_covers_the_service_as_the_documents_show_it(
    clinic: Clinic, passwords: dict[str, str], tmp_path: Path
) -> None:
    run, note_id, lead = signed_today(clinic, passwords, hours_after_end=1, video=True)
    note = note_row(clinic, note_id)
    context = note.signed_context
    assert context is not None and note.content_version == 2
    assert context["present_total"] == 2 and context["mode"] == "Video"
    assert context["topic"] == "Coping with cravings at work"
    assert context["group_note"] == "Group practised refusal skills."
    assert context["services"][0]["modifiers"] == ["HQ", "95"]  # telehealth modifier
    assert (context["clinic_name"], context["clinic_npi"]) == ("Harbor Recovery", "1234567893")
    assert context["signer"]["printed_name"] == lead.display_name
    assert context["late_entry"] == ""
    assert content_hash(canonical_note_content(note)) == note.content_hash
    with unit_of_work(clinic.database) as session:
        signature = session.get_one(ParticipantNote, note_id).signatures[0]
        assert signature.time_zone == ZONE  # the clinic's zone, not the computer's
    path = export_document(clinic, lead, NoteRequest(note_id), tmp_path / "note.pdf").path
    flat = " ".join(pdf_text(path).split())
    for shown in (
        "Present: 2 in total",
        "H0015-HQ-95, 1 unit",
        "Harbor Recovery · NPI 1234567893",
        "Video",
        "Coping with cravings at work",
        "NPI / license: NPI 1093817465 · License LPC-4471",
        f"Signed: {DEMO_MONDAY:%Y-%m-%d}",
    ):
        assert shown in flat, shown
    assert "America/Chicago · Meaning: " in flat  # time and meaning on one line
    record = clinic.signing.note_record(note_id)
    assert record.signatures[0].identifiers == "NPI 1093817465 · License LPC-4471"
    # the service changes only by a correction: the document keeps showing it as signed
    clinic.block_correction.correct_block(
        lead,
        passwords[lead.username],
        run.block_id(1),
        BlockChange(free_topic="Relapse warning signs"),
        "Wrong topic picked",
    )
    again = export_document(clinic, lead, NoteRequest(note_id), tmp_path / "again.pdf").path
    flat = " ".join(pdf_text(again).split())
    assert "Topic: Coping with cravings at work" in flat
    assert "Topic was Coping with cravings at work; now Relapse warning signs" in flat


def test_a_note_signed_after_the_programs_limit_is_a_late_entry(
    clinic: Clinic, passwords: dict[str, str]
) -> None:
    _, note_id, _ = signed_today(clinic, passwords, hours_after_end=30)
    late = note_row(clinic, note_id).signed_context
    assert late is not None
    assert late["late_entry"].startswith("Late entry — signed 2026-11-24 ")
    assert late["late_entry"].endswith(f"service {DEMO_MONDAY:%Y-%m-%d}")
    record = clinic.signing.note_record(note_id)  # the review screen's view
    assert record.context.late_entry == late["late_entry"]
    lead = lead_of(clinic, record.context.block_id)
    rows = {r.note_id: r for r in clinic.signing.review(lead, DEMO_MONDAY)}
    assert rows[note_id].late_entry == late["late_entry"]
    assert any(  # today's other notes, not signed yet, would be late if signed now
        r.late_entry == f"Late entry if signed now (service {DEMO_MONDAY:%Y-%m-%d})"
        for r in rows.values()
        if r.note_id != note_id
    )


def test_the_limit_is_the_programs(clinic: Clinic, passwords: dict[str, str]) -> None:
    with unit_of_work(clinic.database) as session:
        for program in session.scalars(select(Program)):
            program.late_entry_hours = 48
    _, note_id, _ = signed_today(clinic, passwords, hours_after_end=30)
    context = note_row(clinic, note_id).signed_context
    assert context is not None and context["late_entry"] == ""


# Nothing of it changes in place ---------------------------------------------------------------


def last_week(clinic: Clinic) -> tuple[Run, uuid.UUID, uuid.UUID]:
    """Last week's first block, and a participant whose note in it is signed."""
    run = Run.of(clinic, MORNING, DEMO_MONDAY - timedelta(weeks=1))
    entry = next(e for e in run.block(1).roster if e.note is not None and e.note.status.locked)
    return run, run.block_id(1), entry.participant_id


def test_the_runner_refuses_every_change_to_a_signed_block(clinic: Clinic) -> None:
    run, block_id, participant = last_week(clinic)
    before = run.block(1)
    for change in (
        lambda: run.runner.start_block(block_id, time(9, 5)),
        lambda: run.runner.end_block(block_id, time(21, 19)),
        lambda: run.runner.set_topic(block_id, None, "Another topic"),
        lambda: run.runner.save_group_note(block_id, ["Role play"], "", "Rewritten"),
    ):
        with pytest.raises(DomainError, match=r"Block > Correct block… \(Ctrl\+Shift\+B\)"):
            change()
    with pytest.raises(DomainError, match="Correct attendance"):
        run.runner.record_attendance(block_id, participant, AttendanceStatus.ABSENT_EXCUSED)
    after = run.block(1)
    assert (after.span, after.topic, after.group_note) == (
        before.span,
        before.topic,
        before.group_note,
    )


BLOCK_CHANGES = {
    "actual_start": "'08:00:00.000000'",
    "actual_end": "'23:59:00.000000'",
    "planned_start": "'08:00:00.000000'",
    "planned_end": "'23:59:00.000000'",
    "topic_id": "NULL",
    "free_topic": "'Another topic'",
    "interventions": "'[]'",
    "other_interventions": "'Something else'",
    "group_note": "'Rewritten'",
    "room": "'Room 9'",
    "modality_id": "(SELECT id FROM modality ORDER BY code DESC LIMIT 1)",
    "session_id": "(SELECT id FROM group_session ORDER BY day LIMIT 1)",
}
ATTENDANCE_CHANGES = {
    "status": "'absent_excused'",
    "mode": "'telephone'",
    "arrived": "'09:30:00.000000'",
    "left": "'09:31:00.000000'",
    "absence_reason": "'Sick'",
    "added_reason": "'Drop-in'",
    "removed_reason": "'Left'",
}


@pytest.mark.parametrize("column", sorted(BLOCK_CHANGES))
def test_the_database_refuses_a_direct_change_to_a_signed_block(
    clinic: Clinic, column: str
) -> None:
    _, block_id, _ = last_week(clinic)
    with (
        pytest.raises(IntegrityError, match="block of a signed note is locked"),
        unit_of_work(clinic.database) as session,
    ):
        session.execute(
            text(f'UPDATE block SET "{column}" = {BLOCK_CHANGES[column]} WHERE id = :id'),
            {"id": block_id.hex},
        )


@pytest.mark.parametrize("column", sorted(ATTENDANCE_CHANGES))
def test_the_database_refuses_a_direct_change_to_signed_attendance(
    clinic: Clinic, column: str
) -> None:
    _, block_id, participant = last_week(clinic)
    with (
        pytest.raises(IntegrityError, match="attendance behind a signed note is locked"),
        unit_of_work(clinic.database) as session,
    ):
        session.execute(
            text(
                f'UPDATE attendance SET "{column}" = {ATTENDANCE_CHANGES[column]}'
                " WHERE block_id = :b AND participant_id = :p"
            ),
            {"b": block_id.hex, "p": participant.hex},
        )


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("DELETE FROM attendance WHERE block_id = :b AND participant_id = :p", "cannot be deleted"),
        ("DELETE FROM block WHERE id = :b", "cannot be deleted"),
        ("DELETE FROM block_facilitator WHERE block_id = :b", "facilitators"),
        (
            "INSERT INTO block_facilitator (block_id, clinician_id, role)"
            " SELECT :b, id, 'co-facilitator' FROM clinician"
            " WHERE id NOT IN (SELECT clinician_id FROM block_facilitator WHERE block_id = :b)"
            " LIMIT 1",
            "facilitators",
        ),
        ("UPDATE block_correction SET reason = 'x'", "never changed"),
    ],
)
def test_the_database_refuses_deletions_and_facilitator_changes(
    clinic: Clinic, statement: str, message: str
) -> None:
    _, block_id, participant = last_week(clinic)
    with unit_of_work(clinic.database) as session:  # one correction row to try changing
        block = session.get_one(Block, block_id)
        session.add(
            BlockCorrection(
                block_id=block.id, session_id=block.session_id, modality_id=block.modality_id,
                topic_id=block.topic_id, planned_start=block.planned_start,
                planned_end=block.planned_end, actual_start=block.actual_start,
                actual_end=block.actual_end, interventions=block.interventions,
                group_note=block.group_note, fields=[], reason="test",
                clinician_id=block.facilitators[0].clinician_id,
            )
        )  # fmt: skip
    with pytest.raises(IntegrityError, match=message), unit_of_work(clinic.database) as session:
        session.execute(text(statement), {"b": block_id.hex, "p": participant.hex})


# A correction ------------------------------------------------------------------------------


def test_a_correction_changes_the_block_and_signs_an_addendum_on_every_note(
    clinic: Clinic, passwords: dict[str, str]
) -> None:
    run, block_id, _ = last_week(clinic)
    lead = lead_of(clinic, block_id)
    with unit_of_work(clinic.database) as session:
        locked = {
            n.id: (n.content_hash, n.signed_context)
            for n in session.scalars(
                select(ParticipantNote).where(
                    ParticipantNote.block_id == block_id, ParticipantNote.status != "draft"
                )
            )
        }
    start = run.start.blocks[0].planned.start
    new_end = time(start.hour, 45)
    with pytest.raises(DomainError, match="password"):
        clinic.block_correction.correct_block(
            lead, "wrong", block_id, BlockChange(actual_end=new_end), "Ended early"
        )
    with pytest.raises(DomainError, match="Say why"):
        clinic.block_correction.correct_block(
            lead, passwords[lead.username], block_id, BlockChange(actual_end=new_end), " "
        )
    assert run.block(1).span == run.start.blocks[0].span  # nothing changed
    ids = clinic.block_correction.correct_block(
        lead,
        passwords[lead.username],
        block_id,
        BlockChange(actual_end=new_end, group_note="Group ended early: fire drill."),
        "Fire drill",
    )
    assert len(ids) == len(locked) > 1
    assert run.block(1).actual_end == new_end
    with unit_of_work(clinic.database) as session:
        addenda = session.scalars(select(Addendum).where(Addendum.id.in_(ids))).all()
        assert {a.note_id for a in addenda} == set(locked)
        for addendum in addenda:
            assert addendum.signed_at is not None and addendum.content_hash
            assert f"now {start:%H:%M}–{new_end:%H:%M} (actual)" in addendum.text
            assert "Group note was" in addendum.text and "Reason: Fire drill" in addendum.text
        for note in session.scalars(select(ParticipantNote).where(ParticipantNote.id.in_(locked))):
            assert (note.content_hash, note.signed_context) == locked[note.id]  # as signed
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "edit", AuditEvent.object_id == str(block_id))
            .order_by(AuditEvent.sequence.desc())
            .limit(1)
        ).one()
    assert event.detail["actual_end_now"] == f"{new_end:%H:%M}"
    assert event.detail["actual_end_was"] is not None
    assert event.detail["group_note"] == "changed"  # never the text
    assert "fire drill" not in str(event.detail).lower()
    with pytest.raises(DomainError, match="already reads like that"):
        clinic.block_correction.correct_block(
            lead, passwords[lead.username], block_id, BlockChange(actual_end=new_end), "Again"
        )


def test_runner_edits_audit_old_and_new_values(clinic: Clinic) -> None:
    run = Run.of(clinic, MORNING, DEMO_MONDAY)
    block_id = run.block_id(1)
    run.runner.end_block(block_id, time(11, 0))
    run.runner.end_block(block_id, time(11, 30))
    with unit_of_work(clinic.database) as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_id == str(block_id))
            .order_by(AuditEvent.sequence.desc())
            .limit(1)
        ).one()
    assert event.detail == {"field": "actual_end", "was": "11:00", "now": "11:30"}


# What verify says --------------------------------------------------------------------------


def verify(clinic: Clinic, path: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(clinic.data_dir), "verify", str(path)])
    return code, out.getvalue()


def test_verify_says_the_record_changed_after_a_correction_and_names_the_note(
    clinic: Clinic, passwords: dict[str, str], tmp_path: Path
) -> None:
    _, block_id, participant = last_week(clinic)
    lead = lead_of(clinic, block_id)
    with unit_of_work(clinic.database) as session:
        note_id = session.scalars(
            select(ParticipantNote.id).where(
                ParticipantNote.block_id == block_id,
                ParticipantNote.participant_id == participant,
            )
        ).one()
    identity = clinic.signing_identity(lead, passwords[lead.username])
    path = tmp_path / "note.pdf"
    export_document(clinic, lead, NoteRequest(note_id), path, signer=pdf_signer(identity))
    clinic.close()
    code, out = verify(clinic, path)
    assert code == 0 and "Result: VALID" in out, out
    with clinic_reopened(clinic) as reopened:
        reopened.block_correction.correct_block(
            lead,
            passwords[lead.username],
            block_id,
            BlockChange(group_note="Corrected summary."),
            "Summary was of another day",
        )
    code, out = verify(clinic, path)
    assert code == 1
    assert f"note {note_id}: CHANGED SINCE THIS EXPORT: 1 signed addendum" in out
    assert "Result: NOT CURRENT" in out


def test_an_insider_re_signing_a_document_under_a_new_id_is_not_valid(
    clinic: Clinic, passwords: dict[str, str], tmp_path: Path
) -> None:
    _, block_id, participant = last_week(clinic)
    insider = signed_in(clinic.database, "mreyes")
    with unit_of_work(clinic.database) as session:
        note_id = session.scalars(
            select(ParticipantNote.id).where(
                ParticipantNote.block_id == block_id,
                ParticipantNote.participant_id == participant,
            )
        ).one()
    fresh = render(clinic.load_document(NoteRequest(note_id))).data  # a new document id
    identity = clinic.signing_identity(insider, passwords["mreyes"])
    path = tmp_path / "resigned.pdf"
    path.write_bytes(sign_pdf(fresh, identity))
    clinic.close()
    code, out = verify(clinic, path)
    assert code == 1
    assert "Signature: valid" in out  # a real clinician's real key
    assert "this clinic has no record of exporting document" in out
    assert "Result: CANNOT BE CONFIRMED" in out and "Result: VALID" not in out


def test_a_signed_context_changed_behind_the_triggers_is_found(
    clinic: Clinic, passwords: dict[str, str], tmp_path: Path
) -> None:
    _, note_id, lead = signed_today(clinic, passwords, hours_after_end=1)
    identity = clinic.signing_identity(lead, passwords[lead.username])
    path = tmp_path / "note.pdf"
    export_document(clinic, lead, NoteRequest(note_id), path, signer=pdf_signer(identity))
    with unit_of_work(clinic.database) as session:  # an attacker with the key and SQL
        session.execute(text("DROP TRIGGER participant_note_locked_update"))
        session.execute(
            text(
                "UPDATE participant_note SET signed_context ="
                " json_set(signed_context, '$.minutes', 739) WHERE id = :id"
            ),
            {"id": note_id.hex},
        )
    clinic.close()
    code, out = verify(clinic, path)
    assert code == 1
    assert f"note {note_id}: ALTERED: the record in this database no longer matches" in out


@contextlib.contextmanager
def clinic_reopened(clinic: Clinic) -> Iterator[Clinic]:
    opened = open_clinic(clinic.data_dir)
    try:
        yield opened
    finally:
        opened.close()


def test_a_drafts_edit_entry_names_the_parts_changed_never_their_text(clinic: Clinic) -> None:
    seconds = [0.0]
    runner = SessionRunner(clinic.database, clinic.audit, clock_seconds=lambda: seconds[0])
    run = Run.of(clinic, MORNING, DEMO_MONDAY)
    block_id, member = run.block_id(1), run.member(0)
    runner.record_attendance(block_id, member, AttendanceStatus.PRESENT)
    note_id = runner.save_draft(block_id, member, None, NoteDraft("GIRP", GIRP_COMPLETE))
    runner.save_draft(
        block_id, member, None, NoteDraft("GIRP", {**GIRP_COMPLETE, "plan": "Secret plan text"})
    )
    seconds[0] = 600.0
    runner.save_draft(
        block_id,
        member,
        None,
        NoteDraft("GIRP", {**GIRP_COMPLETE, "plan": "Secret plan text", "goal": "New goal"}),
    )
    with unit_of_work(clinic.database) as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_id == str(note_id), AuditEvent.action == "edit")
            .order_by(AuditEvent.sequence.desc())
            .limit(1)
        ).one()
    assert event.detail["changed"] == "field_goal.field_plan"  # both edits since the last entry
    assert "Secret" not in str(event.detail) and "New goal" not in str(event.detail)


def test_a_signature_block_never_starts_a_page_of_a_chart(clinic: Clinic) -> None:
    with unit_of_work(clinic.database) as session:
        participants = session.scalars(select(Participant.id).limit(3)).all()
    pages = 0
    for participant in participants:
        data = render(clinic.load_document(ChartRequest(participant))).data
        for page in PdfReader(io.BytesIO(data)).pages:
            lines = [line for line in page.extract_text().splitlines() if line.strip()]
            pages += 1
            assert not lines[2].startswith(("Electronically signed by", "Signed:")), lines[:4]
    assert pages > 30  # charts long enough to break anywhere


def test_how_someone_attended_is_corrected_like_the_rest_of_their_attendance(
    clinic: Clinic, passwords: dict[str, str]
) -> None:
    run, block_id, participant = last_week(clinic)
    lead = lead_of(clinic, block_id)
    with pytest.raises(DomainError, match="not 'fax'"):
        clinic.attendance_correction.correct_attendance(
            lead, passwords[lead.username], block_id, participant,
            AttendanceStatus.PRESENT, None, None, "Joined remotely", "fax",
        )  # fmt: skip
    entry = run.entry(1, participant)
    assert entry.attendance is not None
    addendum_id = clinic.attendance_correction.correct_attendance(
        lead,
        passwords[lead.username],
        block_id,
        participant,
        entry.attendance.status,
        entry.attendance.arrived,
        entry.attendance.left,
        "Joined by video from home",
        "video",
    )
    corrected = run.entry(1, participant).attendance
    assert corrected is not None and corrected.mode == "video"
    with unit_of_work(clinic.database) as session:
        addendum = session.get_one(Addendum, addendum_id)
        assert addendum.text.startswith("Attendance corrected: was ")
        assert ", Video. Reason: Joined by video from home" in addendum.text
