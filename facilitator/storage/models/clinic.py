"""Clinic-wide records: the audit log and the settings kept with the records."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.storage.models.base import Base, new_id
from facilitator.storage.types import utcnow


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
