"""`facilitator`: opens the app, or runs a command (demo, ...) on the clinic's data."""

from __future__ import annotations

import argparse
import getpass
import importlib
import sys
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from facilitator import __version__
from facilitator.app import DATA_DIR_VARIABLE, Clinic, open_clinic, resolve_data_dir
from facilitator.cli import audit as audit_command
from facilitator.cli import backup as backup_command
from facilitator.cli import config as config_command
from facilitator.cli import export as export_command
from facilitator.cli import import_roster as import_roster_command
from facilitator.cli import measure as measure_command
from facilitator.cli import verify as verify_command
from facilitator.cli.login import cli_user
from facilitator.cli.passphrase import terminal_passphrase
from facilitator.domain.errors import DomainError
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.database_key import default_key_store, recovery_key_store, restore_key
from facilitator.security.key_store import KeyStore
from facilitator.security.passphrase_store import PASSPHRASE_VARIABLE
from facilitator.security.process import forbid_core_dumps
from facilitator.services.demo import DemoRefusedError
from facilitator.storage.database import prepare_data_folder
from facilitator.storage.errors import StorageError

EXIT_USER_ERROR = 2
SELFTEST_USER = SignedInUser(uuid.UUID(int=0), "selftest", "Self-test", "", Role.FACILITATOR, False)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="facilitator",
        description="Group notes, attendance and documentation for intensive outpatient programs. "
        "With no command, opens the application.",
    )
    parser.add_argument("--version", action="version", version=f"Facilitator {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"folder holding the clinic's data (default: ${DATA_DIR_VARIABLE}, "
        "or the platform's user data folder)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help="open the application (the default)")
    demo = commands.add_parser("demo", help="create a demo clinic with synthetic data")
    demo.add_argument(
        "--if-missing",
        action="store_true",
        help="do nothing (and succeed) when the data folder already holds a clinic",
    )
    demo.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the demo's 'today' (default: the real date)",
    )
    selftest = commands.add_parser(
        "selftest",
        help="check this installation: open the clinic, draw the main window off screen, exit",
    )
    selftest.add_argument(
        "--screenshot", type=Path, metavar="PNG", help="also save the drawn window as a PNG file"
    )
    backup_command.add_parsers(commands)
    audit_command.add_parser(commands)
    measure_command.add_parser(commands)
    export_command.add_parser(commands)
    config_command.add_parser(commands)
    verify = commands.add_parser("verify", help=verify_command.HELP)
    verify.add_argument("file", type=Path, metavar="FILE.pdf", help="the exported PDF to check")
    roster = commands.add_parser("import-roster", help=import_roster_command.HELP)
    roster.add_argument("file", type=Path, metavar="FILE.csv", help="the roster file to import")
    roster.add_argument(
        "--yes", action="store_true", help="import without asking when the file has no errors"
    )
    key = commands.add_parser("key", help="manage the database encryption key")
    key_commands = key.add_subparsers(dest="key_command", metavar="KEY_COMMAND", required=True)
    key_commands.add_parser(
        "recover",
        help="put the key back from the administrator's recovery code (read from the terminal "
        "or standard input) into the system keyring, or under a new passphrase where there is "
        f"no keyring (${PASSPHRASE_VARIABLE} or a prompt)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    forbid_core_dumps()
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    if args.command in (None, "gui"):
        # The one hand-over from the core to the UI, imported only when a window is wanted.
        application = importlib.import_module("ui.application")
        return int(application.run(data_dir))
    ask = terminal_passphrase(data_dir)
    try:
        if args.command == "demo":
            store = default_key_store(data_dir, ask)
            return _demo(data_dir, store, args.if_missing, args.today or date.today())
        if args.command == "selftest":
            store = default_key_store(data_dir, ask)
            return _selftest(open_clinic(data_dir, store), args.screenshot)
        if args.command in backup_command.COMMANDS:
            store = default_key_store(data_dir, ask)
            return backup_command.run(open_clinic(data_dir, store), args, sys.stdout)
        if args.command == "export":
            store = default_key_store(data_dir, ask)
            return _export(open_clinic(data_dir, store), args)
        if args.command == "config":
            store = default_key_store(data_dir, ask)
            return _config(open_clinic(data_dir, store), args)
        if args.command == "verify":
            store = default_key_store(data_dir, ask)
            return _verify(open_clinic(data_dir, store), args.file)
        if args.command == "import-roster":
            store = default_key_store(data_dir, ask)
            return _import_roster(open_clinic(data_dir, store), args.file, args.yes)
        if args.command == "audit":
            store = default_key_store(data_dir, ask)
            return _audit(open_clinic(data_dir, store), args)
        if args.command == "measure":
            store = default_key_store(data_dir, ask)
            return _measure(open_clinic(data_dir, store), args)
        if args.command == "key":
            return _recover(data_dir, recovery_key_store(data_dir, ask))
    except (StorageError, DomainError, DemoRefusedError) as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    raise AssertionError(f"unhandled command {args.command}")


def _demo(data_dir: Path, store: KeyStore, if_missing: bool, today: date) -> int:
    clinic = open_clinic(data_dir, store)
    try:
        if clinic.recovery_code is not None:
            _print_recovery_code(clinic.recovery_code, store)
        if if_missing and clinic.has_participants():
            print(f"A clinic already exists in {data_dir}; it was left as it is.")
            return 0
        summary = clinic.create_demo(today)
    finally:
        clinic.close()
    print(
        f"Demo clinic created in {data_dir}: {summary.groups} groups, "
        f"{summary.participants} participants, {summary.sessions} sessions, "
        f"{summary.notes} signed notes, {summary.today_blocks} blocks to run today.\n\n"
        "Demo accounts (passwords shown only this once; an administrator can reset them):\n"
    )
    for username, password in summary.passwords.items():
        print(f"    {username:<10} {password}")
    return 0


def _verify(clinic: Clinic, path: Path) -> int:
    try:
        return verify_command.run(clinic, path, sys.stdout)
    finally:
        clinic.close()


def _import_roster(clinic: Clinic, path: Path, assume_yes: bool) -> int:
    try:
        return import_roster_command.run(clinic, cli_user(clinic), path, assume_yes, sys.stdout)
    finally:
        clinic.close()


def _export(clinic: Clinic, args: argparse.Namespace) -> int:
    try:
        return export_command.run(clinic, cli_user(clinic), args, sys.stdout)
    finally:
        clinic.close()


def _config(clinic: Clinic, args: argparse.Namespace) -> int:
    try:
        return config_command.run(clinic, cli_user(clinic), args, sys.stdout)
    finally:
        clinic.close()


def _measure(clinic: Clinic, args: argparse.Namespace) -> int:
    try:
        return measure_command.run(clinic, cli_user(clinic), args, sys.stdout)
    finally:
        clinic.close()


def _audit(clinic: Clinic, args: argparse.Namespace) -> int:
    try:
        return audit_command.run(clinic, cli_user(clinic), args, sys.stdout)
    finally:
        clinic.close()


def _selftest(clinic: Clinic, screenshot: Path | None) -> int:
    try:
        # On a clinic with records the drawn window shows them: a clinician signs in first.
        # An empty clinic (an installation check) has nothing to protect.
        user = cli_user(clinic) if clinic.has_participants() else SELFTEST_USER
        selftest = importlib.import_module("ui.selftest")  # Qt: the main window is drawn
        return int(selftest.run(clinic, user, screenshot))
    finally:
        clinic.close()


def _print_recovery_code(code: str, store: KeyStore) -> None:
    print(
        f"The clinic's data is encrypted with a new key, kept in {store.description}.\n"
        f"Recovery code (shown only this once):\n\n    {code}\n\n"
        "Print it or write it down and keep it locked away from the computer: it is the only "
        "way back into the data if the key is lost (keyring cleared, new computer, forgotten "
        "passphrase). Anyone holding it and the data folder can read the records."
    )


def _recover(data_dir: Path, store: KeyStore) -> int:
    path = prepare_data_folder(data_dir)
    code = getpass.getpass("Recovery code: ") if sys.stdin.isatty() else sys.stdin.readline()
    restore_key(path, code, store)
    print(f"The key of the clinic in {data_dir} was restored to {store.description}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
