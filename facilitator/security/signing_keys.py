"""The clinic's PDF-signing certificates in the database: made on first use, never in plain text.

- The clinic's certificate authority is made the first time anyone signs; its private key is
  encrypted PKCS#8 under a secret derived (HKDF) from the database key, bound to the
  authority's id. Whoever can open the database can issue certificates; no one else can.
- A clinician's key pair is made the first time they sign an export, with a certificate from
  the authority naming them, their credentials, username and the clinic. Its private key is
  encrypted PKCS#8 under a secret stretched (Argon2id) from their password, so it can be used
  only with that password, and only for as long as one export takes.
- A change of one's own password re-encrypts the key (`rewrap_signing_key`); a password reset
  by an administrator retires it (`retire_signing_keys`): the private key is erased, the
  certificate stays so that documents signed with it still verify, and a new key pair is made
  at the next signed export.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.documents.provenance import clinic_id
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.security.certificates import (
    Authority,
    Signatory,
    SigningIdentity,
    certificate_der,
    database_secret,
    decrypt_key,
    encrypt_key,
    issue_certificate,
    load_certificate,
    new_authority,
    new_key,
    password_protection,
    password_secret,
    subject_name,
)
from facilitator.storage.models import SigningAuthority, SigningKey
from facilitator.storage.types import utcnow

PASSWORD_RESET = "password reset"
NEW_NAME = "name or credentials changed"


@dataclass(frozen=True)
class ClinicCertificates:
    """What this clinic trusts: its authority (normally one) and every clinician certificate
    it ever issued, retired ones included."""

    clinic_id: str
    authorities: tuple[x509.Certificate, ...]
    clinicians: tuple[x509.Certificate, ...]


def unlock_signing_key(
    session: Session,
    database_key: bytes,
    user: SignedInUser,
    password: str,
    audit: AuditTrail,
    now: datetime | None = None,
) -> SigningIdentity:
    """`user`'s signing key, unlocked with `password`; made (with its certificate) if missing.

    The caller must have confirmed `password` first (Accounts.confirm_password): a new key is
    encrypted under it. Raises SigningKeyLockedError when it does not open the stored key.
    A new key or certificate is written to the audit log.
    """
    now = now or utcnow()
    signatory = Signatory(user.display_name, user.credentials, user.username, clinic_id(session))
    row = _active_key(session, user.id)
    if row is None:
        identity = _new_signing_key(session, database_key, user.id, signatory, password, now)
        _record(session, audit, user.id, "signing_key_issued")
        return identity
    assert row.encrypted_key is not None and row.key_protection is not None
    key = decrypt_key(row.encrypted_key, password_secret(password, row.key_protection))
    certificate = load_certificate(row.certificate)
    authority_row = session.get_one(SigningAuthority, row.authority_id)
    if certificate.subject != subject_name(signatory):
        # Same key pair, new certificate: documents name the clinician as they are now.
        _retire(row, NEW_NAME, now)
        authority = _unlock_authority(authority_row, database_key)
        certificate = issue_certificate(authority, key, signatory, now)
        _store(session, user.id, authority_row.id, key, certificate, password)
        _record(session, audit, user.id, "signing_certificate_renewed")
    return SigningIdentity(key, certificate, (load_certificate(authority_row.certificate),))


def rewrap_signing_key(
    session: Session, clinician_id: uuid.UUID, old_password: str, new_password: str
) -> bool:
    """Re-encrypt the clinician's key under `new_password`, in the caller's transaction.

    Call it where the clinician changes their own password, after checking `old_password`.
    Returns whether there was a key to re-encrypt. Raises SigningKeyLockedError when
    `old_password` does not open it (then the caller must not change the password either).
    """
    row = _active_key(session, clinician_id)
    if row is None:
        return False
    assert row.encrypted_key is not None and row.key_protection is not None
    key = decrypt_key(row.encrypted_key, password_secret(old_password, row.key_protection))
    protection = password_protection()
    row.encrypted_key = encrypt_key(key, password_secret(new_password, protection))
    row.key_protection = protection
    return True


def retire_signing_keys(
    session: Session, clinician_id: uuid.UUID, reason: str = PASSWORD_RESET
) -> int:
    """Erase the clinician's private key (its certificate stays, for verification).

    Call it where an administrator resets the clinician's password: the old password, which
    the key was encrypted under, is gone. A new key pair is made at the next signed export.
    Returns how many keys were retired (0 or 1).
    """
    row = _active_key(session, clinician_id)
    if row is None:
        return 0
    _retire(row, reason, utcnow())
    return 1


def clinic_certificates(session: Session) -> ClinicCertificates:
    """This clinic's authority certificates and every clinician certificate it issued."""
    authorities = session.scalars(select(SigningAuthority).order_by(SigningAuthority.created_at))
    rows = list(authorities)
    keys = session.scalars(select(SigningKey.certificate).order_by(SigningKey.created_at))
    return ClinicCertificates(
        clinic_id(session),
        tuple(load_certificate(row.certificate) for row in rows),
        tuple(load_certificate(der) for der in keys),
    )


def _new_signing_key(
    session: Session,
    database_key: bytes,
    clinician_id: uuid.UUID,
    signatory: Signatory,
    password: str,
    now: datetime,
) -> SigningIdentity:
    authority_row = _authority_row(session, database_key, signatory.clinic_id, now)
    authority = _unlock_authority(authority_row, database_key)
    key = new_key()
    certificate = issue_certificate(authority, key, signatory, now)
    _store(session, clinician_id, authority_row.id, key, certificate, password)
    return SigningIdentity(key, certificate, (authority.certificate,))


def _store(
    session: Session,
    clinician_id: uuid.UUID,
    authority_id: uuid.UUID,
    key: ec.EllipticCurvePrivateKey,
    certificate: x509.Certificate,
    password: str,
) -> None:
    protection = password_protection()
    session.add(
        SigningKey(
            clinician_id=clinician_id,
            authority_id=authority_id,
            certificate=certificate_der(certificate),
            encrypted_key=encrypt_key(key, password_secret(password, protection)),
            key_protection=protection,
        )
    )
    session.flush()


def _authority_row(
    session: Session, database_key: bytes, clinic: str, now: datetime
) -> SigningAuthority:
    row = session.scalars(
        select(SigningAuthority).order_by(SigningAuthority.created_at).limit(1)
    ).first()
    if row is not None:
        return row
    authority = new_authority(clinic, now)
    row = SigningAuthority(id=uuid.uuid4(), clinic_id=clinic)
    row.certificate = certificate_der(authority.certificate)
    row.encrypted_key = encrypt_key(authority.private_key, _authority_secret(database_key, row.id))
    session.add(row)
    session.flush()
    return row


def _unlock_authority(row: SigningAuthority, database_key: bytes) -> Authority:
    key = decrypt_key(row.encrypted_key, _authority_secret(database_key, row.id))
    return Authority(key, load_certificate(row.certificate))


def _authority_secret(database_key: bytes, authority_id: uuid.UUID) -> bytes:
    return database_secret(database_key, f"facilitator signing authority {authority_id}")


def _record(session: Session, audit: AuditTrail, clinician_id: uuid.UUID, change: str) -> None:
    audit.record(
        session,
        actor=clinician_id,
        action=AuditAction.ACCOUNT_CHANGE,
        object_type="clinician",
        object_id=str(clinician_id),
        detail={"change": change},
    )


def _active_key(session: Session, clinician_id: uuid.UUID) -> SigningKey | None:
    return session.scalars(
        select(SigningKey)
        .where(SigningKey.clinician_id == clinician_id, SigningKey.retired_at.is_(None))
        .order_by(SigningKey.created_at.desc())
        .limit(1)
    ).first()


def _retire(row: SigningKey, reason: str, now: datetime) -> None:
    row.retired_at = now
    row.retired_reason = reason
    row.encrypted_key = None
    row.key_protection = None
