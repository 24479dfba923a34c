"""What the parts of clinician accounts share: the store over the clinic's database, its
audit and password hasher, how an account row becomes the signed-in user, and the errors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail, DetailValue
from facilitator.security.passwords import PasswordHasher, check_policy
from facilitator.services.clinic_profile import load_profile
from facilitator.services.login_throttle import throttle_key
from facilitator.storage.database import Database
from facilitator.storage.models import Clinician
from facilitator.storage.types import utcnow


class AccountError(DomainError):
    """An account change that is not allowed or not valid; the message says why."""


def signed_in_user(row: Clinician) -> SignedInUser:
    """The clinician as the rest of the code sees them once they have signed in."""
    return SignedInUser(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        credentials=row.credentials,
        role=Role(row.role),
        needs_cosignature=row.needs_cosignature,
    )


def normalized_username(typed: str) -> str:
    return typed.strip().lower()


_DEFAULT_HASHER: PasswordHasher | None = None


def default_hasher() -> PasswordHasher:
    """One hasher per process (making one hashes a decoy password)."""
    global _DEFAULT_HASHER
    if _DEFAULT_HASHER is None:
        _DEFAULT_HASHER = PasswordHasher()
    return _DEFAULT_HASHER


def find_clinician(session: Session, name: str) -> Clinician | None:
    """The account whose username is `name` (normalized), active or not."""
    return session.scalars(
        select(Clinician).where(func.lower(Clinician.username) == name)
    ).one_or_none()


def require_administrator(actor: SignedInUser) -> None:
    if not actor.is_administrator:
        raise AccountError("Only an administrator can manage clinicians' accounts.")


class AccountStore:
    """The clinic's database, audit trail, password hasher and clock, as the account use
    cases share them."""

    def __init__(
        self,
        database: Database,
        audit: AuditTrail,
        hasher: PasswordHasher | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._database = database
        self._audit = audit
        self._hasher = hasher or default_hasher()
        self._clock = clock

    def _check_new_password(
        self, session: Session, password: str, username: str, display_name: str
    ) -> None:
        """The password policy, refusing also the person's name and the clinic's."""
        profile = load_profile(session)
        names = (display_name, profile.name, profile.part2_program_name)
        check_policy(password, username, [n for n in names if n])

    def _set_password(self, row: Clinician, password: str, *, must_change: bool) -> None:
        row.password_hash = self._hasher.hash(password)
        row.must_change_password = must_change
        row.password_changed_at = self._clock()

    def _throttle_key(self, username: str) -> str:
        return throttle_key(self._audit.key, normalized_username(username))

    def _record_change(
        self,
        session: Session,
        actor: uuid.UUID,
        clinician_id: uuid.UUID,
        change: str,
        **detail: DetailValue,
    ) -> None:
        """An account change made by `actor` (an administrator, or the clinician)."""
        self._audit.record(
            session,
            actor=actor,
            action=AuditAction.ACCOUNT_CHANGE,
            object_type="clinician",
            object_id=str(clinician_id),
            detail={"change": change, **detail},
        )
