"""Clinician accounts: signing in, confirming a password, and what administrators manage.

Failed sign-ins are counted per username as typed (an HMAC of it, in `login_throttle`), known
or not, so every refusal reads the same whether the account exists: after FREE_FAILURES the
next attempt must wait (FIRST_DELAY, doubling), and LOCK_AFTER failures lock the username for
LOCK_DURATION. An attempt made too early is refused without checking the password. Nothing
here sleeps: the wait is a stored instant, and the caller shows how long is left.

Accounts are never deleted (their signatures must stay valid): they are deactivated.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail, DetailValue
from facilitator.security.certificates import SigningKeyLockedError
from facilitator.security.passwords import (
    PasswordHasher,
    check_policy,
    generate_password,
)
from facilitator.security.signing_keys import retire_signing_keys, rewrap_signing_key
from facilitator.storage.database import Database
from facilitator.storage.models import Clinician, LoginThrottle
from facilitator.storage.types import utcnow
from facilitator.storage.unit_of_work import unit_of_work

FREE_FAILURES = 3
FIRST_DELAY = timedelta(seconds=5)
LOCK_AFTER = 5
LOCK_DURATION = timedelta(minutes=15)
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")
WRONG_CREDENTIALS = "The username or password is not correct."


class LoginRefusedError(DomainError):
    """A sign-in or password confirmation that was refused; `retry_after` is how long the
    username must wait before the next attempt is checked (None: try again at once)."""

    def __init__(self, message: str, retry_after: timedelta | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PasswordChangeRequiredError(LoginRefusedError):
    """The password was right, but an administrator set it: the clinician must choose their
    own (Accounts.change_password) before signing in."""

    def __init__(self, user: SignedInUser) -> None:
        super().__init__(
            "Your password was set by an administrator. Choose your own password to continue."
        )
        self.user = user


class AccountError(DomainError):
    """An account change that is not allowed or not valid; the message says why."""


@dataclass(frozen=True, slots=True)
class ClinicianDetails:
    """What an administrator enters or edits about a clinician (the username never changes)."""

    display_name: str
    credentials: str
    role: Role
    needs_cosignature: bool = False
    supervisor_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class ClinicianRow:
    """One account as the Clinicians list shows it."""

    id: uuid.UUID
    username: str
    display_name: str
    credentials: str
    role: Role
    needs_cosignature: bool
    supervisor_id: uuid.UUID | None
    supervisor: str
    active: bool
    has_password: bool
    must_change_password: bool
    locked: bool
    last_login_at: datetime | None


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


class Accounts:
    """Sign-in and account management over the clinic's database; every outcome is audited."""

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

    # --- signing in -----------------------------------------------------------------------

    def authenticate(self, username: str, password: str, channel: str = "app") -> SignedInUser:
        """The clinician whose `username` and `password` these are; LoginRefusedError (or
        PasswordChangeRequiredError) otherwise. `channel` ("app", "cli") goes to the audit."""
        name = normalized_username(username)
        with unit_of_work(self._database) as session:
            row = _find(session, name)
            refusal = self._check(session, name, row, password, {"channel": channel})
            if refusal is None:
                assert row is not None  # a matching password has a row
                user = signed_in_user(row)
                if row.must_change_password:
                    refusal = PasswordChangeRequiredError(user)
                    self._record(
                        session,
                        row.id,
                        AuditAction.LOGIN,
                        {"channel": channel, "reason": "password_change_required"},
                        outcome="pending",
                    )
                else:
                    row.last_login_at = self._clock()
                    self._record(session, row.id, AuditAction.LOGIN, {"channel": channel})
        if refusal is not None:
            raise refusal
        return user

    def confirm_password(self, user: SignedInUser, password: str) -> None:
        """Check the signed-in `user`'s password again (signing, unlocking): LoginRefusedError
        when wrong, with the same counting, waits and lockout as signing in."""
        with unit_of_work(self._database) as session:
            row = session.get(Clinician, user.id)
            refusal = self._check(session, user.username, row, password, {"context": "confirm"})
        if refusal is not None:
            raise refusal

    def log_out(self, user: SignedInUser) -> None:
        with unit_of_work(self._database) as session:
            self._record(session, user.id, AuditAction.LOGOUT)

    def change_password(self, user: SignedInUser, current: str, new: str) -> None:
        """`user` replaces their password: `current` is checked as in confirm_password, `new`
        must meet the policy. Their PDF signing key is re-encrypted under the new one."""
        check_policy(new, user.username)
        if new == current:
            raise AccountError("The new password must differ from the current one.")
        with unit_of_work(self._database) as session:
            row = session.get(Clinician, user.id)
            refusal = self._check(session, user.username, row, current, {"context": "change"})
            if refusal is None:
                assert row is not None
                try:
                    rewrap_signing_key(session, row.id, current, new)
                except SigningKeyLockedError:  # out of step with the password: useless anyway
                    retire_signing_keys(session, row.id)
                self._set_password(row, new, must_change=False)
                self._record_change(session, row.id, row.id, "password_changed")
        if refusal is not None:
            raise refusal

    def wait_for(self, username: str) -> timedelta | None:
        """How long `username` must still wait before an attempt is checked, if at all."""
        with unit_of_work(self._database) as session:
            return _wait(session.get(LoginThrottle, self._throttle_key(username)), self._clock())

    def _check(
        self,
        session: Session,
        name: str,
        row: Clinician | None,
        password: str,
        detail: dict[str, DetailValue],
    ) -> LoginRefusedError | None:
        """None when `password` is `row`'s and the account may sign in; else the refusal,
        with the failure counted and audited in `session` (so the caller commits it)."""
        now = self._clock()
        key = self._throttle_key(name)
        throttle = session.get(LoginThrottle, key)
        actor = row.id if row is not None else None
        wait = _wait(throttle, now)
        if wait is not None:
            assert throttle is not None
            locked = throttle.locked_until is not None and throttle.locked_until > now
            reason = "locked" if locked else "too_early"
            self._record(session, actor, AuditAction.LOGIN_FAILED, {**detail, "reason": reason})
            return LoginRefusedError(_wait_message(wait, locked), wait)
        if not self._hasher.verify(row.password_hash if row else None, password):
            if throttle is None:
                throttle = LoginThrottle(key=key, failed_logins=0)
                session.add(throttle)
            wait, locked = _count_failure(throttle, now)
            reason = "wrong_password" if row is not None else "unknown_user"
            failed = {**detail, "reason": reason, "failures": throttle.failed_logins}
            self._record(session, actor, AuditAction.LOGIN_FAILED, failed)
            return LoginRefusedError(_failure_message(throttle.failed_logins, wait, locked), wait)
        assert row is not None and row.password_hash is not None
        if throttle is not None:
            session.delete(throttle)
        if not row.active:
            self._record(
                session, actor, AuditAction.LOGIN_FAILED, {**detail, "reason": "deactivated"}
            )
            return LoginRefusedError(
                "This account has been deactivated. Ask an administrator if you need it again."
            )
        if self._hasher.needs_rehash(row.password_hash):
            row.password_hash = self._hasher.hash(password)
        return None

    # --- setting up -----------------------------------------------------------------------

    def needs_setup(self) -> bool:
        """Whether nobody can administer the clinic: no active administrator with a password."""
        with unit_of_work(self._database) as session:
            return _active_administrators(session) == 0

    def create_first_administrator(
        self, username: str, display_name: str, credentials: str, password: str
    ) -> SignedInUser:
        """The clinic's first administrator (only while needs_setup())."""
        details = ClinicianDetails(display_name, credentials, Role.ADMINISTRATOR)
        name = _valid_username(username)
        check_policy(password, name)
        with unit_of_work(self._database) as session:
            if _active_administrators(session):
                raise AccountError("This clinic already has an administrator; sign in instead.")
            row = self._new_row(session, name, details)
            self._set_password(row, password, must_change=False)
            self._record_change(session, row.id, row.id, "first_administrator")
            return signed_in_user(row)

    # --- administrators -------------------------------------------------------------------

    def clinicians(self) -> list[ClinicianRow]:
        """Every account, active or not, by display name."""
        now = self._clock()
        with unit_of_work(self._database) as session:
            rows = session.scalars(select(Clinician).order_by(Clinician.display_name)).all()
            names = {row.id: row.display_name for row in rows}
            throttles = {t.key: t for t in session.scalars(select(LoginThrottle))}
            return [
                ClinicianRow(
                    id=row.id,
                    username=row.username,
                    display_name=row.display_name,
                    credentials=row.credentials,
                    role=Role(row.role),
                    needs_cosignature=row.needs_cosignature,
                    supervisor_id=row.supervisor_id,
                    supervisor=names.get(row.supervisor_id, "") if row.supervisor_id else "",
                    active=row.active,
                    has_password=row.password_hash is not None,
                    must_change_password=row.must_change_password,
                    locked=_wait(throttles.get(self._throttle_key(row.username)), now) is not None,
                    last_login_at=row.last_login_at,
                )
                for row in rows
            ]

    def add_clinician(
        self, actor: SignedInUser, username: str, details: ClinicianDetails
    ) -> tuple[SignedInUser, str]:
        """A new account and its temporary password (shown once; changed at first sign-in)."""
        _require_administrator(actor)
        name = _valid_username(username)
        with unit_of_work(self._database) as session:
            row = self._new_row(session, name, details)
            password = generate_password()
            self._set_password(row, password, must_change=True)
            self._record_change(session, actor.id, row.id, "created", role=str(details.role))
            return signed_in_user(row), password

    def update_clinician(
        self, actor: SignedInUser, clinician_id: uuid.UUID, details: ClinicianDetails
    ) -> None:
        """Change a clinician's name, credentials, role, co-signature and supervisor."""
        _require_administrator(actor)
        with unit_of_work(self._database) as session:
            row = session.get_one(Clinician, clinician_id)
            if row.role == Role.ADMINISTRATOR and details.role is not Role.ADMINISTRATOR:
                _keep_an_administrator(session, row)
            _apply(session, row, details)
            self._record_change(session, actor.id, row.id, "edited", role=str(details.role))

    def reset_password(self, actor: SignedInUser, clinician_id: uuid.UUID) -> str:
        """A new temporary password for the clinician (shown once; they choose their own at
        the next sign-in). Ends a lockout; their PDF signing key, locked by the old password,
        is retired and a new one is made at their next signed export."""
        _require_administrator(actor)
        with unit_of_work(self._database) as session:
            row = session.get_one(Clinician, clinician_id)
            password = generate_password()
            self._set_password(row, password, must_change=True)
            throttle = session.get(LoginThrottle, self._throttle_key(row.username))
            if throttle is not None:
                session.delete(throttle)
            retire_signing_keys(session, row.id)
            self._record_change(session, actor.id, row.id, "password_reset")
            return password

    def set_active(self, actor: SignedInUser, clinician_id: uuid.UUID, active: bool) -> None:
        """Deactivate (no more sign-ins; records and signatures stay) or reactivate."""
        _require_administrator(actor)
        with unit_of_work(self._database) as session:
            row = session.get_one(Clinician, clinician_id)
            if row.active == active:
                return
            if not active and row.role == Role.ADMINISTRATOR:
                _keep_an_administrator(session, row)
            row.active = active
            change = "reactivated" if active else "deactivated"
            self._record_change(session, actor.id, row.id, change)

    # --- helpers --------------------------------------------------------------------------

    def _new_row(self, session: Session, name: str, details: ClinicianDetails) -> Clinician:
        if _find(session, name) is not None:
            raise AccountError(f"The username {name!r} is taken; choose another one.")
        row = Clinician(username=name, display_name="", role=details.role.value)
        _apply(session, row, details)
        session.add(row)
        session.flush()
        return row

    def _set_password(self, row: Clinician, password: str, *, must_change: bool) -> None:
        row.password_hash = self._hasher.hash(password)
        row.must_change_password = must_change
        row.password_changed_at = self._clock()

    def _throttle_key(self, username: str) -> str:
        message = b"login throttle\n" + normalized_username(username).encode()
        return hmac.new(self._audit.key, message, hashlib.sha256).hexdigest()

    def _record(
        self,
        session: Session,
        actor: uuid.UUID | None,
        action: AuditAction,
        detail: dict[str, DetailValue] | None = None,
        outcome: str | None = None,
    ) -> None:
        """A sign-in event; failures are "refused" unless `outcome` says otherwise."""
        self._audit.record(
            session,
            actor=actor,
            action=action,
            object_type="clinician" if actor else None,
            object_id=str(actor) if actor else None,
            outcome=outcome or ("refused" if action is AuditAction.LOGIN_FAILED else "success"),
            detail=detail,
        )

    def _record_change(
        self,
        session: Session,
        actor: uuid.UUID,
        clinician_id: uuid.UUID,
        change: str,
        **detail: DetailValue,
    ) -> None:
        self._audit.record(
            session,
            actor=actor,
            action=AuditAction.ACCOUNT_CHANGE,
            object_type="clinician",
            object_id=str(clinician_id),
            detail={"change": change, **detail},
        )


_DEFAULT_HASHER: PasswordHasher | None = None


def default_hasher() -> PasswordHasher:
    """One hasher per process (making one hashes a decoy password)."""
    global _DEFAULT_HASHER
    if _DEFAULT_HASHER is None:
        _DEFAULT_HASHER = PasswordHasher()
    return _DEFAULT_HASHER


def _find(session: Session, name: str) -> Clinician | None:
    return session.scalars(
        select(Clinician).where(func.lower(Clinician.username) == name)
    ).one_or_none()


def _wait(throttle: LoginThrottle | None, now: datetime) -> timedelta | None:
    if throttle is None:
        return None
    until = max((t for t in (throttle.locked_until, throttle.not_before) if t), default=None)
    return until - now if until is not None and until > now else None


def _count_failure(throttle: LoginThrottle, now: datetime) -> tuple[timedelta | None, bool]:
    """Count one failure; the wait it starts, and whether that wait is a lockout."""
    if throttle.locked_until is not None and throttle.locked_until <= now:
        throttle.failed_logins = 0  # a lockout served starts the count again
        throttle.locked_until = None
    throttle.failed_logins += 1
    if throttle.failed_logins >= LOCK_AFTER:
        throttle.locked_until = now + LOCK_DURATION
        return LOCK_DURATION, True
    if throttle.failed_logins >= FREE_FAILURES:
        delay = FIRST_DELAY * 2 ** (throttle.failed_logins - FREE_FAILURES)
        throttle.not_before = now + delay
        return delay, False
    return None, False


def _failure_message(failures: int, wait: timedelta | None, locked: bool) -> str:
    if locked:
        return f"{WRONG_CREDENTIALS} {_lock_text(wait or LOCK_DURATION)}"
    left = LOCK_AFTER - failures
    warning = f" {left} more failed attempt{'s' if left > 1 else ''} will lock sign-in for " + (
        f"{_minutes(LOCK_DURATION)}."
    )
    if wait is None:
        return WRONG_CREDENTIALS + (warning if failures >= FREE_FAILURES - 1 else "")
    return f"{WRONG_CREDENTIALS} Wait {_seconds(wait)} before trying again.{warning}"


def _wait_message(wait: timedelta, locked: bool) -> str:
    if locked:
        return f"Too many failed attempts. {_lock_text(wait)}"
    return f"Too many failed attempts: wait {_seconds(wait)} before trying again."


def _lock_text(wait: timedelta) -> str:
    return (
        f"Sign-in with this username is locked for {_minutes(wait)}. An administrator can "
        "reset the password to end the lock sooner."
    )


def _seconds(wait: timedelta) -> str:
    seconds = max(1, -int(-wait.total_seconds() // 1))
    return f"{seconds} second{'s' if seconds > 1 else ''}"


def _minutes(wait: timedelta) -> str:
    minutes = max(1, -int(-wait.total_seconds() // 60))
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


def _valid_username(typed: str) -> str:
    name = normalized_username(typed)
    if not USERNAME_PATTERN.match(name):
        raise AccountError(
            "A username has 2 to 32 characters: lowercase letters, digits, dots, hyphens or "
            "underscores, starting with a letter (for example mreyes or m.reyes)."
        )
    return name


def _apply(session: Session, row: Clinician, details: ClinicianDetails) -> None:
    display_name = details.display_name.strip()
    if not display_name:
        raise AccountError("Enter the clinician's name as it appears on signed notes.")
    if len(display_name) > 200 or len(details.credentials.strip()) > 100:
        raise AccountError("The name or the credentials are too long (200 and 100 characters).")
    supervisor = session.get(Clinician, details.supervisor_id) if details.supervisor_id else None
    if details.supervisor_id is not None:
        if supervisor is None or not supervisor.active or supervisor.id == row.id:
            raise AccountError("Choose an active supervisor other than the clinician.")
        if Role(supervisor.role) is Role.FACILITATOR:
            raise AccountError(
                f"{supervisor.display_name} cannot co-sign: choose a supervisor or an "
                "administrator."
            )
    if details.needs_cosignature and supervisor is None:
        raise AccountError("A clinician whose notes need co-signature needs a supervisor.")
    row.display_name = display_name
    row.credentials = details.credentials.strip()
    row.role = details.role.value
    row.needs_cosignature = details.needs_cosignature
    row.supervisor_id = details.supervisor_id


def _require_administrator(actor: SignedInUser) -> None:
    if not actor.is_administrator:
        raise AccountError("Only an administrator can manage clinicians' accounts.")


def _active_administrators(session: Session, other_than: uuid.UUID | None = None) -> int:
    query = select(func.count()).where(
        Clinician.role == Role.ADMINISTRATOR.value,
        Clinician.active.is_(True),
        Clinician.password_hash.is_not(None),
    )
    if other_than is not None:
        query = query.where(Clinician.id != other_than)
    return session.scalar(query) or 0


def _keep_an_administrator(session: Session, row: Clinician) -> None:
    if _active_administrators(session, other_than=row.id) == 0:
        raise AccountError(
            f"{row.display_name} is the last active administrator. Make another clinician an "
            "administrator first: someone must always be able to manage accounts."
        )
