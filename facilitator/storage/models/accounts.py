"""Clinicians' accounts, sign-in throttling, and the keys that sign PDFs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, LargeBinary, String, Uuid, false
from sqlalchemy.orm import Mapped, mapped_column

from facilitator.storage.models.base import Base, new_id
from facilitator.storage.types import utcnow


class Clinician(Base):
    __tablename__ = "clinician"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(100), default="")
    npi: Mapped[str | None] = mapped_column(String(10))  # printed on documents
    license_number: Mapped[str | None] = mapped_column(String(50))
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
