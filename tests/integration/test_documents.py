"""The exported documents, parsed back with pypdf and checked for every required element."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import stat
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from facilitator import content
from facilitator.app import Clinic, open_clinic
from facilitator.documents.attendance_report import AttendanceReportDocument
from facilitator.documents.common import DocumentNotFoundError
from facilitator.documents.requests import (
    AttendanceReportRequest,
    ChartRequest,
    NoteRequest,
    SessionRecordRequest,
    SignInSheetRequest,
)
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.people import initials
from facilitator.domain.users import SignedInUser
from facilitator.services.block_correction import BlockChange
from facilitator.services.session_sheet import NoteDraft
from facilitator.storage.models import (
    Addendum,
    Attendance,
    AuditEvent,
    Block,
    Enrollment,
    GroupSession,
    Participant,
    ParticipantNote,
    Signature,
)
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import ExportError, export_document
from reports.manifest import read_manifest
from tests.users import signed_in

TODAY = date(2026, 11, 23)
ADDENDUM_TEXT = "Late entry: participant also named a new coping card at the end of group."


@dataclass(frozen=True)
class Fixture:
    folder: Path
    passwords: dict[str, str]
    note_id: uuid.UUID  # a co-signed note with an addendum
    participant_id: uuid.UUID  # its participant
    session_id: uuid.UUID  # the note's session
    other_member: str  # another member's full name, typed into that block's group note
    draft_note_id: uuid.UUID  # a draft of the same participant today


@pytest.fixture(scope="module")
def prepared(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Fixture:
    """A copy of the demo clinic with an addendum, a group note naming a member, a draft."""
    folder = tmp_path_factory.mktemp("documents") / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    clinic = open_clinic(folder)
    try:
        sokafor = signed_in(clinic.database, "sokafor")
        with unit_of_work(clinic.database) as session:
            note = session.scalars(
                select(ParticipantNote)
                .join(Enrollment, Enrollment.participant_id == ParticipantNote.participant_id)
                .where(ParticipantNote.status == "cosigned", Enrollment.discharged.is_(None))
                .order_by(ParticipantNote.updated_at)
            ).first()
            assert note is not None
            block = session.get_one(Block, note.block_id)
            others = session.scalars(
                select(Participant)
                .join(Attendance, Attendance.participant_id == Participant.id)
                .where(Attendance.block_id == block.id, Participant.id != note.participant_id)
            ).all()
            named = others[0]
            other_member = f"{named.legal_first} {named.legal_last}"
            note_id, participant_id, session_id = note.id, note.participant_id, block.session_id
            today_block = session.scalars(
                select(Block)
                .join(GroupSession, Block.session_id == GroupSession.id)
                .join(Enrollment, Enrollment.group_id == GroupSession.group_id)
                .where(GroupSession.day == TODAY, Enrollment.participant_id == participant_id)
            ).first()
            interventions = list(block.interventions)
        clinic.signing.add_addendum(sokafor, demo_clinic[1]["sokafor"], note_id, ADDENDUM_TEXT)
        clinic.block_correction.correct_block(  # the block is signed: a correction
            sokafor,
            demo_clinic[1]["sokafor"],
            block.id,
            BlockChange(
                interventions=interventions,
                group_note=f"{other_member} shared a relapse story; group reflected.",
            ),
            "Group note completed from the facilitator's notes",
        )
        assert today_block is not None, "the demo runs every active member's group today"
        clinic.runner.mark_all_present(today_block.id, today_block.session_id)
        draft_id = clinic.runner.save_draft(
            today_block.id,
            participant_id,
            sokafor.id,
            NoteDraft(template="GIRP", fields={"goal": "Draft goal text"}),
        )
    finally:
        clinic.close()
    return Fixture(
        folder, demo_clinic[1], note_id, participant_id, session_id, other_member, draft_id
    )


@pytest.fixture
def clinic(prepared: Fixture) -> Iterator[Clinic]:
    opened = open_clinic(prepared.folder)
    yield opened
    opened.close()


@pytest.fixture
def user(clinic: Clinic) -> SignedInUser:
    return signed_in(clinic.database, "mreyes")


def pdf_text(path: Path) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


def table_lines(path: Path) -> list[str]:
    """The text as laid out on the pages, one table row a line, spaces squeezed to one."""
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return [" ".join(line.split()) for line in text.splitlines()]


def squeeze(value: str) -> str:
    return re.sub(r"\s+", "", value)


def check_common(text: str, pages: int, document_id: uuid.UUID) -> None:
    """The Part 2 notice, page x of y, the document id and the time made, on the document."""
    assert squeeze(content.part2_notice()) in squeeze(text)
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in text
    assert str(document_id) in text
    assert re.search(r"Made \d{4}-\d\d-\d\d \d\d:\d\d \S+ \(UTC[+-]\d\d:\d\d\)", text)
    assert text.count(f"Page 1 of {pages}") == 1


def test_the_participant_note_shows_content_signatures_and_addendum_after_it(
    clinic: Clinic, user: SignedInUser, prepared: Fixture, tmp_path: Path
) -> None:
    result = export_document(clinic, user, NoteRequest(prepared.note_id), tmp_path / "note.pdf")
    text, pages = pdf_text(result.path)
    check_common(text, pages, result.document_id)
    with unit_of_work(clinic.database) as session:
        note = session.get_one(ParticipantNote, prepared.note_id)
        signatures = session.scalars(
            select(Signature).where(Signature.note_id == note.id).order_by(Signature.signed_at)
        ).all()
        addendum = session.scalars(
            select(Addendum).where(Addendum.note_id == note.id, Addendum.text == ADDENDUM_TEXT)
        ).one()
        flat = squeeze(text)
        for key, value in note.fields.items():
            if value:
                assert squeeze(value) in flat, key
        positions = []
        for signature in signatures:
            signed = signature.signed_at.astimezone(ZoneInfo(signature.time_zone))
            block = f"Electronically signed by: {signature.printed_name}, {signature.credentials}"
            assert squeeze(block) in flat
            assert squeeze(f"Meaning: {signature.meaning}") in flat
            assert f"{signed:%Y-%m-%d %H:%M}" in text
            assert signature.time_zone in text
            positions.append(flat.index(squeeze(block)))
        assert squeeze(f"Note id: {note.id}") in flat
        assert flat.count(squeeze(f"Content hash (SHA-256): {note.content_hash}")) == 2
        assert squeeze(ADDENDUM_TEXT) in flat
        assert squeeze(f"Addendum id: {addendum.id}") in flat
        assert squeeze(f"Content hash (SHA-256): {addendum.content_hash}") in flat
        assert flat.index(squeeze(ADDENDUM_TEXT)) > max(positions), "addendum after the note"
        assert positions == sorted(positions), "author first, then the co-signer"
    manifest = read_manifest(result.path.read_bytes())
    assert manifest.document_id == result.document_id
    assert manifest.kind == "participant_note"
    with unit_of_work(clinic.database) as session:
        every = session.scalars(select(Addendum).where(Addendum.note_id == note.id)).all()
        expected = {("addendum", a.id, a.content_hash) for a in every}
    assert len(expected) == 2  # the addendum and the group note's correction
    assert {(i.kind, i.item_id, i.content_hash) for i in manifest.signed} == {
        ("note", note.id, note.content_hash),
        *expected,
    }
    assert "Co-signature:" not in text  # co-signed: the co-signer's block says it


def test_a_note_without_its_needed_co_signature_says_so(
    clinic: Clinic, user: SignedInUser, tmp_path: Path
) -> None:
    with unit_of_work(clinic.database) as session:
        awaiting, returned = (
            session.scalars(
                select(ParticipantNote.id).where(ParticipantNote.status == status)
            ).first()
            for status in ("awaiting_cosign", "returned")
        )
    for note_id, says in (
        (awaiting, "Co-signature: awaiting the supervisor's review"),
        (returned, "Co-signature: not given; the supervisor returned the note to its author"),
    ):
        assert note_id is not None
        result = export_document(
            clinic, user, NoteRequest(note_id), tmp_path / "note.pdf", force=True
        )
        assert squeeze(says) in squeeze(pdf_text(result.path)[0])


def test_a_participants_documents_name_other_members_by_initials_only(
    clinic: Clinic, user: SignedInUser, prepared: Fixture, tmp_path: Path
) -> None:
    """The group note names another member in full; the participant's PDFs never do."""
    with unit_of_work(clinic.database) as session:
        block_id = session.get_one(ParticipantNote, prepared.note_id).block_id
        own = session.get_one(Participant, prepared.participant_id)
        group_ids = session.scalars(
            select(Enrollment.group_id).where(Enrollment.participant_id == own.id)
        ).all()
        members = session.scalars(
            select(Participant)
            .join(Enrollment, Enrollment.participant_id == Participant.id)
            .where(Enrollment.group_id.in_(group_ids), Participant.id != own.id)
        ).all()
        present = session.scalars(
            select(Participant)
            .join(Attendance, Attendance.participant_id == Participant.id)
            .where(
                Attendance.block_id == block_id,
                Participant.id != own.id,
                Attendance.status.in_([s.value for s in AttendanceStatus if s.attended]),
            )
        ).all()
    assert prepared.other_member in {f"{m.legal_first} {m.legal_last}" for m in members}
    for request, name in (
        (NoteRequest(prepared.note_id), "note.pdf"),
        (ChartRequest(prepared.participant_id, include_unsigned=True), "chart.pdf"),
    ):
        text, _ = pdf_text(export_document(clinic, user, request, tmp_path / name).path)
        flat = squeeze(text).casefold()
        assert squeeze(f"{own.legal_first} {own.legal_last}").casefold() in flat
        for member in members:
            for first in {member.legal_first, member.preferred_name or member.legal_first}:
                assert squeeze(f"{first} {member.legal_last}").casefold() not in flat, name
        for member in present:
            assert initials(member.legal_first, member.legal_last) in text
    note_text, _ = pdf_text(tmp_path / "note.pdf")
    named = next(m for m in members if f"{m.legal_first} {m.legal_last}" == prepared.other_member)
    assert squeeze(
        f"{initials(named.legal_first, named.legal_last)} shared a relapse story"
    ) in squeeze(note_text)


def test_the_chart_holds_signed_notes_only_unless_asked(
    clinic: Clinic, user: SignedInUser, prepared: Fixture, tmp_path: Path
) -> None:
    signed_only = export_document(
        clinic, user, ChartRequest(prepared.participant_id), tmp_path / "signed.pdf"
    )
    every = export_document(
        clinic,
        user,
        ChartRequest(prepared.participant_id, include_unsigned=True),
        tmp_path / "all.pdf",
    )
    signed_text, pages = pdf_text(signed_only.path)
    all_text, _ = pdf_text(every.path)
    check_common(signed_text, pages, signed_only.document_id)
    assert "Draft goal text" not in signed_text
    assert "1 unsigned draft note(s) in this period are not included" in signed_text
    assert "Draft goal text" in all_text
    assert "DRAFT: draft, not signed." in all_text
    drafts = {i.item_id for i in read_manifest(every.path.read_bytes()).signed}
    assert prepared.draft_note_id not in drafts
    assert prepared.note_id in drafts
    with unit_of_work(clinic.database) as session:
        exported = session.scalars(
            select(AuditEvent.detail)
            .where(AuditEvent.action == "export")
            .order_by(AuditEvent.sequence.desc())
            .limit(2)
        ).all()
    document = clinic.load_document(ChartRequest(prepared.participant_id))
    assert document.first < document.last
    period = {"first_day": document.first.isoformat(), "last_day": document.last.isoformat()}
    assert exported == [
        exported[0] | period | {"include_unsigned": True},
        exported[1] | period | {"include_unsigned": False},
    ]


def test_the_session_record_lists_blocks_attendance_minutes_and_facilitators(
    clinic: Clinic, user: SignedInUser, prepared: Fixture, tmp_path: Path
) -> None:
    result = export_document(
        clinic, user, SessionRecordRequest(prepared.session_id), tmp_path / "session.pdf"
    )
    text, pages = pdf_text(result.path)
    check_common(text, pages, result.document_id)
    sheet = clinic.runner.sheet(prepared.session_id)
    lines = table_lines(result.path)
    for block in sheet.blocks:
        assert f"Block {block.sequence} · {block.planned.start:%H:%M}" in text
        assert squeeze(block.topic) in squeeze(text)
        for entry in block.roster:
            minutes = entry.attendance.minutes if entry.attendance else 0
            row = [
                line
                for line in lines
                if line.startswith(f"{entry.record_name} {entry.chart_number}")
            ]
            assert row, entry.name
            assert any(re.search(rf"\b{minutes}\b", line) for line in row), entry.name
    assert "Morgan Reyes" in text or "Sam Okafor" in text
    assert "Facilitators" in text and "Notes signed" in text
    signed = read_manifest(result.path.read_bytes()).signed
    assert prepared.note_id in {item.item_id for item in signed}
    # the note's addendum and the block correction's one on each signed note of the block,
    # each signed on its own, are listed after the notes' signatures
    addenda = [item for item in signed if item.kind == "addendum"]
    with unit_of_work(clinic.database) as session:
        block_id = session.get_one(ParticipantNote, prepared.note_id).block_id
        locked = session.scalars(
            select(ParticipantNote.id).where(
                ParticipantNote.block_id == block_id, ParticipantNote.status != "draft"
            )
        ).all()
    assert len(addenda) == 1 + len(locked)
    flat = squeeze(text)
    assert squeeze("Author of this addendum: Sam Okafor") in flat
    assert flat.index(squeeze("Reviewed and approved: Jordan Lee")) < flat.index(
        squeeze("Author of this addendum")
    )
    assert all(squeeze(f"SHA-256 {a.content_hash[:16]}") in flat for a in addenda)
    document = clinic.load_document(SessionRecordRequest(prepared.session_id))
    notes = {item.item_id for item in signed if item.kind == "note"}
    assert sum(f.notes_signed for f in document.facilitators) == len(notes)  # not addenda


def test_the_sign_in_sheet_lists_names_with_blank_columns(
    clinic: Clinic, user: SignedInUser, prepared: Fixture, tmp_path: Path
) -> None:
    sheet = clinic.runner.sheet(prepared.session_id)
    result = export_document(
        clinic, user, SignInSheetRequest(prepared.session_id), tmp_path / "sign-in.pdf"
    )
    text, pages = pdf_text(result.path)
    check_common(text, pages, result.document_id)
    for header in ("Name", "Signature", "Time in", "Time out"):
        assert header in text
    flat = " ".join(text.split())
    with unit_of_work(clinic.database) as session:
        for entry in sheet.blocks[0].roster:  # legal name, the preferred one beside (the default)
            person = session.get_one(Participant, entry.participant_id)
            legal = f"{person.legal_first} {person.legal_last}"
            assert (legal if entry.name == legal else f"{legal} ({person.preferred_name})") in flat
    assert read_manifest(result.path.read_bytes()).signed == ()


def test_the_attendance_report_gives_hours_per_week_against_target_and_short_days(
    clinic: Clinic, user: SignedInUser, tmp_path: Path
) -> None:
    first, last = TODAY - timedelta(days=27), TODAY - timedelta(days=1)
    result = export_document(
        clinic, user, AttendanceReportRequest(first, last), tmp_path / "attendance.pdf"
    )
    text, pages = pdf_text(result.path)
    check_common(text, pages, result.document_id)
    lines = table_lines(result.path)
    assert "Adult IOP: 9 h a week, at least 3 h a day" in text
    document = clinic.load_document(AttendanceReportRequest(first, last))
    assert isinstance(document, AttendanceReportDocument)
    below = short = 0
    for row in document.rows:
        record = clinic.participant_record(clinic.documents.participant_id(row.chart_number), last)
        expected = {w.monday: w.minutes for w in record.weeks if first <= w.monday <= last}
        shown = {w.monday: w.minutes for w in row.weeks if w is not None and w.monday >= first}
        assert shown == expected, row.name
        expected_short = [d.day for d in record.short_days if first <= d.day <= last]
        assert [d.day for d in row.short_days] == expected_short
        line = next(line for line in lines if line.startswith(f"{row.name} {row.chart_number}"))
        for week in row.weeks:
            if week is not None:
                assert f"{week.minutes // 60}:{week.minutes % 60:02d}" in line
        below += sum(1 for w in row.weeks if w is not None and w.below_target)
        short += len(row.short_days)
        assert f"{row.name} {row.chart_number} {len(row.short_days)} of {len(row.days)}" in (
            "\n".join(lines)
        )
    assert below and short, "the demo has weeks below target and short days to show"
    assert text.count("▼") >= below


def test_an_export_is_written_atomically_privately_and_audited(
    clinic: Clinic, user: SignedInUser, prepared: Fixture, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "note.pdf"
    target.parent.mkdir()
    target.write_bytes(b"old")
    result = export_document(clinic, user, NoteRequest(prepared.note_id), target, force=True)
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in target.parent.iterdir()) == ["note.pdf"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with unit_of_work(clinic.database) as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence.desc())).first()
        assert event is not None
        assert (event.action, event.clinician_id) == ("export", user.id)
        assert (event.object_type, event.object_id) == ("participant_note", str(prepared.note_id))
        assert event.detail["kind"] == "participant_note"
        assert event.detail["path"] == str(target)
        assert event.detail["pages"] == result.pages
        assert event.detail["document_id"] == str(result.document_id)
        assert event.detail["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert clinic.exported_file_hash(result.document_id) == event.detail["sha256"]


def test_a_failed_audit_entry_takes_the_file_back(
    clinic: Clinic, user: SignedInUser, prepared: Fixture, tmp_path: Path
) -> None:
    class NoAudit:
        data_dir = clinic.data_dir
        remember_export_folder = clinic.remember_export_folder

        def load_document(self, request: NoteRequest) -> object:
            return clinic.load_document(request)

        def record_audit(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("audit log unavailable")

    target = tmp_path / "note.pdf"
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        export_document(NoAudit(), user, NoteRequest(prepared.note_id), target)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["missing/x.pdf", "folder", "readonly/x.pdf"])
def test_an_unwritable_destination_is_refused_before_anything_is_read(
    clinic: Clinic, user: SignedInUser, prepared: Fixture, tmp_path: Path, where: str
) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "readonly").mkdir(mode=0o500)
    if where.startswith("readonly") and os.access(tmp_path / "readonly", os.W_OK):
        pytest.skip("running as a user who may write anywhere (root)")
    with pytest.raises(ExportError):
        export_document(clinic, user, NoteRequest(prepared.note_id), tmp_path / where)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "readonly"]
    assert list((tmp_path / "folder").iterdir()) == []


def test_unknown_things_are_refused_with_a_clear_message(clinic: Clinic) -> None:
    with pytest.raises(DocumentNotFoundError, match='chart number "NOPE-1"'):
        clinic.documents.participant_id("NOPE-1")
    with pytest.raises(DocumentNotFoundError, match="has no session on 2026-11-21"):
        clinic.documents.session_id("Adult IOP Morning", date(2026, 11, 21))
    with pytest.raises(DocumentNotFoundError, match='no group "Nope"'):
        clinic.documents.session_id("Nope", TODAY)
    with pytest.raises(DocumentNotFoundError, match="no participant note"):
        clinic.load_document(NoteRequest(uuid.uuid4()))


def test_made_at_is_printed_in_the_computers_time_zone(clinic: Clinic, prepared: Fixture) -> None:
    document = clinic.load_document(NoteRequest(prepared.note_id))
    made = document.provenance.made_at
    assert made.tzinfo is not None
    assert abs(made - datetime.now().astimezone()) < timedelta(minutes=1)
