"""Signing in on the command line: a prompt, or FACILITATOR_USER and FACILITATOR_PASSWORD."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Callable

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.accounts import LoginRefusedError, PasswordChangeRequiredError

USER_VARIABLE = "FACILITATOR_USER"
PASSWORD_VARIABLE = "FACILITATOR_PASSWORD"


def cli_user(clinic: Clinic) -> SignedInUser:
    """The clinician running this command, signed in (and audited) like in the app.

    Reads FACILITATOR_USER and FACILITATOR_PASSWORD when set (scripts), else asks on the
    terminal. Raises LoginRefusedError with a message for the user when it cannot sign in:
    wrong password (it counts towards the lockout), no terminal to ask on, no accounts yet.
    """
    accounts = clinic.accounts
    if accounts.needs_setup():
        raise LoginRefusedError(
            "No one can sign in to this clinic yet: open Facilitator to create the first "
            "administrator, then run the command again."
        )
    username = os.environ.get(USER_VARIABLE) or _ask(input, "Username: ")
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        password = _ask(getpass.getpass, f"Password for {username}: ")
    try:
        return accounts.authenticate(username, password, channel="cli")
    except PasswordChangeRequiredError as error:
        raise LoginRefusedError(
            f"{error} Sign in to the Facilitator app once to choose it, then run the command again."
        ) from error


def _ask(prompt_with: Callable[[str], str], prompt: str) -> str:
    if not sys.stdin.isatty():
        raise LoginRefusedError(
            "This command reads clinical records and needs a clinician to sign in. There is "
            f"no terminal to ask on: set {USER_VARIABLE} and {PASSWORD_VARIABLE}."
        )
    try:
        return prompt_with(prompt)
    except EOFError as error:
        raise LoginRefusedError("Sign-in cancelled.") from error
