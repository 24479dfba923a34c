"""Login throttling: how failed sign-ins are counted and what a refused attempt is told.

Failures are counted per username as typed (an HMAC of it, in `login_throttle`), known or
not, so every refusal reads the same whether the account exists: after FREE_FAILURES the next
attempt must wait (FIRST_DELAY, doubling), and LOCK_AFTER failures lock the username for
LOCK_DURATION. Nothing here sleeps: the wait is a stored instant, and the caller shows how
long is left.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from facilitator.storage.models import LoginThrottle

FREE_FAILURES = 3
FIRST_DELAY = timedelta(seconds=5)
LOCK_AFTER = 5
LOCK_DURATION = timedelta(minutes=15)
WRONG_CREDENTIALS = "The username or password is not correct."
WRONG_PASSWORD = "The password is not correct."  # asked again of someone signed in


def throttle_key(audit_key: bytes, username: str) -> str:
    """The `login_throttle` key of a (normalized) username: no name is stored in clear."""
    return hmac.new(audit_key, b"login throttle\n" + username.encode(), hashlib.sha256).hexdigest()


def time_to_wait(throttle: LoginThrottle | None, now: datetime) -> timedelta | None:
    """How long the username must still wait before an attempt is checked, if at all."""
    if throttle is None:
        return None
    until = max((t for t in (throttle.locked_until, throttle.not_before) if t), default=None)
    return until - now if until is not None and until > now else None


def is_locked(throttle: LoginThrottle, now: datetime) -> bool:
    """Whether the wait is a lockout (rather than the short delay after a few failures)."""
    return throttle.locked_until is not None and throttle.locked_until > now


def count_failure(throttle: LoginThrottle, now: datetime) -> tuple[timedelta | None, bool]:
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


def failure_message(
    failures: int, wait: timedelta | None, locked: bool, wrong: str = WRONG_CREDENTIALS
) -> str:
    """What a wrong password is told after `failures` in a row (`wrong` opens it)."""
    if locked:
        return f"{wrong} {_lock_text(wait or LOCK_DURATION)}"
    left = LOCK_AFTER - failures
    warning = f" {left} more failed attempt{'s' if left > 1 else ''} will lock sign-in for " + (
        f"{_minutes(LOCK_DURATION)}."
    )
    if wait is None:
        return wrong + (warning if failures >= FREE_FAILURES - 1 else "")
    return f"{wrong} Wait {_seconds(wait)} before trying again.{warning}"


def wait_message(wait: timedelta, locked: bool) -> str:
    """What an attempt made before the wait is over is told (its password is not checked)."""
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
