"""The database's own protective rules, the same on SQLCipher (SQLite triggers of 0003-0007)
and PostgreSQL (their PL/pgSQL twins, 0010): each refuses its statement with its message,
nothing changes, and the steps the app does take still go through."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Uuid, bindparam, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from facilitator.storage.database import Database
from facilitator.storage.models import (
    Addendum,
    Block,
    Clinician,
    Discharge,
    DischargeCosignature,
    DischargeReturn,
    DischargeVoid,
    Enrollment,
    Group,
    GroupSession,
    Measure,
    MeasureCorrection,
    MeasureResult,
    MeasureVoid,
    Modality,
    NoteReview,
    Participant,
    ParticipantNote,
    Program,
    Signature,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.storage_backends import Storage

AT = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)
DAY = date(2026, 11, 23)
HASH = "a" * 64
TABLES = (
    "participant_note", "signature", "addendum", "note_review", "discharge",
    "discharge_cosignature", "discharge_return", "discharge_void", "measure_result",
    "measure_correction", "measure_void",
)  # fmt: skip


@dataclass(frozen=True)
class Records:
    signed_note: uuid.UUID
    awaiting_note: uuid.UUID
    draft_note: uuid.UUID
    signed_discharge: uuid.UUID
    awaiting_discharge: uuid.UUID
    voided_discharge: uuid.UUID
    voided_result: uuid.UUID
    corrected_result: uuid.UUID
    clinician: uuid.UUID


def _signature(note: ParticipantNote, clinician: Clinician) -> Signature:
    return Signature(
        note=note,
        clinician_id=clinician.id,
        role="author",
        printed_name="Morgan Reyes",
        credentials="LPC",
        signed_at=AT,
        time_zone="America/New_York",
        utc_offset="-05:00",
        meaning="Author",
        attestation="I wrote this.",
        content_hash=HASH,
    )


def _discharge(enrollment: Enrollment, clinician: Clinician, status: str) -> Discharge:
    signed = status != "draft"
    return Discharge(
        enrollment_id=enrollment.id,
        reason="completed",
        plan={"next": "OP"},
        created_by=clinician.id,
        status=status,
        content={"summary": "Done"} if signed else None,
        content_hash=HASH if signed else None,
        signed_by=clinician.id if signed else None,
        signed_at=AT if signed else None,
    )


def _record_everything(database: Database) -> Records:
    """One record in every state a rule guards, inserted as the app would leave them."""
    with unit_of_work(database) as session:
        clinician = Clinician(username="mreyes", display_name="Morgan Reyes", role="facilitator")
        program = Program(name="Adult IOP", level_of_care="2.1", weekly_target_minutes=540)
        group = Group(program=program, name="Morning")
        block = Block(
            session=GroupSession(group=group, day=DAY),
            sequence=1,
            modality=Modality(code="CBT", name="CBT"),
            planned_start=time(9),
            planned_end=time(10),
        )
        people = [
            Participant(
                chart_number=f"IOP-{n}",
                legal_first="Pat",
                legal_last=f"Doe{n}",
                date_of_birth=date(1990, 1, 1),
            )
            for n in range(3)
        ]
        enrollments = [Enrollment(participant=p, group=group, admitted=DAY) for p in people]
        session.add_all([clinician, block, *enrollments])
        session.flush()
        notes = {
            status: ParticipantNote(
                block=block,
                participant=people[n],
                author_id=clinician.id,
                template="GIRP",
                fields={"goal": "Stay sober"},
                status=status,
                content_hash=None if status == "draft" else HASH,
            )
            for n, status in enumerate(("signed", "awaiting_cosign", "draft"))
        }
        signed_note = notes["signed"]
        session.add_all(notes.values())
        session.add_all(
            [_signature(signed_note, clinician), _signature(notes["awaiting_cosign"], clinician)]
        )
        session.add(
            Addendum(
                note=signed_note,
                author_id=clinician.id,
                text="Late entry.",
                signed_at=AT,
                content_hash=HASH,
            )
        )
        session.add(NoteReview(note=signed_note, clinician_id=clinician.id, action="returned"))
        signed, awaiting, voided = (
            _discharge(e, clinician, s)
            for e, s in zip(enrollments, ("signed", "awaiting_cosign", "draft"), strict=True)
        )
        session.add_all([signed, awaiting, voided])
        session.flush()
        session.add(
            DischargeCosignature(
                discharge_id=awaiting.id,
                cosigned_by=clinician.id,
                printed_name="Jordan Lee",
                credentials="LCSW",
                signed_at=AT,
                time_zone="America/New_York",
                utc_offset="-05:00",
                meaning="Reviewed and approved",
                attestation="Reviewed.",
                content_hash=HASH,
            )
        )
        session.add(
            DischargeReturn(
                discharge_id=awaiting.id,
                returned_by=clinician.id,
                comment="Add the plan.",
                content={"summary": "Earlier"},
                content_hash="b" * 64,
                signed_at=AT,
            )
        )
        session.add(DischargeVoid(discharge_id=voided.id, discharged=DAY, reason="Wrong person"))
        measure = Measure(code="PHQ9", name="PHQ-9", definition={})
        session.add(measure)
        session.flush()
        results = [
            MeasureResult(
                participant_id=people[0].id,
                measure_id=measure.id,
                taken_on=DAY,
                item_scores={"1": 1},
                total=1,
                band="Minimal",
            )
            for _ in range(2)
        ]
        session.add_all(results)
        session.flush()
        session.add(MeasureVoid(result_id=results[0].id, reason="Wrong participant"))
        session.add(_correction(results[1].id))
        return Records(
            signed_note.id,
            notes["awaiting_cosign"].id,
            notes["draft"].id,
            signed.id,
            awaiting.id,
            voided.id,
            results[0].id,
            results[1].id,
            clinician.id,
        )


def _correction(result_id: uuid.UUID) -> MeasureCorrection:
    return MeasureCorrection(
        result_id=result_id,
        previous_taken_on=DAY,
        previous_item_scores={"1": 2},
        previous_total=2,
        previous_band="Minimal",
        previous_risk=False,
        reason="Typo",
    )


Step = Callable[[Session, Records], Any]


def sql(statement: str, record: str | None = None) -> Step:
    """Run `statement`; `:id` is the id of the named Records field."""

    def run(session: Session, records: Records) -> Any:
        clause = text(statement)
        if record is None:
            return session.execute(clause)
        clause = clause.bindparams(bindparam("id", type_=Uuid))
        return session.execute(clause, {"id": getattr(records, record)})

    return run


def add_void(record: str) -> Step:
    def run(session: Session, records: Records) -> None:
        session.add(
            DischargeVoid(discharge_id=getattr(records, record), discharged=DAY, reason="x")
        )
        session.flush()

    return run


def add_correction(session: Session, records: Records) -> None:
    session.add(_correction(records.voided_result))
    session.flush()


# (the SQLite trigger and PL/pgSQL rule it meets, the statement, the refusal's message)
REFUSALS: tuple[tuple[str, Step, str], ...] = (
    ("participant_note_locked_update",
     sql("UPDATE participant_note SET mood = 'Angry' WHERE id = :id", "signed_note"),
     "a signed note is locked: add an addendum instead"),
    ("participant_note_locked_update (JSON)",
     sql("UPDATE participant_note SET fields = '{}' WHERE id = :id", "awaiting_note"),
     "a signed note is locked: add an addendum instead"),
    ("participant_note_locked_update (status)",
     sql("UPDATE participant_note SET status = 'draft' WHERE id = :id", "signed_note"),
     "a signed note is locked: add an addendum instead"),
    ("participant_note_locked_delete",
     sql("DELETE FROM participant_note WHERE id = :id", "signed_note"),
     "a signed note cannot be deleted"),
    ("signature_update", sql("UPDATE signature SET printed_name = 'Someone Else'"),
     "a signature never changes"),
    ("signature_delete", sql("DELETE FROM signature"), "a signature cannot be deleted"),
    ("addendum_signed_update", sql("UPDATE addendum SET text = 'changed'"),
     "a signed addendum never changes"),
    ("addendum_signed_delete", sql("DELETE FROM addendum"), "a signed addendum cannot be deleted"),
    ("note_review_update", sql("UPDATE note_review SET comment = 'x'"),
     "a review step never changes"),
    ("note_review_delete", sql("DELETE FROM note_review"), "a review step cannot be deleted"),
    ("discharge_signed_update",
     sql("UPDATE discharge SET reason = 'other' WHERE id = :id", "signed_discharge"),
     "a signed discharge summary is locked"),
    ("discharge_signed_delete", sql("DELETE FROM discharge WHERE id = :id", "signed_discharge"),
     "a signed discharge summary cannot be deleted"),
    ("measure_correction_update", sql("UPDATE measure_correction SET reason = 'x'"),
     "a measure correction never changes"),
    ("measure_correction_delete", sql("DELETE FROM measure_correction"),
     "a measure correction cannot be deleted"),
    ("measure_void_update", sql("UPDATE measure_void SET reason = 'x'"),
     "a measure marked entered in error stays so"),
    ("measure_void_delete", sql("DELETE FROM measure_void"),
     "a measure marked entered in error stays so"),
    ("measure_result_voided_update",
     sql("UPDATE measure_result SET total = 0 WHERE id = :id", "voided_result"),
     "a measure result entered in error never changes"),
    ("measure_result_voided_delete",
     sql("DELETE FROM measure_result WHERE id = :id", "voided_result"),
     "a measure result entered in error is kept"),
    ("measure_correction_voided_insert", add_correction,
     "a measure result entered in error is not corrected"),
    ("discharge_awaiting_update",
     sql("UPDATE discharge SET reason = 'other' WHERE id = :id", "awaiting_discharge"),
     "a discharge summary awaiting co-signature is locked"),
    ("discharge_awaiting_update (signed, content changed)",
     sql("UPDATE discharge SET status = 'signed', content = '{}' WHERE id = :id",
         "awaiting_discharge"),
     "a discharge summary awaiting co-signature is locked"),
    ("discharge_awaiting_delete",
     sql("DELETE FROM discharge WHERE id = :id", "awaiting_discharge"),
     "a signed discharge summary cannot be deleted"),
    ("discharge_cosignature_update", sql("UPDATE discharge_cosignature SET printed_name = 'X'"),
     "a co-signature never changes"),
    ("discharge_cosignature_delete", sql("DELETE FROM discharge_cosignature"),
     "a co-signature cannot be deleted"),
    ("discharge_return_update", sql("UPDATE discharge_return SET comment = 'x'"),
     "a returned discharge summary is kept as returned"),
    ("discharge_return_delete", sql("DELETE FROM discharge_return"),
     "a returned discharge summary is kept as returned"),
    ("discharge_void_insert", add_void("signed_discharge"),
     "a signed discharge summary is corrected, not voided"),
    ("discharge_void_update", sql("UPDATE discharge_void SET reason = 'x'"),
     "a discharge entered in error stays so"),
    ("discharge_void_delete", sql("DELETE FROM discharge_void"),
     "a discharge entered in error stays so"),
    ("discharge_voided_update",
     sql("UPDATE discharge SET reason = 'other' WHERE id = :id", "voided_discharge"),
     "a discharge entered in error never changes"),
    ("discharge_voided_delete", sql("DELETE FROM discharge WHERE id = :id", "voided_discharge"),
     "a discharge entered in error is kept"),
)  # fmt: skip

ALLOWED: tuple[Step, ...] = (
    sql("UPDATE participant_note SET mood = 'Anxious', fields = '{}' WHERE id = :id", "draft_note"),
    sql("UPDATE participant_note SET updated_at = updated_at WHERE id = :id", "signed_note"),
    sql("UPDATE participant_note SET status = 'returned' WHERE id = :id", "awaiting_note"),
    sql("UPDATE participant_note SET status = 'awaiting_cosign' WHERE id = :id", "awaiting_note"),
    sql("UPDATE participant_note SET status = 'cosigned' WHERE id = :id", "awaiting_note"),
    sql("UPDATE measure_result SET total = 3 WHERE id = :id", "corrected_result"),
    sql("UPDATE discharge SET status = 'signed' WHERE id = :id", "awaiting_discharge"),
    sql("DELETE FROM participant_note WHERE id = :id", "draft_note"),
)


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    with database.engine.connect() as connection:
        return {
            table: sorted(map(tuple, connection.execute(text(f"SELECT * FROM {table}"))), key=str)
            for table in TABLES
        }


@pytest.fixture
def guarded(storage: Storage, tmp_path: Path) -> tuple[Database, Records]:
    database = storage.new_database(tmp_path)
    try:
        yield database, _record_everything(database)  # type: ignore[misc]
    finally:
        database.close()


def test_every_rule_refuses_with_its_message_and_changes_nothing(
    guarded: tuple[Database, Records],
) -> None:
    database, records = guarded
    before = snapshot(database)
    for rule, step, message in REFUSALS:
        with pytest.raises(IntegrityError) as refused, unit_of_work(database) as session:
            step(session, records)
        assert str(refused.value.orig).splitlines()[0] == message, rule
    assert snapshot(database) == before


def test_the_steps_the_app_takes_still_go_through(guarded: tuple[Database, Records]) -> None:
    database, records = guarded
    for step in ALLOWED:
        with unit_of_work(database) as session:
            assert step(session, records).rowcount == 1
    with unit_of_work(database) as session:
        assert session.get_one(ParticipantNote, records.awaiting_note).status == "cosigned"
        assert session.get_one(Discharge, records.awaiting_discharge).status == "signed"
        assert session.get(ParticipantNote, records.draft_note) is None
