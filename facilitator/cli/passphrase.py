"""The administrator passphrase on the command line: FACILITATOR_PASSPHRASE, or a prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from facilitator.security.errors import WeakPassphraseError
from facilitator.security.passphrase_store import (
    MIN_PASSPHRASE_LENGTH,
    PASSPHRASE_VARIABLE,
    AskPassphrase,
    environment_passphrase,
)


def terminal_passphrase(folder: Path) -> AskPassphrase:
    """Reads the environment variable, else asks on the terminal; never echoes or stores it."""
    from_environment = environment_passphrase(folder)

    def ask(*, new: bool) -> str:
        if PASSPHRASE_VARIABLE in os.environ or not sys.stdin.isatty():
            return from_environment(new=new)
        if not new:
            return getpass.getpass(f"Administrator passphrase for {folder}: ")
        print(
            "No system keyring is available, so the clinic's key is protected by an "
            f"administrator passphrase (at least {MIN_PASSPHRASE_LENGTH} characters).",
            file=sys.stderr,
        )
        first = getpass.getpass("New administrator passphrase: ")
        if getpass.getpass("Repeat the passphrase: ") != first:
            raise WeakPassphraseError(MIN_PASSPHRASE_LENGTH)
        return first

    return ask
