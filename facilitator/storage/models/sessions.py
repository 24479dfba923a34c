"""Group sessions, their blocks, who facilitated them and who attended."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, ForeignKey, Integer, String, Text, Time, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.storage.models.base import Base, new_id
from facilitator.storage.types import utcnow

if TYPE_CHECKING:
    from facilitator.storage.models.accounts import Clinician
    from facilitator.storage.models.notes import ParticipantNote
    from facilitator.storage.models.people import Participant
    from facilitator.storage.models.programs import (
        BlockTemplate,
        CurriculumTopic,
        Group,
        Modality,
    )


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
    template_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("block_template.id"))
    room: Mapped[str | None] = mapped_column(String(100))  # None: the group's room

    session: Mapped[GroupSession] = relationship(back_populates="blocks")
    template: Mapped[BlockTemplate | None] = relationship()
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
    mode: Mapped[str] = mapped_column(  # in_person, video, telephone
        String(20), default="in_person", server_default="in_person"
    )
    arrived: Mapped[time | None] = mapped_column(Time)
    left: Mapped[time | None] = mapped_column(Time)
    absence_reason: Mapped[str | None] = mapped_column(String(300))
    added_reason: Mapped[str | None] = mapped_column(String(300))  # drop-in, new admission
    removed_reason: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    block: Mapped[Block] = relationship(back_populates="attendance")
    participant: Mapped[Participant] = relationship()


class ScheduleException(Base):
    """A change to the schedule on one day, with its reason: the clinic (group_id None) or a
    group closed; one block (template_id) cancelled, moved (start, end, room) or led by a
    substitute (clinician_id); or an extra one-off block (start, end, modality_id, room).
    Withdrawn rather than deleted, so the audit trail and Today agree on what was planned."""

    __tablename__ = "schedule_exception"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    day: Mapped[date] = mapped_column(Date, index=True)
    group_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("care_group.id"))
    kind: Mapped[str] = mapped_column(String(20))  # closed, cancelled, moved, substitute, extra
    template_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("block_template.id"))
    start: Mapped[time | None] = mapped_column(Time)
    end: Mapped[time | None] = mapped_column(Time)
    modality_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("modality.id"))
    room: Mapped[str | None] = mapped_column(String(100))
    clinician_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column()
