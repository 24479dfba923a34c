"""Programs, modalities and their curriculum, groups and their weekly schedule."""

from __future__ import annotations

import uuid
from datetime import time
from typing import TYPE_CHECKING, Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, Time, UniqueConstraint, Uuid
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
