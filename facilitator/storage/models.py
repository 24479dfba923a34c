"""The relational model. Ids are UUIDs so records can later be created on any machine."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from facilitator.storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime,
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Clinician(Base):
    __tablename__ = "clinician"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))  # facilitator, supervisor, administrator
    needs_cosignature: Mapped[bool] = mapped_column(Boolean, default=False)
    supervisor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    must_change_password: Mapped[bool] = mapped_column(
        Boolean,
        default=False,
        server_default=false(),  # as migration 0002 added it
    )
    password_changed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed sign-ins under one username, known or not (so refusals never tell them apart).

    `key` is an HMAC of the username as typed (normalised), never the text itself: a password
    typed into the username field is not kept.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime | None]  # no attempt is checked before this instant
    locked_until: Mapped[datetime | None]


class Program(Base):
    __tablename__ = "program"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    level_of_care: Mapped[str] = mapped_column(String(100))
    weekly_target_minutes: Mapped[int] = mapped_column(Integer)
    daily_minimum_minutes: Mapped[int] = mapped_column(Integer, default=180)
    note_template: Mapped[str] = mapped_column(String(20), default="GIRP")
    length_weeks: Mapped[int | None] = mapped_column(Integer)  # planned program length
    measure_schedule: Mapped[dict[str, Any] | None] = mapped_column()  # domain.MeasureSchedule

    groups: Mapped[list[Group]] = relationship(back_populates="program")


class Modality(Base):
    __tablename__ = "modality"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    interventions: Mapped[list[Any]] = mapped_column(default=list)

    topics: Mapped[list[CurriculumTopic]] = relationship(
        back_populates="modality", order_by="CurriculumTopic.sequence"
    )


class CurriculumTopic(Base):
    __tablename__ = "curriculum_topic"
    __table_args__ = (UniqueConstraint("modality_id", "title"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    modality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modality.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    objectives: Mapped[list[Any]] = mapped_column(default=list)
    outline: Mapped[str] = mapped_column(Text, default="")
    handouts: Mapped[list[Any]] = mapped_column(default=list)

    modality: Mapped[Modality] = relationship(back_populates="topics")


class Group(Base):
    """A group or track within a program, meeting in one room on a weekly schedule."""

    __tablename__ = "care_group"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("program.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    room: Mapped[str] = mapped_column(String(100), default="")
    default_facilitator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    program: Mapped[Program] = relationship(back_populates="groups")
    default_facilitator: Mapped[Clinician | None] = relationship()
    schedule: Mapped[list[BlockTemplate]] = relationship(
        back_populates="group",
        order_by="(BlockTemplate.weekday, BlockTemplate.start)",
        cascade="all, delete-orphan",
    )


class BlockTemplate(Base):
    __tablename__ = "block_template"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_group.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    modality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modality.id"))

    group: Mapped[Group] = relationship(back_populates="schedule")
    modality: Mapped[Modality] = relationship()


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

    participant: Mapped[Participant] = relationship(back_populates="enrollments")
    group: Mapped[Group] = relationship()


class TreatmentGoal(Base):
    __tablename__ = "treatment_goal"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant.id"), index=True)
    sequence: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active, met, discontinued
    created_on: Mapped[date] = mapped_column(Date)

    participant: Mapped[Participant] = relationship(back_populates="goals")


class GroupSession(Base):
    """One group meeting on one date."""

    __tablename__ = "group_session"
    __table_args__ = (UniqueConstraint("group_id", "day"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_group.id"))
    day: Mapped[date] = mapped_column(Date, index=True)

    group: Mapped[Group] = relationship()
    blocks: Mapped[list[Block]] = relationship(back_populates="session", order_by="Block.sequence")


class Block(Base):
    __tablename__ = "block"
    __table_args__ = (UniqueConstraint("session_id", "sequence"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("group_session.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    modality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modality.id"))
    topic_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("curriculum_topic.id"))
    free_topic: Mapped[str | None] = mapped_column(String(300))
    planned_start: Mapped[time] = mapped_column(Time)
    planned_end: Mapped[time] = mapped_column(Time)
    actual_start: Mapped[time | None] = mapped_column(Time)
    actual_end: Mapped[time | None] = mapped_column(Time)
    interventions: Mapped[list[Any]] = mapped_column(default=list)
    other_interventions: Mapped[str] = mapped_column(Text, default="")
    group_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    session: Mapped[GroupSession] = relationship(back_populates="blocks")
    modality: Mapped[Modality] = relationship()
    topic: Mapped[CurriculumTopic | None] = relationship()
    facilitators: Mapped[list[BlockFacilitator]] = relationship(
        back_populates="block", cascade="all, delete-orphan"
    )
    attendance: Mapped[list[Attendance]] = relationship(back_populates="block")
    notes: Mapped[list[ParticipantNote]] = relationship(back_populates="block")


class BlockFacilitator(Base):
    __tablename__ = "block_facilitator"

    block_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("block.id"), primary_key=True)
    clinician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinician.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(20), default="lead")  # lead, co-facilitator

    block: Mapped[Block] = relationship(back_populates="facilitators")
    clinician: Mapped[Clinician] = relationship()


class Attendance(Base):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("block_id", "participant_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    block_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("block.id"), index=True)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # see domain.attendance.AttendanceStatus
    arrived: Mapped[time | None] = mapped_column(Time)
    left: Mapped[time | None] = mapped_column(Time)
    absence_reason: Mapped[str | None] = mapped_column(String(300))
    added_reason: Mapped[str | None] = mapped_column(String(300))  # drop-in, new admission
    removed_reason: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    block: Mapped[Block] = relationship(back_populates="attendance")
    participant: Mapped[Participant] = relationship()


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


class Measure(Base):
    """An outcome measure's definition (domain.measures.MeasureDefinition as data)."""

    __tablename__ = "measure_definition"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column()
    shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MeasureResult(Base):
    """One administration of a measure: the item scores, and the total and band they gave."""

    __tablename__ = "measure_result"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    participant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("participant.id"), index=True)
    measure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("measure_definition.id"))
    taken_on: Mapped[date] = mapped_column(Date)
    item_scores: Mapped[dict[str, Any]] = mapped_column()
    total: Mapped[int] = mapped_column(Integer)
    band: Mapped[str] = mapped_column(String(100))
    risk: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    measure: Mapped[Measure] = relationship()
    corrections: Mapped[list[MeasureCorrection]] = relationship(
        back_populates="result", order_by="MeasureCorrection.corrected_at"
    )
    void: Mapped[MeasureVoid | None] = relationship(back_populates="result")


class MeasureCorrection(Base):
    """One correction of a measure result: the result as it stood before it, who corrected it,
    when and why. The result row holds the corrected values; the original entry is the oldest
    correction's `previous_*`. Never changes once written (the database refuses it too)."""

    __tablename__ = "measure_correction"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    result_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("measure_result.id"), index=True)
    previous_taken_on: Mapped[date] = mapped_column(Date)
    previous_item_scores: Mapped[dict[str, Any]] = mapped_column()
    previous_total: Mapped[int] = mapped_column(Integer)
    previous_band: Mapped[str] = mapped_column(String(100))
    previous_risk: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    corrected_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    corrected_at: Mapped[datetime] = mapped_column(default=utcnow)

    result: Mapped[MeasureResult] = relationship(back_populates="corrections")


class MeasureVoid(Base):
    """A measure result marked entered in error (wrong participant, never given): who, when,
    why. The result stays, counting nowhere; neither it nor this row changes again (the database
    refuses it too)."""

    __tablename__ = "measure_void"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    result_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("measure_result.id"), unique=True)
    reason: Mapped[str] = mapped_column(Text)
    voided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    voided_at: Mapped[datetime] = mapped_column(default=utcnow)

    result: Mapped[MeasureResult] = relationship(back_populates="void")


class Discharge(Base):
    """An enrollment's discharge: reason, transition plan, and the summary signed like a note.

    Once signed, `content` is the summary as signed and nothing here changes.
    """

    __tablename__ = "discharge"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    enrollment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrollment.id"), unique=True)
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


class AuditEvent(Base):
    """An append-only record of who did what; never holds note text or names."""

    __tablename__ = "audit_event"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    sequence: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    clinician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    action: Mapped[str] = mapped_column(String(50))
    object_type: Mapped[str | None] = mapped_column(String(50))
    object_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20), default="success")
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    chain: Mapped[str] = mapped_column(String(64), default="")


class Setting(Base):
    """Clinic-wide settings that belong with the records (not QSettings)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column()


class SigningAuthority(Base):
    """The clinic's certificate authority for PDF signatures; its key is encrypted PKCS#8
    under a secret derived from the database key (security.certificates)."""

    __tablename__ = "signing_authority"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    clinic_id: Mapped[str] = mapped_column(String(64))
    certificate: Mapped[bytes] = mapped_column(LargeBinary)  # DER
    encrypted_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SigningKey(Base):
    """A clinician's PDF signing key pair: the certificate stays for verification; the key,
    encrypted PKCS#8 under their password, is erased when the key is retired."""

    __tablename__ = "signing_key"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    clinician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinician.id"), index=True)
    authority_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("signing_authority.id"))
    certificate: Mapped[bytes] = mapped_column(LargeBinary)  # DER
    encrypted_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    key_protection: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # KDF and salt
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column()
    retired_reason: Mapped[str | None] = mapped_column(String(50))
