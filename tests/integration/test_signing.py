"""Signing on a real SQLCipher clinic: lock, refuse edits (core and trigger), addenda, co-sign."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from facilitator import content
from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus, content_hash
from facilitator.domain.users import SignedInUser
from facilitator.services.notes_content import canonical_addendum_content, canonical_note_content
from facilitator.services.session_sheet import NoteDraft
from facilitator.services.signing import Signing
from facilitator.storage.models import (
    Addendum,
    AuditEvent,
    NoteReview,
    ParticipantNote,
    Signature,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.clinic_copies import clinic_copy, demo_copy
from tests.users import signed_in

DEMO_MONDAY = date(2026, 11, 23)
SIGNED_AT = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)  # 10:30 in New York (UTC-05:00)
ZONE = "America/New_York"
PASSWORD = "correct horse battery staple"
MORNING = "Adult IOP Morning"
EVENING = "Adult IOP Evening"
GIRP_COMPLETE = {
    "goal": "Identify high-risk situations",
    "intervention": "Facilitator led a thought-record exercise",
    "response": "Participant named two triggers and a coping plan",
    "plan": "Practise the thought record daily",
}


class PasswordBook:
    """Stands in for Accounts.confirm_password: one password for everyone."""

    def confirm_password(self, user: SignedInUser, password: str) -> None:
        if password != PASSWORD:
            raise DomainError("That password is not right.")


DEMO_PASSWORDS: dict[str, str] = {}


@pytest.fixture(scope="module")
def demo_folder(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    DEMO_PASSWORDS.update(demo_clinic[1])
    return demo_copy(demo_clinic, tmp_path_factory.mktemp("signing-demo") / "clinic")


@pytest.fixture
def clinic(demo_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with clinic_copy(demo_folder, tmp_path / "clinic") as opened:
        yield opened


@pytest.fixture
def signing(clinic: Clinic) -> Signing:
    return Signing(clinic.database, PasswordBook(), clinic.audit, lambda: SIGNED_AT, ZONE)


def user(clinic: Clinic, username: str) -> SignedInUser:
    return signed_in(clinic.database, username)


def write_drafts(
    clinic: Clinic, author: SignedInUser, group: str, count: int, block_index: int = 0
) -> list[uuid.UUID]:
    """Mark `count` people present in today's block of `group` and write a complete draft each."""
    row = [r for r in clinic.day_blocks(DEMO_MONDAY) if r.group == group][block_index]
    runner = clinic.runner
    block = next(b for b in runner.sheet(row.session_id).blocks if b.block_id == row.block_id)
    ids = []
    for entry in block.roster[:count]:
        runner.record_attendance(block.block_id, entry.participant_id, AttendanceStatus.PRESENT)
        draft = NoteDraft(template="GIRP", fields=GIRP_COMPLETE, mood="Euthymic")
        ids.append(runner.save_draft(block.block_id, entry.participant_id, author.id, draft))
    return ids


def note_rows(clinic: Clinic) -> dict[str, tuple[Any, ...]]:
    """Every participant note as its raw stored columns, by id."""
    with clinic.database.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM participant_note")).all()
    return {str(r[0]): tuple(r) for r in rows}


def status_of(clinic: Clinic, note_id: uuid.UUID) -> NoteStatus:
    with unit_of_work(clinic.database) as session:
        note = session.get(ParticipantNote, note_id)
        assert note is not None
        return NoteStatus(note.status)


def audit_actions(clinic: Clinic) -> list[tuple[str, str | None, str]]:
    with unit_of_work(clinic.database) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence))
        return [(e.action, e.object_id, e.outcome) for e in events]


def test_signing_locks_the_note_and_records_the_signature(clinic: Clinic, signing: Signing) -> None:
    reyes = user(clinic, "mreyes")
    (note_id,) = write_drafts(clinic, reyes, MORNING, 1)

    assert signing.sign(reyes, PASSWORD, [note_id]) == 1

    with unit_of_work(clinic.database) as session:
        note = session.get(ParticipantNote, note_id)
        assert note is not None
        assert note.status == NoteStatus.SIGNED.value
        digest = content_hash(canonical_note_content(note))
        assert note.content_hash == digest
        (signature,) = note.signatures
        assert (signature.printed_name, signature.credentials) == ("Morgan Reyes", "LPC, LCADC")
        assert (signature.role, signature.meaning) == ("author", "Author")
        assert signature.attestation == content.signature_texts()["author"].attestation
        assert signature.signed_at == SIGNED_AT
        assert (signature.time_zone, signature.utc_offset) == (ZONE, "-05:00")
        assert signature.content_hash == digest
    assert ("sign", str(note_id), "success") in audit_actions(clinic)


def test_signing_one_note_leaves_every_other_row_byte_identical(
    clinic: Clinic, signing: Signing
) -> None:
    reyes = user(clinic, "mreyes")
    first, *others = write_drafts(clinic, reyes, MORNING, 4)
    before = note_rows(clinic)

    signing.sign(reyes, PASSWORD, [first])

    after = note_rows(clinic)
    assert before.keys() == after.keys()
    assert after[first.hex] != before[first.hex]
    changed = [key for key in before if before[key] != after[key]]
    assert changed == [first.hex]
    assert all(status_of(clinic, n) is NoteStatus.DRAFT for n in others)


def test_a_wrong_password_signs_nothing(clinic: Clinic, signing: Signing) -> None:
    reyes = user(clinic, "mreyes")
    ids = write_drafts(clinic, reyes, MORNING, 3)
    before = note_rows(clinic)

    with pytest.raises(DomainError, match="password"):
        signing.sign(reyes, "wrong", ids)
    with pytest.raises(DomainError, match="password"):
        signing.sign_day(reyes, "wrong", DEMO_MONDAY, ids)

    assert note_rows(clinic) == before
    with unit_of_work(clinic.database) as session:
        assert not session.scalars(select(Signature).where(Signature.note_id.in_(ids))).all()
    assert audit_actions(clinic)[-1] == ("sign", None, "refused")


def test_missing_required_fields_refuse_and_sign_nothing(clinic: Clinic, signing: Signing) -> None:
    reyes = user(clinic, "mreyes")
    complete, incomplete = write_drafts(clinic, reyes, MORNING, 2)
    with unit_of_work(clinic.database) as session:
        note = session.get(ParticipantNote, incomplete)
        assert note is not None
        note.fields = {**GIRP_COMPLETE, "response": "  ", "plan": ""}
    before = note_rows(clinic)

    with pytest.raises(DomainError, match="fill in Response, Plan before signing"):
        signing.sign(reyes, PASSWORD, [complete, incomplete])

    assert note_rows(clinic) == before  # all or none: the complete one is not signed either
    review = {r.note_id: r for r in signing.review(reyes, DEMO_MONDAY)}
    assert review[incomplete].missing == ("Response", "Plan")
    assert not review[incomplete].ready
    assert review[incomplete].reason == "Missing: Response, Plan"
    assert review[complete].ready


def test_review_warns_when_a_note_names_another_member(clinic: Clinic, signing: Signing) -> None:
    reyes = user(clinic, "mreyes")
    first, second = write_drafts(clinic, reyes, MORNING, 2)
    with unit_of_work(clinic.database) as session:
        other = session.get_one(ParticipantNote, second).participant
        named = f"{other.legal_first} {other.legal_last}"
        note = session.get_one(ParticipantNote, first)
        note.fields = {**GIRP_COMPLETE, "response": f"Role-played refusal with {named}"}

    review = {r.note_id: r for r in signing.review(reyes, DEMO_MONDAY)}
    initials = f"{other.legal_first[0]}.{other.legal_last[0]}."
    assert review[first].reason == f"Names {initials}: other members go by initials"
    assert review[first].ready  # a warning: the clinician decides (a name can be a word)
    assert review[second].reason == ""


def test_the_core_refuses_to_change_a_signed_note(clinic: Clinic, signing: Signing) -> None:
    reyes = user(clinic, "mreyes")
    (note_id,) = write_drafts(clinic, reyes, MORNING, 1)
    signing.sign(reyes, PASSWORD, [note_id])
    row = next(r for r in clinic.day_blocks(DEMO_MONDAY) if r.group == MORNING)
    block = clinic.runner.sheet(row.session_id).blocks[0]
    entry = next(e for e in block.roster if e.note and e.note.note_id == note_id)

    with pytest.raises(DomainError, match="signed"):
        clinic.runner.save_draft(
            block.block_id, entry.participant_id, reyes.id, NoteDraft("GIRP", {"goal": "new"})
        )
    with pytest.raises(DomainError, match="already signed"):
        signing.sign(reyes, PASSWORD, [note_id])


def test_the_trigger_refuses_raw_sql_on_signed_content(clinic: Clinic, signing: Signing) -> None:
    reyes = user(clinic, "mreyes")
    signed, draft = write_drafts(clinic, reyes, MORNING, 2)
    signing.sign(reyes, PASSWORD, [signed])
    signing.add_addendum(reyes, PASSWORD, signed, "Late entry.")
    signed_hex, draft_hex = signed.hex, draft.hex
    refused = [
        f"UPDATE participant_note SET fields = '{{}}' WHERE id = '{signed_hex}'",
        f"UPDATE participant_note SET mood = 'Angry' WHERE id = '{signed_hex}'",
        f"UPDATE participant_note SET content_hash = 'x' WHERE id = '{signed_hex}'",
        f"UPDATE participant_note SET status = 'draft' WHERE id = '{signed_hex}'",
        f"UPDATE participant_note SET status = 'cosigned' WHERE id = '{signed_hex}'",
        f"DELETE FROM participant_note WHERE id = '{signed_hex}'",
        f"UPDATE signature SET printed_name = 'Someone Else' WHERE note_id = '{signed_hex}'",
        f"DELETE FROM signature WHERE note_id = '{signed_hex}'",
        f"UPDATE addendum SET text = 'changed' WHERE note_id = '{signed_hex}'",
        f"DELETE FROM addendum WHERE note_id = '{signed_hex}'",
    ]
    before = note_rows(clinic)
    for statement in refused:
        with (
            pytest.raises((IntegrityError, DatabaseError), match=r"locked|never|cannot"),
            clinic.database.engine.begin() as connection,
        ):
            connection.execute(text(statement))
    assert note_rows(clinic) == before
    with clinic.database.engine.begin() as connection:  # a draft still changes freely
        connection.execute(
            text(f"UPDATE participant_note SET mood = 'Anxious' WHERE id = '{draft_hex}'")
        )
        connection.execute(
            text(f"UPDATE participant_note SET updated_at = updated_at WHERE id = '{signed_hex}'")
        )


def test_the_trigger_lets_cosignature_steps_through(clinic: Clinic, signing: Signing) -> None:
    okafor = user(clinic, "sokafor")
    (note_id,) = write_drafts(clinic, okafor, EVENING, 1)
    signing.sign(okafor, PASSWORD, [note_id])
    assert status_of(clinic, note_id) is NoteStatus.AWAITING_COSIGN
    hex_id = note_id.hex
    for status in ("returned", "awaiting_cosign", "cosigned"):
        with clinic.database.engine.begin() as connection:
            connection.execute(
                text(f"UPDATE participant_note SET status = '{status}' WHERE id = '{hex_id}'")
            )
        assert status_of(clinic, note_id) is NoteStatus(status)
    with (
        pytest.raises((IntegrityError, DatabaseError), match="locked"),
        clinic.database.engine.begin() as connection,
    ):
        connection.execute(
            text(f"UPDATE participant_note SET status = 'returned' WHERE id = '{hex_id}'")
        )


def test_addendum_is_signed_hashed_and_listed_after_the_note(
    clinic: Clinic, signing: Signing
) -> None:
    reyes = user(clinic, "mreyes")
    (note_id,) = write_drafts(clinic, reyes, MORNING, 1)
    with pytest.raises(DomainError, match="draft"):
        signing.add_addendum(reyes, PASSWORD, note_id, "Too early.")
    signing.sign(reyes, PASSWORD, [note_id])
    with pytest.raises(DomainError, match="password"):
        signing.add_addendum(reyes, "wrong", note_id, "Not added.")
    with pytest.raises(DomainError, match="text"):
        signing.add_addendum(reyes, PASSWORD, note_id, "   ")

    first = signing.add_addendum(reyes, PASSWORD, note_id, "Participant called after group.")
    second = signing.add_addendum(reyes, PASSWORD, note_id, "Worksheet given at the desk.")

    record = signing.note_record(note_id)
    assert [a.text for a in record.addenda] == [
        "Participant called after group.",
        "Worksheet given at the desk.",
    ]
    assert record.addenda[0].signature.printed_name == "Morgan Reyes"
    assert record.addenda[0].signature.when == "2026-11-23 10:30 America/New_York (UTC-05:00)"
    with unit_of_work(clinic.database) as session:
        note = session.get(ParticipantNote, note_id)
        assert note is not None
        for addendum_id in (first, second):
            addendum = session.get(Addendum, addendum_id)
            assert addendum is not None
            assert addendum.signed_at == SIGNED_AT
            assert addendum.content_hash == content_hash(canonical_addendum_content(addendum, note))
        assert note.status == NoteStatus.SIGNED.value
    actions = audit_actions(clinic)
    assert ("addendum", str(note_id), "success") in actions


def test_cosignature_flow_return_addendum_resubmit_approve(
    clinic: Clinic, signing: Signing
) -> None:
    okafor, lee, reyes = (user(clinic, n) for n in ("sokafor", "jlee", "mreyes"))
    first, second = write_drafts(clinic, okafor, EVENING, 2)
    signing.sign(okafor, PASSWORD, [first, second])
    assert {status_of(clinic, n) for n in (first, second)} == {NoteStatus.AWAITING_COSIGN}

    queue = {r.note_id: r for r in signing.cosign_queue(lee)}
    assert {first, second} <= queue.keys()
    assert queue[first].author == "Sam Okafor, LAC"
    assert signing.cosign_queue(reyes) == []  # not a supervisor
    assert signing.cosign_queue(okafor) == []
    with pytest.raises(DomainError, match=r"own note|another supervisor"):
        signing.cosign(okafor, PASSWORD, [first])

    with pytest.raises(DomainError, match="Say what"):
        signing.return_to_author(lee, first, "  ")
    signing.return_to_author(lee, first, "Describe the response in observable terms.")
    assert status_of(clinic, first) is NoteStatus.RETURNED
    with pytest.raises(DomainError, match="signed"):  # still locked
        row = next(r for r in clinic.day_blocks(DEMO_MONDAY) if r.group == EVENING)
        block = clinic.runner.sheet(row.session_id).blocks[0]
        entry = next(e for e in block.roster if e.note and e.note.note_id == first)
        clinic.runner.save_draft(
            block.block_id, entry.participant_id, okafor.id, NoteDraft("GIRP", GIRP_COMPLETE)
        )
    with pytest.raises(DomainError, match="cannot become co-signed"):
        signing.cosign(lee, PASSWORD, [first])
    assert signing.cosign_queue(lee)[-1].comment == "Describe the response in observable terms."

    signing.add_addendum(
        okafor, PASSWORD, first, "Participant said: I will call my sponsor.", resubmit=True
    )
    assert status_of(clinic, first) is NoteStatus.AWAITING_COSIGN

    with pytest.raises(DomainError, match="password"):
        signing.cosign(lee, "wrong", [first, second])
    assert status_of(clinic, second) is NoteStatus.AWAITING_COSIGN
    assert signing.cosign(lee, PASSWORD, [first, second]) == 2

    with unit_of_work(clinic.database) as session:
        for note_id in (first, second):
            note = session.get(ParticipantNote, note_id)
            assert note is not None
            assert note.status == NoteStatus.COSIGNED.value
            roles = [(s.role, s.meaning, s.printed_name) for s in note.signatures]
            assert roles == [
                ("author", "Author", "Sam Okafor"),
                ("cosigner", "Reviewed and approved", "Jordan Lee"),
            ]
            assert {s.content_hash for s in note.signatures} == {note.content_hash}
        reviews = session.scalars(
            select(NoteReview.action).where(NoteReview.note_id == first)
        ).all()
        assert reviews == ["returned", "resubmitted"]
    actions = [(a, o) for a, o, outcome in audit_actions(clinic) if outcome == "success"]
    for action in ("sign", "return", "addendum", "cosign"):
        assert (action, str(first)) in actions
    assert first not in {r.note_id for r in signing.cosign_queue(lee)}


def test_sign_block_and_day_sign_only_what_was_shown(clinic: Clinic, signing: Signing) -> None:
    reyes = user(clinic, "mreyes")
    first_block = write_drafts(clinic, reyes, MORNING, 3, block_index=0)
    second_block = write_drafts(clinic, reyes, MORNING, 2, block_index=1)
    review = signing.review(reyes, DEMO_MONDAY)
    block_id = next(r.block_id for r in review if r.note_id == first_block[0])

    with pytest.raises(DomainError, match="changed since you reviewed"):
        signing.sign_block(reyes, PASSWORD, block_id, DEMO_MONDAY, first_block[:2])
    assert all(status_of(clinic, n) is NoteStatus.DRAFT for n in first_block)

    assert signing.sign_block(reyes, PASSWORD, block_id, DEMO_MONDAY, first_block) == 3
    assert all(status_of(clinic, n) is NoteStatus.DRAFT for n in second_block)
    assert signing.sign_day(reyes, PASSWORD, DEMO_MONDAY, second_block) == 2
    assert all(status_of(clinic, n) is NoteStatus.SIGNED for n in first_block + second_block)
    with pytest.raises(DomainError, match="Choose the notes"):
        signing.sign_day(reyes, PASSWORD, DEMO_MONDAY, [])


def test_only_the_author_signs(clinic: Clinic, signing: Signing) -> None:
    reyes, okafor = user(clinic, "mreyes"), user(clinic, "sokafor")
    (note_id,) = write_drafts(clinic, reyes, MORNING, 1)
    with pytest.raises(DomainError, match="only the note's author"):
        signing.sign(okafor, PASSWORD, [note_id])
    assert status_of(clinic, note_id) is NoteStatus.DRAFT


def test_the_demo_signs_as_the_service_does(clinic: Clinic) -> None:
    texts = content.signature_texts()
    with unit_of_work(clinic.database) as session:
        signatures = session.scalars(select(Signature)).all()
        assert {(s.role, s.meaning, s.attestation) for s in signatures} == {
            ("author", texts["author"].meaning, texts["author"].attestation),
            ("cosigner", texts["cosigner"].meaning, texts["cosigner"].attestation),
        }
        assert {s.utc_offset for s in signatures} <= {"-05:00", "-04:00"}
        statuses = session.scalars(select(ParticipantNote.status)).all()
        assert statuses.count(NoteStatus.RETURNED.value) == 1
        assert statuses.count(NoteStatus.AWAITING_COSIGN.value) > 0
        (review,) = session.scalars(select(NoteReview)).all()
        assert review.action == "returned" and review.comment
        (addendum,) = session.scalars(select(Addendum)).all()
        note = session.get(ParticipantNote, addendum.note_id)
        assert note is not None
        assert addendum.content_hash == content_hash(canonical_addendum_content(addendum, note))


def test_the_clinic_signs_with_the_accounts_password(clinic: Clinic) -> None:
    """Clinic.signing asks the real accounts: a wrong password signs nothing, the right signs."""
    reyes = user(clinic, "mreyes")
    (note_id,) = write_drafts(clinic, reyes, MORNING, 1)
    with pytest.raises(DomainError):
        clinic.signing.sign(reyes, DEMO_PASSWORDS["mreyes"] + "x", [note_id])
    assert status_of(clinic, note_id) is NoteStatus.DRAFT
    with pytest.raises(DomainError):  # someone else's password is no better
        clinic.signing.sign(reyes, DEMO_PASSWORDS["jlee"], [note_id])
    assert status_of(clinic, note_id) is NoteStatus.DRAFT

    assert clinic.signing.sign(reyes, DEMO_PASSWORDS["mreyes"], [note_id]) == 1
    assert status_of(clinic, note_id) is NoteStatus.SIGNED
