"""Signing in and confirming one's password again (signing, unlocking), throttled.

Every attempt is audited. An attempt made while the username must wait (login_throttle) is
refused without checking the password; a deactivated account is refused once its password
matched.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, DetailValue
from facilitator.services.account_store import (
    AccountStore,
    find_clinician,
    normalized_username,
    signed_in_user,
)
from facilitator.services.login_throttle import (
    WRONG_CREDENTIALS,
    WRONG_PASSWORD,
    count_failure,
    failure_message,
    is_locked,
    time_to_wait,
    wait_message,
)
from facilitator.storage.models import Clinician, LoginThrottle
from facilitator.storage.unit_of_work import unit_of_work


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


class SignIn(AccountStore):
    """Who may sign in, and checking a signed-in clinician's password again."""

    def authenticate(self, username: str, password: str, channel: str = "app") -> SignedInUser:
        """The clinician whose `username` and `password` these are; LoginRefusedError (or
        PasswordChangeRequiredError) otherwise. `channel` ("app", "cli") goes to the audit."""
        name = normalized_username(username)
        with unit_of_work(self._database) as session:
            row = find_clinician(session, name)
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
            refusal = self._check(
                session, user.username, row, password, {"context": "confirm"}, WRONG_PASSWORD
            )
        if refusal is not None:
            raise refusal

    def log_out(self, user: SignedInUser) -> None:
        with unit_of_work(self._database) as session:
            self._record(session, user.id, AuditAction.LOGOUT)

    def wait_for(self, username: str) -> timedelta | None:
        """How long `username` must still wait before an attempt is checked, if at all."""
        with unit_of_work(self._database) as session:
            throttle = session.get(LoginThrottle, self._throttle_key(username))
            return time_to_wait(throttle, self._clock())

    def _check(
        self,
        session: Session,
        name: str,
        row: Clinician | None,
        password: str,
        detail: dict[str, DetailValue],
        wrong: str = WRONG_CREDENTIALS,
    ) -> LoginRefusedError | None:
        """None when `password` is `row`'s and the account may sign in; else the refusal
        (opening with `wrong` for a wrong password), with the failure counted and audited in
        `session` (so the caller commits it)."""
        now = self._clock()
        key = self._throttle_key(name)
        throttle = session.get(LoginThrottle, key)
        actor = row.id if row is not None else None
        wait = time_to_wait(throttle, now)
        if wait is not None:
            assert throttle is not None
            locked = is_locked(throttle, now)
            reason = "locked" if locked else "too_early"
            self._record(session, actor, AuditAction.LOGIN_FAILED, {**detail, "reason": reason})
            return LoginRefusedError(wait_message(wait, locked), wait)
        if not self._hasher.verify(row.password_hash if row else None, password):
            if throttle is None:
                throttle = LoginThrottle(key=key, failed_logins=0)
                session.add(throttle)
            wait, locked = count_failure(throttle, now)
            reason = "wrong_password" if row is not None else "unknown_user"
            failed = {**detail, "reason": reason, "failures": throttle.failed_logins}
            self._record(session, actor, AuditAction.LOGIN_FAILED, failed)
            message = failure_message(throttle.failed_logins, wait, locked, wrong)
            return LoginRefusedError(message, wait)
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
