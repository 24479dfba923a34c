"""Participants, their enrollments in groups, treatment goals and discharges."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.storage.models.base import Base, new_id
from facilitator.storage.types import utcnow

if TYPE_CHECKING:
    from facilitator.storage.models.programs import Group


class Participant(Base):
    __tablename__ = "participant"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    chart_number: Mapped[str] = mapped_column(String(50), unique=True)
    legal_first: Mapped[str] = mapped_column(String(100))
    legal_last: Mapped[str] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    pronouns: Mapped[str | None] = mapped_column(String(50))
    date_of_birth: Mapped[date] = mapped_column(Date)
    recovery_start: Mapped[date | None] = mapped_column(Date)

    enrollments: Mapped[list[Enrollment]] = relationship(
        back_populates="participant", order_by="Enrollment.admitted"
    )
    goals: Mapped[list[TreatmentGoal]] = relationship(
        back_populates="participant", order_by="TreatmentGoal.sequence"
    )


class Enrollment(Base):
    __tablename__ = "enrollment"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant.id"), index=True)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_group.id"), index=True)
    admitted: Mapped[date] = mapped_column(Date)
    discharged: Mapped[date | None] = mapped_column(Date)
    discharge_reason: Mapped[str | None] = mapped_column(String(200))
    # Ended by a transfer or step-down (not a discharge): the enrollment it continues in.
    transferred_to_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("enrollment.id"))

    participant: Mapped[Participant] = relationship(back_populates="enrollments")
    group: Mapped[Group] = relationship()


class ParticipantChange(Base):
    """One edit of a participant's details: the field, what it was and is now, why, who, when."""

    __tablename__ = "participant_change"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant.id"), index=True)
    field: Mapped[str] = mapped_column(String(50))
    was: Mapped[str | None] = mapped_column(Text)
    now: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class TreatmentGoal(Base):
    __tablename__ = "treatment_goal"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active, met, discontinued
    created_on: Mapped[date] = mapped_column(Date)

    participant: Mapped[Participant] = relationship(back_populates="goals")


class Discharge(Base):
    """An enrollment's discharge: reason, transition plan, and the summary signed like a note.

    Once signed, `content` is the summary as signed and nothing here changes. A discharge
    entered in error (`void`) is kept as it was; its enrollment may be discharged again.
    """

    __tablename__ = "discharge"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollment.id"), index=True)
    reason: Mapped[str] = mapped_column(String(30))  # domain.discharge.DischargeReason
    plan: Mapped[dict[str, Any]] = mapped_column()  # domain.discharge.TransitionPlan
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    content: Mapped[dict[str, Any] | None] = mapped_column()
    content_hash: Mapped[str | None] = mapped_column(String(64))
    signed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    printed_name: Mapped[str | None] = mapped_column(String(200))
    credentials: Mapped[str | None] = mapped_column(String(100))
    signed_at: Mapped[datetime | None] = mapped_column()
    time_zone: Mapped[str | None] = mapped_column(String(64))
    utc_offset: Mapped[str | None] = mapped_column(String(6))
    meaning: Mapped[str | None] = mapped_column(String(200))
    attestation: Mapped[str | None] = mapped_column(Text)

    enrollment: Mapped[Enrollment] = relationship()
    void: Mapped[DischargeVoid | None] = relationship(back_populates="discharge")


class DischargeVoid(Base):
    """A discharge entered in error (the wrong participant or the wrong date), marked before
    its summary was signed: the day it was recorded on, why, who and when. Its enrollment
    reopens; neither this row nor the discharge changes again (the database refuses it too)."""

    __tablename__ = "discharge_void"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    discharge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("discharge.id"), unique=True)
    discharged: Mapped[date] = mapped_column(Date)  # the day the discharge was recorded on
    reason: Mapped[str] = mapped_column(Text)
    voided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    voided_at: Mapped[datetime] = mapped_column(default=utcnow)

    discharge: Mapped[Discharge] = relationship(back_populates="void")


class DischargeCosignature(Base):
    """A supervisor's co-signature ("reviewed and approved") of an associate's discharge
    summary: of the content its author signed (same hash). It never changes (the database
    refuses it too)."""

    __tablename__ = "discharge_cosignature"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    discharge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("discharge.id"), unique=True)
    cosigned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    printed_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[datetime] = mapped_column()
    time_zone: Mapped[str] = mapped_column(String(64))
    utc_offset: Mapped[str] = mapped_column(String(6))
    meaning: Mapped[str] = mapped_column(String(200))
    attestation: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))


class DischargeReturn(Base):
    """A discharge summary returned to its author with a comment: the version returned (content,
    hash, author, when signed) is kept here, as the summary goes back to draft. It never changes
    (the database refuses it too)."""

    __tablename__ = "discharge_return"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    discharge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("discharge.id"), index=True)
    returned_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    returned_at: Mapped[datetime] = mapped_column(default=utcnow)
    comment: Mapped[str] = mapped_column(Text)
    content: Mapped[dict[str, Any]] = mapped_column()
    content_hash: Mapped[str] = mapped_column(String(64))
    signed_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    signed_at: Mapped[datetime] = mapped_column()
