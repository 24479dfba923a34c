"""An associate's discharge summary awaits their supervisor's co-signature, like a note: the
supervisor co-signs it (same hash) or returns it to draft with a comment; on a copy of the demo
clinic (a real SQLCipher file)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from facilitator.app import Clinic
from facilitator.domain.discharge import (
    DischargeReason,
    SummaryStatus,
    TransitionPlan,
)
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.record_check import RecordState, check_records
from facilitator.storage.models import AuditEvent, DischargeReturn
from facilitator.storage.unit_of_work import unit_of_work
from reports import discharge_summary
from tests.integration.discharges import (
    PASSWORD,
    PLAN,
    clinic_with_one_password,
    discharged,
)
from tests.storage_backends import Storage
from tests.users import signed_in


@pytest.fixture(scope="module")
def clinic(
    module_storage: Storage,
    demo_clinics: Callable[[Storage], tuple[Path, dict[str, str]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Clinic]:
    """A copy of the demo clinic, on SQLCipher and on PostgreSQL."""
    folder = tmp_path_factory.mktemp("cosign") / "clinic"
    source = demo_clinics(module_storage)[0]
    with clinic_with_one_password(source, folder, module_storage) as opened:
        yield opened


def user(clinic: Clinic, name: str) -> SignedInUser:
    return signed_in(clinic.database, name)


def audit(clinic: Clinic, object_id: uuid.UUID) -> list[tuple[str, str]]:
    with unit_of_work(clinic.database) as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.outcome)
            .where(AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.sequence)
        )
        return [(action, outcome) for action, outcome in rows]


def test_an_associates_summary_awaits_and_is_cosigned_with_the_same_hash(clinic: Clinic) -> None:
    associate, supervisor = user(clinic, "sokafor"), user(clinic, "jlee")
    participant_id, discharge_id = discharged(clinic, 1, "sokafor")
    signed = clinic.discharges.sign(associate, PASSWORD, discharge_id)
    assert signed.awaiting_cosign and signed.cosignature is None
    latest = next(
        r for r in clinic.discharges.cosign_queue(supervisor) if r.discharge_id == discharge_id
    )
    assert latest.awaiting and latest.author == "Sam Okafor, LAC"
    assert clinic.discharges.cosign_queue(associate) == []  # not a supervisor
    assert clinic.discharges.cosign_queue(user(clinic, "mreyes")) == []
    with pytest.raises(DomainError, match="signed and locked while it awaits co-signature"):
        clinic.discharges.update(associate, discharge_id, DischargeReason.ADMINISTRATIVE, PLAN)
    with (
        pytest.raises((IntegrityError, DatabaseError), match="awaiting co-signature is locked"),
        unit_of_work(clinic.database) as session,
    ):
        session.execute(
            text("UPDATE discharge SET status = 'signed' WHERE id = :id"),
            {"id": discharge_id.hex},
        )
    with pytest.raises(DomainError, match=r"password|not right|wrong"):
        clinic.discharges.cosign(supervisor, "wrong", [discharge_id])
    assert clinic.discharges.cosign(supervisor, PASSWORD, [discharge_id]) == 1

    document = clinic.discharges.document(discharge_id)
    assert document.signature is not None and document.cosignature is not None
    assert document.cosignature.content_hash == document.signature.content_hash
    assert document.cosignature.meaning == "Reviewed and approved"
    assert not document.awaiting_cosign
    assert discharge_id not in {r.discharge_id for r in clinic.discharges.cosign_queue(supervisor)}
    with pytest.raises(DomainError, match="not awaiting co-signature"):
        clinic.discharges.cosign(supervisor, PASSWORD, [discharge_id])
    state = clinic.discharges.latest(participant_id)
    assert state is not None and state.status is SummaryStatus.SIGNED
    assert (state.review.author, state.review.cosigner) == ("Sam Okafor", "Jordan Lee")
    assert audit(clinic, discharge_id) == [
        ("create", "success"),
        ("sign", "success"),
        ("cosign", "refused"),
        ("cosign", "success"),
    ]

    words = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in PdfReader(BytesIO(discharge_summary.build(document).data)).pages
    )
    assert "Electronically signed by: Sam Okafor, LAC" in words
    assert "Electronically signed by: Jordan Lee, LCSW, LCADC" in words
    assert "Reviewed and approved" in words
    with unit_of_work(clinic.database) as session:
        (check,) = check_records(session, [(str(discharge_id), document.signature.content_hash)])
    assert check.state is RecordState.MATCHES


def test_a_returned_summary_goes_back_to_draft_and_keeps_what_was_returned(
    clinic: Clinic,
) -> None:
    associate, supervisor = user(clinic, "sokafor"), user(clinic, "jlee")
    participant_id, discharge_id = discharged(clinic, 2, "sokafor")
    first = clinic.discharges.sign(associate, PASSWORD, discharge_id)
    assert first.signature is not None
    with pytest.raises(DomainError, match="what the author should address"):
        clinic.discharges.return_to_author(supervisor, discharge_id, "  ")
    with pytest.raises(DomainError, match="cannot co-sign their own"):
        clinic.discharges.return_to_author(associate, discharge_id, "Fine")
    clinic.discharges.return_to_author(supervisor, discharge_id, "Name the follow-up clinic.")

    state = clinic.discharges.latest(participant_id)
    assert state is not None and state.status is SummaryStatus.DRAFT
    assert state.review.returned_by == "Jordan Lee"
    assert state.review.comment == "Name the follow-up clinic."
    assert clinic.discharges.document(discharge_id).draft
    (queued,) = [
        r for r in clinic.discharges.cosign_queue(supervisor) if r.discharge_id == discharge_id
    ]
    assert not queued.awaiting and queued.comment == "Name the follow-up clinic."
    with unit_of_work(clinic.database) as session:
        (kept,) = session.scalars(
            select(DischargeReturn).where(DischargeReturn.discharge_id == discharge_id)
        ).all()
        assert kept.content_hash == first.signature.content_hash and kept.content
    with (
        pytest.raises((IntegrityError, DatabaseError), match="kept as returned"),
        unit_of_work(clinic.database) as session,
    ):
        session.execute(text("DELETE FROM discharge_return"))

    better = TransitionPlan(next_level_of_care="Standard outpatient", follow_up="Riverside clinic")
    clinic.discharges.update(associate, discharge_id, DischargeReason.COMPLETED, better)
    again = clinic.discharges.sign(associate, PASSWORD, discharge_id)
    assert again.awaiting_cosign and again.summary.plan.follow_up == "Riverside clinic"
    clinic.discharges.cosign(supervisor, PASSWORD, [discharge_id])
    assert audit(clinic, discharge_id) == [
        ("create", "success"),
        ("sign", "success"),
        ("return", "success"),
        ("edit", "success"),
        ("sign", "success"),
        ("cosign", "success"),
    ]


def test_a_licensed_clinicians_summary_needs_no_cosignature(clinic: Clinic) -> None:
    _, discharge_id = discharged(clinic, 3, "sokafor")
    signed = clinic.discharges.sign(user(clinic, "mreyes"), PASSWORD, discharge_id)
    assert not signed.awaiting_cosign
    supervisor = user(clinic, "jlee")
    assert discharge_id not in {r.discharge_id for r in clinic.discharges.cosign_queue(supervisor)}
    with pytest.raises(DomainError, match="not awaiting co-signature"):
        clinic.discharges.return_to_author(supervisor, discharge_id, "Why?")
