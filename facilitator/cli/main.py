"""`facilitator`: opens the app, or runs a command (demo, ...) on the clinic's data."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from datetime import date

from facilitator import __version__
from facilitator.app import DATA_DIR_VARIABLE, open_clinic, resolve_data_dir
from facilitator.services.demo import DemoRefusedError
from facilitator.storage.errors import StorageError

EXIT_USER_ERROR = 2


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = resolve_data_dir(args.data_dir)
    if args.command in (None, "gui"):
        # The one hand-over from the core to the UI, imported only when a window is wanted.
        application = importlib.import_module("ui.application")
        return int(application.run(data_dir))
    try:
        if args.command == "demo":
            return _demo(data_dir, args.if_missing, args.today or date.today())
    except (StorageError, DemoRefusedError) as error:
        print(f"facilitator: {error}", file=sys.stderr)
        return EXIT_USER_ERROR
    raise AssertionError(f"unhandled command {args.command}")


def _demo(data_dir: object, if_missing: bool, today: date) -> int:
    from pathlib import Path

    assert isinstance(data_dir, Path)
    clinic = open_clinic(data_dir)
    try:
        if if_missing and clinic.has_participants():
            print(f"A clinic already exists in {data_dir}; it was left as it is.")
            return 0
        summary = clinic.create_demo(today)
    finally:
        clinic.close()
    print(
        f"Demo clinic created in {data_dir}: {summary.groups} groups, "
        f"{summary.participants} participants, {summary.sessions} sessions, "
        f"{summary.notes} signed notes, {summary.today_blocks} blocks to run today."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
