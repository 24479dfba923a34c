"""Outcome measures: definitions, results, corrections and entered-in-error marks."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilitator.storage.models.base import Base, new_id
from facilitator.storage.types import utcnow


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
