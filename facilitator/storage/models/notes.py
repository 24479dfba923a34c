"""Participant notes and what follows them: signatures, addenda, co-signature review."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.storage.models.base import Base, new_id
from facilitator.storage.types import utcnow

if TYPE_CHECKING:
    from facilitator.storage.models.people import Participant
    from facilitator.storage.models.sessions import Block


class ParticipantNote(Base):
    __tablename__ = "participant_note"
    __table_args__ = (UniqueConstraint("block_id", "participant_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    block_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("block.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant.id"), index=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    template: Mapped[str] = mapped_column(String(20))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    mood: Mapped[str | None] = mapped_column(String(100))
    affect: Mapped[str | None] = mapped_column(String(100))
    participation: Mapped[str | None] = mapped_column(String(100))
    goals_addressed: Mapped[list[Any]] = mapped_column(default=list)  # [{goal_id, progress}]
    risk_flags: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    content_hash: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The service as the participant's documents showed it when signed (documents.common
    # BlockContext.as_json); None for drafts and for notes signed before revision 0009.
    signed_context: Mapped[dict[str, Any] | None] = mapped_column()
    # Which formula the content hash follows: 1 (the note's own fields, before 0009) or 2
    # (the note and its signed service context): services.notes_content.
    content_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    block: Mapped[Block] = relationship(back_populates="notes")
    participant: Mapped[Participant] = relationship()
    signatures: Mapped[list[Signature]] = relationship(
        back_populates="note", order_by="Signature.signed_at"
    )
    addenda: Mapped[list[Addendum]] = relationship(
        back_populates="note", order_by="Addendum.created_at"
    )
    reviews: Mapped[list[NoteReview]] = relationship(
        back_populates="note", order_by="NoteReview.created_at"
    )


class Signature(Base):
    __tablename__ = "signature"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant_note.id"), index=True)
    clinician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinician.id"))
    role: Mapped[str] = mapped_column(String(20))  # author, cosigner
    printed_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(100))
    npi: Mapped[str | None] = mapped_column(String(10))  # as signed (revision 0009 on)
    license_number: Mapped[str | None] = mapped_column(String(50))
    signed_at: Mapped[datetime] = mapped_column()
    time_zone: Mapped[str] = mapped_column(String(64))  # IANA name, as signed
    utc_offset: Mapped[str] = mapped_column(String(6))  # "-05:00", as signed
    meaning: Mapped[str] = mapped_column(String(200))
    attestation: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))

    note: Mapped[ParticipantNote] = relationship(back_populates="signatures")


class Addendum(Base):
    """Text added after a note was signed, signed on its own; append-only once signed."""

    __tablename__ = "addendum"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant_note.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinician.id"))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column()
    content_hash: Mapped[str | None] = mapped_column(String(64))
    printed_name: Mapped[str | None] = mapped_column(String(200))
    credentials: Mapped[str | None] = mapped_column(String(100))
    npi: Mapped[str | None] = mapped_column(String(10))
    license_number: Mapped[str | None] = mapped_column(String(50))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    utc_offset: Mapped[str | None] = mapped_column(String(6))
    attestation: Mapped[str | None] = mapped_column(Text)

    note: Mapped[ParticipantNote] = relationship(back_populates="addenda")


class NoteReview(Base):
    """A step of co-signature review other than the co-signature itself: a supervisor's return
    with a comment, or the author's resubmission. Append-only."""

    __tablename__ = "note_review"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    note_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant_note.id"), index=True)
    clinician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinician.id"))
    action: Mapped[str] = mapped_column(String(20))  # returned, resubmitted
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    note: Mapped[ParticipantNote] = relationship(back_populates="reviews")
