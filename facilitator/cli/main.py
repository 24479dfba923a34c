"""`facilitator`: opens the app, or runs a command (demo, ...) on the clinic's data."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import importlib
import sys
import uuid
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

from facilitator import __version__
from facilitator.app import DATA_DIR_VARIABLE, Clinic, open_clinic, resolve_data_dir
from facilitator.cli import audit as audit_command
from facilitator.cli import backup as backup_command
from facilitator.cli import config as config_command
from facilitator.cli import day as day_command
from facilitator.cli import export as export_command
from facilitator.cli import import_roster as import_roster_command
from facilitator.cli import measure as measure_command
from facilitator.cli import verify as verify_command
from facilitator.cli.login import cli_user
from facilitator.cli.passphrase import terminal_passphrase
from facilitator.crash_log import log_unexpected
from facilitator.domain.errors import DomainError
from facilitator.domain.users import Role, SignedInUser
from facilitator.instance_lock import InstanceLock
from facilitator.missing_clinic import ClinicMissingError, database_state, find_traces
from facilitator.security.database_key import default_key_store, recovery_key_store, restore_key
from facilitator.security.key_store import KeyStore
from facilitator.security.passphrase_store import PASSPHRASE_VARIABLE, AskPassphrase
from facilitator.security.process import forbid_core_dumps, private_files
from facilitator.services.demo import DemoRefusedError
from facilitator.storage.database import prepare_data_folder
from facilitator.storage.errors import DataFolderError, StorageError, describe_os_error
from facilitator.visible_text import visible

EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl+C
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
        help="the demo's 'today' (default: today in the clinic's time zone)",
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
    day_command.add_parser(commands)
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
    private_files()
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    if args.command in (None, "gui"):
        # The one hand-over from the core to the UI, imported only when a window is wanted.
        application = importlib.import_module("ui.application")
        return int(application.run(data_dir))
    try:
        with _folder_lock(data_dir, _role(args)):
            return _run_command(args, data_dir, terminal_passphrase(data_dir))
    except (StorageError, DomainError, DemoRefusedError) as error:
        _say(str(error))
    except OSError as error:
        _say(describe_os_error(error))
    except KeyboardInterrupt:
        _say("Interrupted.")
        return EXIT_INTERRUPTED
    except Exception as error:  # the last resort: a message and a log, never a traceback
        log = log_unexpected(error, args.command, data_dir)
        where = f"details for support (no clinical data) are in {log}" if log else "no log"
        _say(
            f"The command stopped on an unexpected error ({type(error).__name__}); "
            f"{where}. What it had saved before stays saved."
        )
    return EXIT_USER_ERROR


def _role(args: argparse.Namespace) -> str:
    """The command's name as the lock file shows it to a refused launch ("key recover")."""
    sub = getattr(args, "key_command", None) or getattr(args, "measure_command", None)
    return f"{args.command} {sub}" if sub else str(args.command)


@contextlib.contextmanager
def _folder_lock(data_dir: Path, role: str) -> Iterator[None]:
    """The data folder's lock (the app's), held while the command runs: every command writes
    (at least its sign-in to the audit log). FolderInUseError when the app or another command
    has the folder."""
    prepare_data_folder(data_dir)  # the folder and its rights; a DataFolderError says why not
    lock = InstanceLock(data_dir, role)
    try:
        lock.acquire()
    except OSError as error:
        raise DataFolderError(
            data_dir, f"its lock file cannot be made ({error.strerror})"
        ) from error
    try:
        yield
    finally:
        lock.release()


def _run_command(args: argparse.Namespace, data_dir: Path, ask: AskPassphrase) -> int:
    if args.command == "key":
        return _recover(data_dir, recovery_key_store(data_dir, ask))
    store = default_key_store(data_dir, ask)
    if args.command == "demo":
        return _demo(data_dir, store, args.if_missing, args.today)
    if args.command == "selftest":
        return _selftest(open_clinic(data_dir, store), args.screenshot)
    if args.command in backup_command.COMMANDS:
        try:
            clinic = open_clinic(data_dir, store)
        except ClinicMissingError as missing:
            if args.command != "restore":
                raise
            return backup_command.run_missing_restore(missing, store, args, sys.stdout)
        return backup_command.run(clinic, args, sys.stdout)
    if args.command == "export":
        return _export(open_clinic(data_dir, store), args)
    if args.command == "config":
        return _config(open_clinic(data_dir, store), args)
    if args.command == "verify":
        return _verify(open_clinic(data_dir, store), args.file)
    if args.command == "day":
        return _day(open_clinic(data_dir, store), args)
    if args.command == "import-roster":
        return _import_roster(open_clinic(data_dir, store), args.file, args.yes)
    if args.command == "audit":
        return _audit(open_clinic(data_dir, store), args)
    if args.command == "measure":
        return _measure(open_clinic(data_dir, store), args)
    raise AssertionError(f"unhandled command {args.command}")


def _say(message: str) -> None:
    """One message on standard error, its control characters shown (it may quote a file)."""
    print(f"facilitator: {visible(message)}", file=sys.stderr)


def _demo(data_dir: Path, store: KeyStore, if_missing: bool, today: date | None) -> int:
    clinic = open_clinic(data_dir, store)
    try:
        if clinic.recovery_code is not None:
            _print_recovery_code(clinic.recovery_code, store)
        if if_missing and (clinic.has_participants() or not clinic.accounts.needs_setup()):
            print(f"A clinic already exists in {data_dir}; it was left as it is.")
            return 0
        summary = clinic.create_demo(today or clinic.today())
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


def _day(clinic: Clinic, args: argparse.Namespace) -> int:
    try:
        return day_command.run(clinic, args, sys.stdout)
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
    latest = find_traces(data_dir).latest
    missing = database_state(path) is not None and latest is not None
    restore_key(path, code, store, opens=latest.path if missing and latest else None)
    print(f"The key of the clinic in {data_dir} was restored to {store.description}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
