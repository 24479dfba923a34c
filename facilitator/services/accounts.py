"""Clinician accounts: the `Accounts` service the app, the command line and the screens use.

Its parts live in their own modules: signing in and confirming a password (sign_in), how
failed attempts are counted and answered (login_throttle), password changes and resets
(password_changes), and what administrators manage (account_admin); account_store holds what
they share. The names callers use are importable from here.
"""

from __future__ import annotations

from facilitator.services.account_admin import (
    AccountAdministration,
    ClinicianDetails,
    ClinicianRow,
)
from facilitator.services.account_store import AccountError, default_hasher, signed_in_user
from facilitator.services.login_throttle import WRONG_CREDENTIALS
from facilitator.services.password_changes import PasswordChanges
from facilitator.services.sign_in import LoginRefusedError, PasswordChangeRequiredError

__all__ = [
    "WRONG_CREDENTIALS",
    "AccountError",
    "Accounts",
    "ClinicianDetails",
    "ClinicianRow",
    "LoginRefusedError",
    "PasswordChangeRequiredError",
    "default_hasher",
    "signed_in_user",
]


class Accounts(PasswordChanges, AccountAdministration):
    """Sign-in and account management over the clinic's database; every outcome is audited."""
