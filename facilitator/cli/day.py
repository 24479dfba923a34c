"""`facilitator day [--date D] [--group G]`: a day's blocks as the schedule and its exceptions
make them, for scripts and IT checking a setup.

Prints no PHI (times, groups, modalities, topics, rooms, facilitators and the roster count,
never a participant's name) and writes nothing: no session is made, no audit entry. Like
`verify`, it needs the database key but no sign-in.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TextIO

from facilitator.app import Clinic
from facilitator.services.day_plan import GroupDayRow, PlannedBlockRow

HELP = (
    "print a day's blocks from the schedule (time, group, modality, topic, room, "
    "facilitators, roster count, closed or cancelled): no PHI, no sign-in, writes nothing"
)
HEADERS = ("Time", "Group", "Modality", "Topic", "Room", "Facilitators", "Roster", "Status")


def iso_day(text: str) -> date:
    """A YYYY-MM-DD date, or a message saying what was expected."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'"{text}" is not a date: give it as YYYY-MM-DD, for example 2026-12-15'
        ) from None


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    day = commands.add_parser("day", help=HELP, description=HELP)
    day.add_argument(
        "--date",
        dest="day",
        type=iso_day,
        metavar="YYYY-MM-DD",
        help="the day to show (default: today)",
    )
    day.add_argument("--group", metavar="NAME_OR_ID", help="one group (default: every group)")


def run(clinic: Clinic, args: argparse.Namespace, out: TextIO) -> int:
    """Print the day; an unknown group is a DomainError (exit 2)."""
    day: date = args.day or clinic.today()
    group_id = clinic.documents.group_id(args.group) if args.group else None
    plans = clinic.day_plan(day, group_id)
    print(f"{day:%A %d %B %Y}", file=out)
    if not plans:
        print("No group meets on this day.", file=out)
        return 0
    lines = [HEADERS, *(_line(b) for plan in plans for b in plan.blocks)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]
    for line in lines:
        print("  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip(), file=out)
    print(_summary(plans), file=out)
    return 0


def _line(block: PlannedBlockRow) -> tuple[str, ...]:
    status = block.marker or ("open" if block.session_id else "planned")
    return (
        f"{block.start:%H:%M}-{block.end:%H:%M}",
        block.group,
        block.modality,
        block.topic or "-",
        block.room or "-",
        block.facilitators or "-",
        str(block.roster),
        "; ".join((status, *block.changes)),
    )


def _summary(plans: list[GroupDayRow]) -> str:
    running = sum(b.runs for plan in plans for b in plan.blocks)
    closed = [f"{p.group} closed ({p.closed})" for p in plans if p.closed]
    counts = f"{running} block{'' if running == 1 else 's'} to run in {len(plans)} group" + (
        "" if len(plans) == 1 else "s"
    )
    return "; ".join((counts, *closed)) + "."
