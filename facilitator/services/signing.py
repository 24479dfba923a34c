"""Signing notes into the legal record: sign, co-sign, return with a comment, addenda.

Who signs what (a decision, enforced here):
- A note is signed by its author. A note with no author yet is signed by a facilitator of its
  block, who becomes its author. Signing the block or the day signs the notes of the blocks
  the user facilitates that they may sign and that are complete, and only the ones the user
  was shown: if the list changed since, nothing is signed and the user reviews it again.
- An author who needs co-signature signs into the queue of their supervisor (or of every
  supervisor when none is assigned); that supervisor co-signs or returns the note with a
  comment. A clinician never co-signs their own note.
- Addenda are added by the note's author or by a clinician who can co-sign.

Each action asks for the user's password again (except a return, which signs nothing), runs
in one transaction with its audit entries, and touches only the rows of the notes named: each
participant's note locks on its own. The row functions below (sign_note, cosign_note,
return_note, add_addendum) are the core that the service and the demo clinic share.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator import content
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import (
    NoteStatus,
    SignatureRole,
    check_transition,
    content_hash,
    signed_status,
)
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail, DetailValue
from facilitator.services.note_templates import templates
from facilitator.services.notes_content import canonical_addendum_content, canonical_note_content
from facilitator.services.signing_review import (
    CosignRow,
    NoteRecord,
    ReviewRow,
    cosign_queue,
    facilitates,
    load_note_record,
    review_rows,
)
from facilitator.storage.database import Database
from facilitator.storage.models import Addendum, Clinician, NoteReview, ParticipantNote, Signature
from facilitator.storage.types import utcnow
from facilitator.storage.unit_of_work import unit_of_work

NOTE = "participant_note"


class PasswordCheck(Protocol):
    """What signing needs from the accounts: the user's password, asked again."""

    def confirm_password(self, user: SignedInUser, password: str) -> None: ...


@dataclass(frozen=True)
class Stamp:
    """When something was signed: the instant, and the IANA zone of the clinic's clock."""

    at: datetime  # aware
    zone: str

    @property
    def local(self) -> datetime:
        return self.at.astimezone(ZoneInfo(self.zone))

    @property
    def utc_offset(self) -> str:
        """'-05:00', '+00:00'."""
        offset = self.local.strftime("%z")
        return f"{offset[:3]}:{offset[3:]}"


def local_zone_name() -> str:
    """This computer's IANA time zone, or UTC when the system does not say."""
    try:
        name = tzlocal.get_localzone_name()
        ZoneInfo(name or "")
    except (ZoneInfoNotFoundError, ValueError, LookupError):
        return "UTC"
    return name or "UTC"


# --- the core: one note at a time, inside the caller's transaction ---------------------------


def sign_note(session: Session, note: ParticipantNote, signer: SignedInUser, stamp: Stamp) -> None:
    """Sign a complete draft as its author: hash its canonical content and lock it."""
    status = NoteStatus(note.status)
    if status.locked:
        raise DomainError(f"{_who(note)}: the note is already signed.")
    if note.author_id is None and facilitates(session, signer.id, note.block_id):
        note.author_id = signer.id
    if note.author_id != signer.id:
        raise DomainError(f"{_who(note)}: only the note's author can sign it.")
    missing = templates(session)[note.template].missing_required(note.fields)
    if missing:
        labels = ", ".join(f.label for f in missing)
        raise DomainError(f"{_who(note)}: fill in {labels} before signing.")
    new_status = signed_status(signer.needs_cosignature)
    check_transition(status, new_status)
    digest = content_hash(canonical_note_content(note))
    note.content_hash = digest
    note.status = new_status.value
    session.add(_signature(note, signer, SignatureRole.AUTHOR, stamp, digest))


def cosign_note(
    session: Session, note: ParticipantNote, supervisor: SignedInUser, stamp: Stamp
) -> None:
    """Co-sign ("reviewed and approved") a note awaiting the supervisor's signature."""
    _check_reviewer(session, note, supervisor)
    check_transition(NoteStatus(note.status), NoteStatus.COSIGNED)
    digest = content_hash(canonical_note_content(note))
    if digest != note.content_hash:
        raise DomainError(
            f"{_who(note)}: the note no longer matches the hash its author signed, so it "
            "cannot be co-signed. Tell the clinic's administrator."
        )
    note.status = NoteStatus.COSIGNED.value
    session.add(_signature(note, supervisor, SignatureRole.COSIGNER, stamp, digest))


def return_note(
    session: Session,
    note: ParticipantNote,
    supervisor: SignedInUser,
    comment: str,
    at: datetime,
) -> None:
    """Send a note back to its author with a comment; it stays locked (answer: an addendum)."""
    if not comment.strip():
        raise DomainError("Say what the author should address before returning the note.")
    _check_reviewer(session, note, supervisor)
    check_transition(NoteStatus(note.status), NoteStatus.RETURNED)
    note.status = NoteStatus.RETURNED.value
    session.add(
        NoteReview(
            note_id=note.id,
            clinician_id=supervisor.id,
            action="returned",
            comment=comment.strip(),
            created_at=at,
        )
    )


def add_addendum(
    session: Session,
    note: ParticipantNote,
    author: SignedInUser,
    text: str,
    stamp: Stamp,
    resubmit: bool = False,
    *,
    by_facilitator: bool = False,
) -> Addendum:
    """Append a signed addendum to a signed note; `resubmit` sends a returned note back.

    `by_facilitator`: a facilitator of the note's block may add it too (attendance corrections).
    """
    if not NoteStatus(note.status).locked:
        raise DomainError("A draft is still open: change the note itself, then sign it.")
    if not text.strip():
        raise DomainError("Write the addendum's text first.")
    facilitator = by_facilitator and facilitates(session, author.id, note.block_id)
    if author.id != note.author_id and not author.can_cosign and not facilitator:
        raise DomainError("Only the note's author or a supervisor can add an addendum.")
    words = content.signature_texts()["addendum"]
    addendum = Addendum(
        id=uuid.uuid4(),
        note_id=note.id,
        author_id=author.id,
        text=text.strip(),
        created_at=stamp.at,
        signed_at=stamp.at,
        printed_name=author.display_name,
        credentials=author.credentials,
        time_zone=stamp.zone,
        utc_offset=stamp.utc_offset,
        attestation=words.attestation,
    )
    addendum.content_hash = content_hash(canonical_addendum_content(addendum, note))
    session.add(addendum)
    if resubmit:
        if author.id != note.author_id:
            raise DomainError("Only the note's author can resubmit it for co-signature.")
        check_transition(NoteStatus(note.status), NoteStatus.AWAITING_COSIGN)
        note.status = NoteStatus.AWAITING_COSIGN.value
        session.add(
            NoteReview(
                note_id=note.id, clinician_id=author.id, action="resubmitted", created_at=stamp.at
            )
        )
    return addendum


def _signature(
    note: ParticipantNote, who: SignedInUser, role: SignatureRole, stamp: Stamp, digest: str
) -> Signature:
    words = content.signature_texts()[role.value]
    return Signature(
        note_id=note.id,
        clinician_id=who.id,
        role=role.value,
        printed_name=who.display_name,
        credentials=who.credentials,
        signed_at=stamp.at,
        time_zone=stamp.zone,
        utc_offset=stamp.utc_offset,
        meaning=words.meaning,
        attestation=words.attestation,
        content_hash=digest,
    )


def _check_reviewer(session: Session, note: ParticipantNote, supervisor: SignedInUser) -> None:
    if note.author_id == supervisor.id:
        raise DomainError(f"{_who(note)}: a clinician cannot co-sign their own note.")
    author = session.get(Clinician, note.author_id) if note.author_id else None
    assigned = author.supervisor_id if author else None
    if not supervisor.can_cosign or assigned not in (None, supervisor.id):
        raise DomainError(f"{_who(note)}: this note is in another supervisor's queue.")


def _who(note: ParticipantNote) -> str:
    """Names the note in a message by participant chart number, never by name."""
    return f"Note for chart {note.participant.chart_number}"


# --- the service: password, one transaction, audit ------------------------------------------


class PasswordSigned:
    """What a service that signs records shares: the clock and zone of its stamps, and the
    password asked again before anything is signed (a wrong one is audited as refused)."""

    def __init__(
        self,
        database: Database,
        accounts: PasswordCheck,
        audit: AuditTrail,
        now: Callable[[], datetime] = utcnow,
        zone: str | None = None,
    ) -> None:
        self._database = database
        self._accounts = accounts
        self._audit = audit
        self._now = now
        self._zone = zone or local_zone_name()

    def stamp(self) -> Stamp:
        return Stamp(self._now(), self._zone)

    def _confirm(
        self,
        user: SignedInUser,
        password: str,
        action: AuditAction,
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        detail: Mapping[str, DetailValue] | None = None,
    ) -> None:
        """Ask the accounts; a wrong password is logged and nothing is signed."""
        try:
            self._accounts.confirm_password(user, password)
        except DomainError:
            with unit_of_work(self._database) as session:
                self._audit.record(
                    session,
                    actor=user.id,
                    action=action,
                    object_type=object_type,
                    object_id=object_id,
                    outcome="refused",
                    detail={"reason": "password", **(detail or {})},
                )
            raise


class Signing(PasswordSigned):
    """The signing use cases for the screens: review, sign, co-sign, return, addenda."""

    def review(self, user: SignedInUser, day: date) -> list[ReviewRow]:
        """Every note due in the blocks of `day` that the user facilitates or wrote notes in."""
        with unit_of_work(self._database) as session:
            return review_rows(session, user, day)

    def cosign_queue(self, user: SignedInUser) -> list[CosignRow]:
        with unit_of_work(self._database) as session:
            return cosign_queue(session, user)

    def note_record(self, note_id: uuid.UUID) -> NoteRecord:
        with unit_of_work(self._database) as session:
            return load_note_record(session, note_id)

    def sign(self, user: SignedInUser, password: str, note_ids: Sequence[uuid.UUID]) -> int:
        """Sign exactly these notes, all or none; returns how many were signed."""
        return self._sign_each(
            user, password, note_ids, AuditAction.SIGN, sign_note, "Choose the notes to sign."
        )

    def sign_block(
        self,
        user: SignedInUser,
        password: str,
        block_id: uuid.UUID,
        day: date,
        shown: Collection[uuid.UUID],
    ) -> int:
        """Sign every ready note of the block, provided they are exactly the ones shown."""
        ready = [n for r in self.review(user, day) if r.block_id == block_id and (n := r.ready_id)]
        return self._sign_shown(user, password, ready, shown)

    def sign_day(
        self, user: SignedInUser, password: str, day: date, shown: Collection[uuid.UUID]
    ) -> int:
        """Sign every ready note of the user's day, provided they are exactly the ones shown."""
        ready = [n for r in self.review(user, day) if (n := r.ready_id)]
        return self._sign_shown(user, password, ready, shown)

    def cosign(self, user: SignedInUser, password: str, note_ids: Sequence[uuid.UUID]) -> int:
        """Co-sign exactly these notes, all or none."""
        return self._sign_each(
            user,
            password,
            note_ids,
            AuditAction.COSIGN,
            cosign_note,
            "Choose the notes to co-sign.",
        )

    def return_to_author(self, user: SignedInUser, note_id: uuid.UUID, comment: str) -> None:
        with unit_of_work(self._database) as session:
            (note,) = _notes(session, [note_id])
            return_note(session, note, user, comment, self._now())
            self._record(session, user, AuditAction.RETURN, note.id)

    def add_addendum(
        self,
        user: SignedInUser,
        password: str,
        note_id: uuid.UUID,
        text: str,
        resubmit: bool = False,
    ) -> uuid.UUID:
        """Sign and append an addendum; with `resubmit`, a returned note goes back for review."""
        self._confirm(user, password, AuditAction.ADDENDUM, detail={"count": 1})
        with unit_of_work(self._database) as session:
            (note,) = _notes(session, [note_id])
            addendum = add_addendum(session, note, user, text, self.stamp(), resubmit)
            self._record(
                session,
                user,
                AuditAction.ADDENDUM,
                note.id,
                {"addendum": str(addendum.id), "resubmitted": resubmit},
            )
            return addendum.id

    def _sign_each(
        self,
        user: SignedInUser,
        password: str,
        note_ids: Sequence[uuid.UUID],
        action: AuditAction,
        step: Callable[[Session, ParticipantNote, SignedInUser, Stamp], None],
        none_chosen: str,
    ) -> int:
        """Confirm the password, then `step` every note in one transaction, each audited."""
        if not note_ids:
            raise DomainError(none_chosen)
        self._confirm(user, password, action, detail={"count": len(note_ids)})
        stamp = self.stamp()
        with unit_of_work(self._database) as session:
            for note in _notes(session, note_ids):
                step(session, note, user, stamp)
                self._record(session, user, action, note.id)
        return len(note_ids)

    def _sign_shown(
        self,
        user: SignedInUser,
        password: str,
        ready: list[uuid.UUID],
        shown: Collection[uuid.UUID],
    ) -> int:
        if set(ready) != set(shown):
            raise DomainError(
                "The notes ready to sign changed since you reviewed them (a note was finished, "
                "changed or signed elsewhere). Nothing was signed: review the list again."
            )
        return self.sign(user, password, ready)

    def _record(
        self,
        session: Session,
        user: SignedInUser,
        action: AuditAction,
        note_id: uuid.UUID,
        detail: dict[str, str | int | bool | None] | None = None,
    ) -> None:
        self._audit.record(
            session,
            actor=user.id,
            action=action,
            object_type=NOTE,
            object_id=str(note_id),
            detail=detail,
        )


def _notes(session: Session, note_ids: Sequence[uuid.UUID]) -> list[ParticipantNote]:
    """The notes in the order asked, each read once; a missing one is refused."""
    found = {
        n.id: n
        for n in session.scalars(select(ParticipantNote).where(ParticipantNote.id.in_(note_ids)))
    }
    if len(set(note_ids)) != len(note_ids) or set(note_ids) - found.keys():
        raise DomainError("A note asked for is no longer in the records (or was named twice).")
    return [found[i] for i in note_ids]
