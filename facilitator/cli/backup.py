"""`facilitator backup [--to DIR]` and `facilitator restore FILE [--yes]`."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from facilitator.app import Clinic
from facilitator.cli.login import cli_user
from facilitator.domain.users import SignedInUser
from facilitator.missing_clinic import (
    MISSING,
    ClinicMissingError,
    inspect_for_missing,
    restore_missing_clinic,
)
from facilitator.security.key_store import KeyStore
from facilitator.services.backup import AUTOMATIC_FOLDER
from facilitator.services.restore import BackupSummary, RestoreRefusedError, check_can_restore


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    backup = commands.add_parser(
        "backup",
        help="make an encrypted backup now: today's automatic backup in the data folder's "
        "backups folder, or a backup in DIR (a USB stick, a network share)",
    )
    backup.add_argument("--to", type=Path, metavar="DIR", help="write the backup into DIR")
    restore = commands.add_parser(
        "restore",
        help="replace the clinic's records by a backup (administrators only); the file is "
        "checked first and the current database is kept aside under a dated name",
    )
    restore.add_argument(
        "file", type=Path, nargs="?", metavar="FILE", help="the backup (….fbackup)"
    )
    restore.add_argument(
        "--latest",
        action="store_true",
        help="the newest automatic backup in the data folder's backups folder, instead of FILE",
    )
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")


COMMANDS = ("backup", "restore")


def run(clinic: Clinic, args: argparse.Namespace, out: TextIO) -> int:
    """Sign in, then back up or restore; closes `clinic`."""
    try:
        user = cli_user(clinic)
        if args.command == "backup":
            return run_backup(clinic, user, args.to, out)
        latest = clinic.backups.automatic()
        file = _chosen(args, latest[-1].path if latest else None, clinic.data_dir)
        return run_restore(clinic, user, file, args.yes, out)
    finally:
        clinic.close()


def run_missing_restore(
    missing: ClinicMissingError, store: KeyStore, args: argparse.Namespace, out: TextIO
) -> int:
    """`restore` in a folder whose database is missing or empty (no one can sign in): the
    backup must open with the clinic's key; the restore is audited without an actor."""
    latest = missing.traces.latest
    file = _chosen(args, latest.path if latest else None, missing.folder)
    summary = inspect_for_missing(missing.folder, file.expanduser().resolve(), store)
    print(describe(summary), file=out)
    print(
        f"The clinic's database is {missing.state}: the backup takes its place"
        f"{' (the file in place is kept aside)' if missing.state != MISSING else ''}.",
        file=out,
    )
    if not args.yes and not _confirmed():
        raise RestoreRefusedError("Nothing was changed.")
    result = restore_missing_clinic(
        missing.folder, summary.path, store, datetime.now().astimezone()
    )
    print(
        f"Restored from {result.summary.path}: {result.summary.participants} participants, "
        f"{result.summary.notes} notes. Sign in as usual.",
        file=out,
    )
    return 0


def _chosen(args: argparse.Namespace, latest: Path | None, folder: Path) -> Path:
    """FILE, or with --latest the newest automatic backup; RestoreRefusedError otherwise."""
    if (args.file is None) == (not args.latest):
        raise RestoreRefusedError(
            "Name a backup FILE, or --latest (not both). Nothing was changed."
        )
    if args.file is not None:
        return Path(args.file)
    if latest is None:
        raise RestoreRefusedError(
            f"There is no automatic backup in {folder / AUTOMATIC_FOLDER}: name a backup FILE. "
            "Nothing was changed."
        )
    return latest


def run_backup(clinic: Clinic, user: SignedInUser, folder: Path | None, out: TextIO) -> int:
    now = datetime.now().astimezone()
    backups = clinic.backups
    if folder is None:
        made = backups.back_up_automatically(user.id, "command", now)
        kept = f" The newest {backups.keep()} days of automatic backups are kept."
    else:
        made = backups.back_up_to(folder.expanduser().resolve(), user.id, now)
        kept = ""
    size = made.path.stat().st_size
    print(f"Backup written: {made.path} ({size / 1e6:.1f} MB, encrypted).{kept}", file=out)
    if made.kept is not None:
        print(
            f"Today's earlier backup held more records than this one and was kept as "
            f"{made.kept}: restore it if records are missing.",
            file=out,
        )
    return 0


def run_restore(clinic: Clinic, user: SignedInUser, file: Path, yes: bool, out: TextIO) -> int:
    check_can_restore(user)
    summary = clinic.inspect_backup(file.expanduser().resolve())
    print(describe(summary), file=out)
    print(
        f"The current database will be kept aside in {clinic.data_dir} under a dated name.",
        file=out,
    )
    if not yes and not _confirmed():
        raise RestoreRefusedError("Nothing was changed.")
    result = clinic.restore(user, summary.path, datetime.now().astimezone())
    aside = f" The previous database is kept as {result.kept_aside}." if result.kept_aside else ""
    print(f"Restored from {result.summary.path}.{aside}", file=out)
    return 0


def describe(summary: BackupSummary) -> str:
    """What a backup holds, in one sentence."""
    made = (
        f"{summary.made_at.astimezone():%Y-%m-%d %H:%M}" if summary.made_at else "an unknown date"
    )
    upgrade = " It will be upgraded to this version's schema." if summary.needs_upgrade else ""
    return (
        f"Backup of {made}: {summary.participants} participants, {summary.notes} notes "
        f"({summary.signed_notes} signed).{upgrade}"
    )


def _confirmed() -> bool:
    if not sys.stdin.isatty():
        raise RestoreRefusedError(
            "There is no terminal to confirm on: add --yes to restore. Nothing was changed."
        )
    return input("Restore this backup? [y/N] ").strip().lower() in ("y", "yes")
