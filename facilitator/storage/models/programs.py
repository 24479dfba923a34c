"""Programs, modalities and their curriculum, groups and their weekly schedule."""

from __future__ import annotations

import uuid
from datetime import date, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    Uuid,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.storage.models.base import Base, new_id

if TYPE_CHECKING:
    from facilitator.storage.models.accounts import Clinician


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
    days_per_week: Mapped[int] = mapped_column(Integer, default=4, server_default="4")
    late_entry_hours: Mapped[int] = mapped_column(Integer, default=24, server_default="24")
    # [{"code": "H0015", "modifiers": ["HQ"], "per": "day" | modality code, ...}]
    service_codes: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    groups: Mapped[list[Group]] = relationship(back_populates="program")


class Modality(Base):
    __tablename__ = "modality"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    interventions: Mapped[list[Any]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

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
    co_facilitator_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("clinician.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    capacity: Mapped[int | None] = mapped_column(Integer)  # more present is warned, not refused
    note_template: Mapped[str | None] = mapped_column(String(20))  # else the program's

    program: Mapped[Program] = relationship(back_populates="groups")
    default_facilitator: Mapped[Clinician | None] = relationship(
        foreign_keys=[default_facilitator_id]
    )
    co_facilitator: Mapped[Clinician | None] = relationship(foreign_keys=[co_facilitator_id])
    schedule: Mapped[list[BlockTemplate]] = relationship(
        back_populates="group",
        order_by="(BlockTemplate.weekday, BlockTemplate.start)",
        cascade="all, delete-orphan",
    )


class BlockTemplate(Base):
    """One weekly block of a group's schedule, in force from `effective_from` (NULL: always)
    until the day before `effective_until` (NULL: open)."""

    __tablename__ = "block_template"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_group.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)  # 0 = Monday
    start: Mapped[time] = mapped_column(Time)
    end: Mapped[time] = mapped_column(Time)
    modality_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modality.id"))
    effective_from: Mapped[date | None] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)  # exclusive
    room: Mapped[str | None] = mapped_column(String(100))  # None: the group's room

    group: Mapped[Group] = relationship(back_populates="schedule")
    modality: Mapped[Modality] = relationship()


class NoteTemplateRecord(Base):
    """A note template as the clinic keeps it (domain.notes.NoteTemplate as data): the shipped
    GIRP, DAP, BIRP and SOAP, and the clinic's own."""

    __tablename__ = "note_template"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[list[Any]] = mapped_column(default=list)  # [{key, label, help, required, ...}]
    shipped: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
