"""`facilitator measure list|add FILE.toml`: the clinic's outcome measures; administrators add
new ones as data, in the shape of resources/measures/*.toml."""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path
from typing import TextIO

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser

HELP = "list the outcome measures, or add one defined in a TOML file (administrators only)"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    measure = commands.add_parser("measure", help=HELP)
    measure_commands = measure.add_subparsers(dest="measure_command", metavar="MEASURE_COMMAND")
    measure_commands.required = True
    measure_commands.add_parser("list", help="print each measure: code, name, items, bands")
    add = measure_commands.add_parser(
        "add",
        help="add a measure: code, name, description, [[item]] key, label, low, high (risk), "
        "[[band]] label, low, high; the bands must cover the totals without gaps or overlaps",
    )
    add.add_argument("file", type=Path, help="the measure's TOML file")


def run(clinic: Clinic, user: SignedInUser, args: argparse.Namespace, out: TextIO) -> int:
    if args.measure_command == "add":
        try:
            data = tomllib.loads(args.file.read_text(encoding="utf-8"))
        except OSError as error:
            raise DomainError(f"Could not read {args.file}: {error.strerror}") from error
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise DomainError(f"{args.file} is not a valid TOML file: {error}") from error
        definition = clinic.measures.define(user, data)
        print(f"Added {definition.code}: {definition.name}.", file=out)
        return 0
    for definition in clinic.measures.definitions():
        bands = ", ".join(f"{b.label} {b.low}-{b.high}" for b in definition.bands)
        print(
            f"{definition.code:<12} {definition.name}: {len(definition.items)} items, "
            f"total {definition.low}-{definition.high} ({bands})",
            file=out,
        )
    return 0
