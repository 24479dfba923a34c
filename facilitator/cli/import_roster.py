"""`facilitator import-roster FILE.csv`: show what the file would do, ask, then import it all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.roster_import import (
    RosterImportError,
    RosterPreview,
    RosterRow,
    RowAction,
)
from facilitator.visible_text import visible

EXIT_DECLINED = 1
EXIT_FILE_ERRORS = 2
HELP = (
    "preview a roster CSV file (columns chart_number, first_name, last_name, date_of_birth; "
    "optional preferred_name, pronouns, group, admitted, goals separated by '|'; dates "
    "YYYY-MM-DD or MM/DD/YYYY; UTF-8) and import it after confirmation. A chart number already "
    "in the clinic updates that participant when the date of birth matches. Exits 2, importing "
    "nothing, when the file has errors; 1 when the import is declined."
)


def run(
    clinic: Clinic,
    user: SignedInUser,
    path: Path,
    assume_yes: bool,
    out: TextIO,
    ask: Callable[[str], str] = input,
) -> int:
    """Preview `path`, then import it when `assume_yes` or the user answers yes."""
    preview = clinic.roster_import.preview_file(path)
    print_preview(preview, out)
    if preview.error_count:
        print(f"{_count(preview.error_count, 'problem')} to fix; nothing was imported.", file=out)
        return EXIT_FILE_ERRORS
    if not preview.importable:
        print("Nothing to import: every participant in the file is already up to date.", file=out)
        return 0
    question = f"Import {_count(preview.changing, 'participant')}? [y/N] "
    if not assume_yes and not _yes(ask, question):
        print("Nothing was imported.", file=out)
        return EXIT_DECLINED
    try:
        result = clinic.roster_import.apply(preview, user.id)
    except RosterImportError as error:
        print(str(error), file=out)
        return EXIT_FILE_ERRORS
    print(
        f"Imported: {result.created} created, {result.updated} updated, {result.unchanged} "
        f"unchanged; {_count(result.enrollments, 'enrollment')} and "
        f"{_count(result.goals, 'goal')} added.",
        file=out,
    )
    return 0


def print_preview(preview: RosterPreview, out: TextIO) -> None:
    """The file's problems, then one line per participant with its action and problems; the
    file's text with its control characters shown as symbols (a terminal would obey them)."""
    print(
        f"{visible(str(preview.source))}: {_count(len(preview.rows), 'participant line')}; "
        f"{preview.count(RowAction.CREATE)} new, {preview.count(RowAction.UPDATE)} updated, "
        f"{preview.count(RowAction.UNCHANGED)} unchanged, "
        f"{_count(preview.rows_with_errors, 'line')} with errors.",
        file=out,
    )
    for problem in preview.problems:
        where = f"line {problem.line}: " if problem.line else ""
        print(f"  {where}{visible(problem.message)}", file=out)
    for row in preview.rows:
        print(f"  line {row.line:>4}  {_action(row):<9}  {visible(_who(row))}", file=out)
        for problem in row.problems:
            print(f"              {visible(problem.message)}", file=out)


def _action(row: RosterRow) -> str:
    return "ERROR" if row.action is None else row.action.value


def _who(row: RosterRow) -> str:
    chart = row.values.get("chart_number") or "(no chart number)"
    name = " ".join(n for n in (row.values.get("first_name"), row.values.get("last_name")) if n)
    changes = f" (changes {', '.join(row.changes)})" if row.changes else ""
    return f"{chart}  {name}{changes}"


def _yes(ask: Callable[[str], str], question: str) -> bool:
    try:
        return ask(question).strip().casefold() in ("y", "yes")
    except EOFError:
        return False


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
