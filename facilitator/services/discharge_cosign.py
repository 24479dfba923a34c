"""Co-signing an associate's discharge summary: the supervisor's queue, co-sign, return.

An author who needs co-signature signs the summary into the queue of their supervisor (of every
supervisor when none is assigned): it is locked and awaits co-signature. The supervisor co-signs
it ("reviewed and approved", the password asked again, the SHA-256 of the content the author
signed), which signs it for good, or returns it with a comment. A returned summary goes back to
draft: it is one document built from the records, not a note answered by addenda, so its author
corrects the discharge and signs it again. The version returned is kept (content, hash, author,
when signed) with the comment; neither that nor a co-signature ever changes (the database
refuses it too). A clinician never co-signs their own summary.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from facilitator import content
from facilitator.domain.discharge import DischargeReason, SummaryStatus
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import content_hash
from facilitator.domain.people import display_name
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from facilitator.services.signing import PasswordSigned, Stamp
from facilitator.storage.models import (
    Clinician,
    Discharge,
    DischargeCosignature,
    DischargeReturn,
    DischargeVoid,
)
from facilitator.storage.unit_of_work import unit_of_work

OBJECT = "discharge"


@dataclass(frozen=True)
class SummaryCosignRow:
    """A discharge summary in a supervisor's queue: awaiting co-signature, or returned to its
    author (back to draft) and not yet signed again."""

    discharge_id: uuid.UUID
    participant_id: uuid.UUID
    discharged: date
    group: str
    participant: str
    chart_number: str
    author: str
    reason: str  # the discharge reason, as people read it
    awaiting: bool  # False: returned, waiting for the author
    signed_at: datetime | None  # the author's signature, aware UTC
    comment: str  # the latest return's comment

    @property
    def note_id(self) -> uuid.UUID:
        """The row's key in the co-sign queue, beside notes: the discharge's id."""
        return self.discharge_id


@dataclass(frozen=True)
class SummaryReview:
    """Where a summary stands in review: who signed, who co-signed, the latest return."""

    author: str = ""  # who signed it ("" for a draft)
    cosigner: str = ""  # who co-signed it ("" until co-signed)
    returned_by: str = ""  # who last returned it ("" when never returned)
    returned_at: datetime | None = None
    comment: str = ""


class SummaryCosigning(PasswordSigned):
    """The supervisor's side of a discharge summary; each call is one committed transaction
    with its audit entries."""

    def cosign_queue(self, user: SignedInUser) -> list[SummaryCosignRow]:
        """Summaries this supervisor may co-sign, and those they returned still in draft."""
        if not user.can_cosign:
            return []
        with unit_of_work(self._database) as session:
            awaiting = session.scalars(
                select(Discharge).where(Discharge.status == SummaryStatus.AWAITING_COSIGN.value)
            ).all()
            returned = session.scalars(
                select(Discharge)
                .where(Discharge.status == SummaryStatus.DRAFT.value, standing())
                .where(Discharge.id.in_(select(DischargeReturn.discharge_id)))
            ).all()
            rows = [
                _queue_row(session, row)
                for row in [*awaiting, *returned]
                if _may_review(session, row, user) is None
            ]
            return sorted(rows, key=lambda r: (not r.awaiting, r.discharged, r.participant))

    def cosign(self, user: SignedInUser, password: str, discharge_ids: Sequence[uuid.UUID]) -> int:
        """Co-sign exactly these summaries, all or none, after the password is asked again."""
        if not discharge_ids:
            raise DomainError("Choose the discharge summaries to co-sign.")
        one = str(discharge_ids[0]) if len(discharge_ids) == 1 else None
        self._confirm(
            user,
            password,
            AuditAction.COSIGN,
            object_type=OBJECT,
            object_id=one,
            detail={"count": len(discharge_ids)},
        )
        stamp = self.stamp()
        with unit_of_work(self._database) as session:
            for discharge_id in discharge_ids:
                row = discharge_row(session, discharge_id)
                _check_awaiting(session, row, user, "co-signed")
                if content_hash(row.content or {}) != row.content_hash:
                    raise DomainError(
                        f"{_who(row)}: the summary no longer matches the hash its author "
                        "signed, so it cannot be co-signed. Tell the clinic's administrator."
                    )
                session.add(_cosignature(row, user, stamp))
                session.flush()  # the database lets the summary lock only once co-signed
                row.status = SummaryStatus.SIGNED.value
                self._record(session, user, AuditAction.COSIGN, row)
        return len(discharge_ids)

    def return_to_author(self, user: SignedInUser, discharge_id: uuid.UUID, comment: str) -> None:
        """Send a summary awaiting co-signature back to draft with a comment for its author;
        the version returned is kept."""
        if not comment.strip():
            raise DomainError("Say what the author should address before returning the summary.")
        with unit_of_work(self._database) as session:
            row = discharge_row(session, discharge_id)
            _check_awaiting(session, row, user, "returned")
            assert row.content is not None and row.content_hash and row.signed_at
            session.add(
                DischargeReturn(
                    discharge_id=row.id,
                    returned_by=user.id,
                    returned_at=self._now(),
                    comment=comment.strip(),
                    content=row.content,
                    content_hash=row.content_hash,
                    signed_by=row.signed_by,
                    signed_at=row.signed_at,
                )
            )
            session.flush()  # the database lets the summary reopen only once the return is kept
            _unsign(row)
            self._record(session, user, AuditAction.RETURN, row)

    def _record(
        self,
        session: Session,
        user: SignedInUser,
        action: AuditAction,
        row: Discharge,
        detail: dict[str, str | int | bool | None] | None = None,
    ) -> None:
        self._audit.record(
            session,
            actor=user.id,
            action=action,
            object_type=OBJECT,
            object_id=str(row.id),
            detail={"participant_id": str(row.enrollment.participant_id), **(detail or {})},
        )


def standing() -> ColumnElement[bool]:
    """Discharges not marked entered in error."""
    return ~exists().where(DischargeVoid.discharge_id == Discharge.id)


def discharge_row(session: Session, discharge_id: uuid.UUID) -> Discharge:
    row = session.get(Discharge, discharge_id)
    if row is None:
        raise DomainError("That discharge is no longer in the records.")
    return row


def summary_review(session: Session, row: Discharge) -> SummaryReview:
    """Who signed, co-signed and last returned the summary."""
    cosignature = cosignature_of(session, row)
    returned = _latest_return(session, row)
    returner_id = returned.returned_by if returned else None
    returner = session.get(Clinician, returner_id) if returner_id else None
    return SummaryReview(
        author=row.printed_name or "",
        cosigner=cosignature.printed_name if cosignature else "",
        returned_by=returner.display_name if returner else "",
        returned_at=returned.returned_at if returned else None,
        comment=returned.comment if returned else "",
    )


def cosignature_of(session: Session, row: Discharge) -> DischargeCosignature | None:
    return session.scalars(
        select(DischargeCosignature).where(DischargeCosignature.discharge_id == row.id)
    ).first()


def _latest_return(session: Session, row: Discharge) -> DischargeReturn | None:
    return session.scalars(
        select(DischargeReturn)
        .where(DischargeReturn.discharge_id == row.id)
        .order_by(DischargeReturn.returned_at.desc())
        .limit(1)
    ).first()


def _queue_row(session: Session, row: Discharge) -> SummaryCosignRow:
    enrollment = row.enrollment
    participant = enrollment.participant
    assert enrollment.discharged is not None
    awaiting = row.status == SummaryStatus.AWAITING_COSIGN.value
    returned = _latest_return(session, row)
    author_id = row.signed_by if awaiting else (returned.signed_by if returned else None)
    author = session.get(Clinician, author_id) if author_id else None
    return SummaryCosignRow(
        discharge_id=row.id,
        participant_id=participant.id,
        discharged=enrollment.discharged,
        group=enrollment.group.name,
        participant=display_name(
            participant.legal_first, participant.legal_last, participant.preferred_name
        ),
        chart_number=participant.chart_number,
        author=_signed_name(author),
        reason=DischargeReason(row.reason).label,
        awaiting=awaiting,
        signed_at=row.signed_at if awaiting else None,
        comment=returned.comment if returned else "",
    )


def _signed_name(who: Clinician | None) -> str:
    """'Sam Okafor, LAC', as the queue names a note's author."""
    if who is None:
        return ""
    return f"{who.display_name}, {who.credentials}" if who.credentials else who.display_name


def _author_id(session: Session, row: Discharge) -> uuid.UUID | None:
    """Who signed the summary; for a returned draft, who signed the version returned."""
    if row.status == SummaryStatus.AWAITING_COSIGN.value:
        return row.signed_by
    returned = _latest_return(session, row)
    return returned.signed_by if returned else None


def _may_review(session: Session, row: Discharge, user: SignedInUser) -> str | None:
    """Why `user` may not co-sign or return the summary, or None when they may."""
    author_id = _author_id(session, row)
    if author_id == user.id:
        return "a clinician cannot co-sign their own discharge summary."
    author = session.get(Clinician, author_id) if author_id else None
    assigned = author.supervisor_id if author else None
    if not user.can_cosign or assigned not in (None, user.id):
        return "this discharge summary is in another supervisor's queue."
    return None


def _check_awaiting(session: Session, row: Discharge, user: SignedInUser, done: str) -> None:
    if row.status != SummaryStatus.AWAITING_COSIGN.value:
        raise DomainError(
            f"{_who(row)}: the summary is not awaiting co-signature, so it cannot be {done}."
        )
    refusal = _may_review(session, row, user)
    if refusal:
        raise DomainError(f"{_who(row)}: {refusal}")


def _cosignature(row: Discharge, who: SignedInUser, stamp: Stamp) -> DischargeCosignature:
    words = content.signature_texts()["cosigner"]
    assert row.content_hash is not None
    return DischargeCosignature(
        discharge_id=row.id,
        cosigned_by=who.id,
        printed_name=who.display_name,
        credentials=who.credentials,
        signed_at=stamp.at,
        time_zone=stamp.zone,
        utc_offset=stamp.utc_offset,
        meaning=words.meaning,
        attestation=words.attestation,
        content_hash=row.content_hash,
    )


def _unsign(row: Discharge) -> None:
    """Back to draft: the summary is built from the records again until it is signed."""
    row.status = SummaryStatus.DRAFT.value
    row.content = row.content_hash = row.signed_by = None
    row.printed_name = row.credentials = row.signed_at = None
    row.time_zone = row.utc_offset = row.meaning = row.attestation = None


def _who(row: Discharge) -> str:
    """Names the summary in a message by chart number, never by name."""
    return f"Discharge summary for chart {row.enrollment.participant.chart_number}"
