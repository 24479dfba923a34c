"""A discharge recorded in error (the wrong participant or date) is marked entered in error while
its summary is a draft: kept with why, who and when, its enrollment reopened; a signed one is
refused. On a copy of the demo clinic (a real SQLCipher file)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from facilitator.app import Clinic
from facilitator.documents.common import DocumentNotFoundError
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.discharge import (
    DischargeReason,
    DischargeRequest,
    SummaryStatus,
)
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.storage.models import (
    AuditEvent,
    Discharge,
    DischargeVoid,
    Enrollment,
    GroupSession,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.integration.discharges import (
    PASSWORD,
    PLAN,
    TODAY,
    clinic_with_one_password,
    discharged,
)
from tests.storage_backends import Storage
from tests.users import signed_in

WHY = "Recorded for the wrong participant"


@pytest.fixture(scope="module")
def clinic(
    module_storage: Storage,
    demo_clinics: Callable[[Storage], tuple[Path, dict[str, str]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Clinic]:
    """A copy of the demo clinic, on SQLCipher and on PostgreSQL."""
    folder = tmp_path_factory.mktemp("discharge_void") / "clinic"
    source = demo_clinics(module_storage)[0]
    with clinic_with_one_password(source, folder, module_storage) as opened:
        yield opened


def user(clinic: Clinic, name: str) -> SignedInUser:
    return signed_in(clinic.database, name)


def todays_block(clinic: Clinic, participant_id: uuid.UUID) -> tuple[uuid.UUID, set[uuid.UUID]]:
    """The first block of the participant's group today and who is on its roster."""
    with unit_of_work(clinic.database) as session:
        group_id = session.scalars(
            select(Enrollment.group_id).where(Enrollment.participant_id == participant_id)
        ).first()
        session_id = session.scalars(
            select(GroupSession.id).where(
                GroupSession.group_id == group_id, GroupSession.day == TODAY
            )
        ).one()
    block = clinic.runner.sheet(session_id).blocks[0]
    return block.block_id, {e.participant_id for e in block.roster}


def test_a_draft_discharge_entered_in_error_is_kept_and_the_enrollment_reopens(
    clinic: Clinic,
) -> None:
    mreyes = user(clinic, "mreyes")
    participant_id, discharge_id = discharged(clinic, 0, "mreyes")
    block_id, roster = todays_block(clinic, participant_id)
    assert participant_id not in roster
    with pytest.raises(DomainError, match="Say why"):
        clinic.discharges.mark_entered_in_error(mreyes, discharge_id, "  ")
    voided = clinic.discharges.mark_entered_in_error(mreyes, discharge_id, f" {WHY} ")
    assert (voided.discharged, voided.reason, voided.why) == (
        TODAY - timedelta(days=1),
        DischargeReason.COMPLETED,
        WHY,
    )
    assert voided.by == mreyes.display_name and voided.at.tzinfo is not None
    assert clinic.discharges.voided(participant_id) == [voided]
    assert clinic.discharges.latest(participant_id) is None
    with pytest.raises(DocumentNotFoundError, match="not been discharged"):
        clinic.discharges.find(participant_id)
    with pytest.raises(DocumentNotFoundError, match="entered in error"):
        clinic.discharges.document(discharge_id)
    with pytest.raises(DomainError, match="entered in error"):
        clinic.discharges.mark_entered_in_error(mreyes, discharge_id, WHY)
    with pytest.raises(DomainError, match="entered in error"):
        clinic.discharges.update(mreyes, discharge_id, DischargeReason.ADMINISTRATIVE, PLAN)
    with unit_of_work(clinic.database) as session:
        group_id = session.scalars(
            select(Enrollment.group_id).where(Enrollment.participant_id == participant_id)
        ).one()
    with pytest.raises(DomainError, match="still enrolled"):
        clinic.discharges.readmit(mreyes, participant_id, group_id, TODAY)
    # back on the rosters, attending again, and the discharge row kept as it was
    block_id, roster = todays_block(clinic, participant_id)
    assert participant_id in roster
    clinic.runner.record_attendance(block_id, participant_id, AttendanceStatus.PRESENT)
    with unit_of_work(clinic.database) as session:
        row = session.get(Discharge, discharge_id)
        assert row is not None and row.void is not None
        assert row.status == SummaryStatus.DRAFT.value and row.enrollment.discharged is None
        entries = session.execute(
            select(AuditEvent.action, AuditEvent.detail)
            .where(AuditEvent.object_id == str(discharge_id))
            .order_by(AuditEvent.sequence)
        ).all()
    assert [action for action, _ in entries] == ["create", "edit"]
    assert entries[-1][1]["entered_in_error"] == str(row.void.id)
    assert WHY not in str(entries[-1][1])

    # the same enrollment is discharged again, on the right day
    request = DischargeRequest(TODAY, DischargeReason.ADMINISTRATIVE, PLAN)
    again = clinic.discharges.discharge(mreyes, participant_id, request, TODAY)
    assert again.discharge_id != discharge_id
    latest = clinic.discharges.latest(participant_id)
    assert latest is not None and latest.discharge_id == again.discharge_id
    assert clinic.discharges.find(participant_id, TODAY).discharge_id == again.discharge_id
    with unit_of_work(clinic.database) as session:
        enrollments = {
            row.enrollment_id
            for row in session.scalars(
                select(Discharge).where(Discharge.id.in_([discharge_id, again.discharge_id]))
            )
        }
    assert len(enrollments) == 1


def test_the_database_keeps_a_voided_discharge_and_its_void(clinic: Clinic) -> None:
    mreyes = user(clinic, "mreyes")
    _, discharge_id = discharged(clinic, 0, "mreyes")
    clinic.discharges.mark_entered_in_error(mreyes, discharge_id, WHY)
    statements = (
        "UPDATE discharge_void SET reason = 'x'",
        "DELETE FROM discharge_void",
        f"UPDATE discharge SET reason = 'administrative' WHERE id = '{discharge_id.hex}'",
        f"DELETE FROM discharge WHERE id = '{discharge_id.hex}'",
    )
    for statement in statements:
        with (
            pytest.raises((IntegrityError, DatabaseError)),
            unit_of_work(clinic.database) as session,
        ):
            session.execute(text(statement))
    with unit_of_work(clinic.database) as session:
        assert session.get(Discharge, discharge_id) is not None
        voids = session.scalars(
            select(DischargeVoid).where(DischargeVoid.discharge_id == discharge_id)
        ).all()
        assert [v.reason for v in voids] == [WHY]


def test_a_signed_or_awaiting_summary_is_refused_and_nothing_changes(clinic: Clinic) -> None:
    mreyes = user(clinic, "mreyes")
    signed_participant, signed_id = discharged(clinic, 1, "mreyes")
    clinic.discharges.sign(mreyes, PASSWORD, signed_id)
    with pytest.raises(DomainError, match="signed record is corrected, not marked entered"):
        clinic.discharges.mark_entered_in_error(mreyes, signed_id, WHY)
    awaiting_participant, awaiting_id = discharged(clinic, 1, "sokafor")
    clinic.discharges.sign(user(clinic, "sokafor"), PASSWORD, awaiting_id)
    with pytest.raises(DomainError, match="signed record is corrected, not marked entered"):
        clinic.discharges.mark_entered_in_error(mreyes, awaiting_id, WHY)
    for participant_id in (signed_participant, awaiting_participant):
        assert clinic.discharges.voided(participant_id) == []
        assert clinic.discharges.latest(participant_id) is not None
    void = f"'{uuid.uuid4().hex}', '{signed_id.hex}', '2026-11-22', 'x', NULL, '2026-11-23'"
    with pytest.raises((IntegrityError, DatabaseError)), unit_of_work(clinic.database) as session:
        session.execute(text(f"INSERT INTO discharge_void VALUES ({void})"))


def test_a_returned_summary_voided_leaves_the_cosign_queue(clinic: Clinic) -> None:
    associate, supervisor = user(clinic, "sokafor"), user(clinic, "jlee")
    _, discharge_id = discharged(clinic, 1, "sokafor")
    clinic.discharges.sign(associate, PASSWORD, discharge_id)
    clinic.discharges.return_to_author(supervisor, discharge_id, "Add the follow-up.")
    assert discharge_id in {r.discharge_id for r in clinic.discharges.cosign_queue(supervisor)}
    clinic.discharges.mark_entered_in_error(associate, discharge_id, WHY)
    assert discharge_id not in {r.discharge_id for r in clinic.discharges.cosign_queue(supervisor)}


def test_a_discharge_is_not_voided_after_a_readmission(clinic: Clinic) -> None:
    mreyes = user(clinic, "mreyes")
    participant_id, discharge_id = discharged(clinic, 2, "mreyes")
    with unit_of_work(clinic.database) as session:
        group_id = session.scalars(
            select(Enrollment.group_id).where(Enrollment.participant_id == participant_id)
        ).first()
    assert group_id is not None
    clinic.discharges.readmit(mreyes, participant_id, group_id, TODAY)
    with pytest.raises(DomainError, match="readmitted after this discharge"):
        clinic.discharges.mark_entered_in_error(mreyes, discharge_id, WHY)
