"""Corrections of what a signed note depends on: the block's service and a participant's
attendance. Each row is the state the record takes ("now"), who and why; append-only. The
database admits a change to a locked block or attendance row only when it equals the latest
correction's state (migration 0009), and every affected note gets a signed addendum."""

from __future__ import annotations

import uuid
from datetime import datetime, time
from typing import Any

from sqlalchemy import ForeignKey, String, Text, Time, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.storage.models.base import Base, new_id
from facilitator.storage.types import utcnow


class BlockCorrection(Base):
    """A block's service fields as corrected (every protected column, changed or not)."""

    __tablename__ = "block_correction"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    block_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("block.id"), index=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("group_session.id"))
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
    room: Mapped[str | None] = mapped_column(String(100))
    fields: Mapped[list[Any]] = mapped_column(default=list)  # the names of what changed
    reason: Mapped[str] = mapped_column(Text)
    clinician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinician.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AttendanceCorrection(Base):
    """A participant's attendance in a block as corrected."""

    __tablename__ = "attendance_correction"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    attendance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attendance.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    mode: Mapped[str] = mapped_column(String(20))
    arrived: Mapped[time | None] = mapped_column(Time)
    left: Mapped[time | None] = mapped_column(Time)
    absence_reason: Mapped[str | None] = mapped_column(String(300))
    added_reason: Mapped[str | None] = mapped_column(String(300))
    removed_reason: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    clinician_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("clinician.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
