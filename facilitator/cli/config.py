"""`facilitator config export --out FILE.toml` and `facilitator config import FILE.toml`:
the clinic's setup as data (see docs/clinic-setup.md)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from facilitator.app import Clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from facilitator.security.key_info import write_atomically
from facilitator.services.clinic_config import ConfigImportError, ConfigPlan, ConfigProblem

HELP = (
    "the clinic's setup as a TOML file: profile, programs and their codes, modalities and "
    "curriculum, note templates, groups and weekly schedules (no participant data)"
)
EXIT_DECLINED = 1
EXIT_ERRORS = 2


def add_parser(commands: Any) -> None:
    config = commands.add_parser("config", help=HELP, description=HELP)
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    export = actions.add_parser("export", help="write the clinic's setup to a TOML file")
    export.add_argument("--out", type=Path, required=True, metavar="FILE.toml")
    export.add_argument("--force", action="store_true", help="replace the file if it exists")
    imported = actions.add_parser(
        "import",
        help="show what a setup file changes, then apply it all or nothing (administrators; "
        "exits 2, changing nothing, when the file has errors; 1 when declined)",
    )
    imported.add_argument("file", type=Path, metavar="FILE.toml")
    imported.add_argument(
        "--yes", action="store_true", help="apply without asking when the file has no errors"
    )
    curriculum = actions.add_parser(
        "export-curriculum",
        help="write one modality's curriculum in the shape of resources/curriculum/*.toml",
    )
    curriculum.add_argument("--modality", required=True, metavar="CODE")
    curriculum.add_argument("--out", type=Path, required=True, metavar="FILE.toml")
    curriculum.add_argument("--force", action="store_true", help="replace the file if it exists")
    shared = actions.add_parser(
        "import-curriculum",
        help="add a curriculum file's topics to its modality, updating same-titled topics "
        "(administrators; all or nothing)",
    )
    shared.add_argument("file", type=Path, metavar="FILE.toml")


def run(
    clinic: Clinic,
    user: SignedInUser,
    args: argparse.Namespace,
    out: TextIO,
    ask: Callable[[str], str] | None = None,
) -> int:
    """Run `config export` or `config import`; `ask` confirms the import (default: input)."""
    if args.config_command == "export":
        return _export(clinic, user, args.out, args.force, out, clinic.setup.export_config)
    if args.config_command == "export-curriculum":
        code = args.modality
        return _export(
            clinic, user, args.out, args.force, out, lambda: clinic.setup.export_curriculum(code)
        )
    if args.config_command == "import-curriculum":
        result = clinic.setup.import_curriculum(user, _read(args.file))
        print(
            f"{result.modality}: {_count(result.added, 'topic')} added, {result.changed} changed, "
            f"{result.unchanged} unchanged.",
            file=out,
        )
        return 0
    return _import(clinic, user, args.file, args.yes, out, ask or input)


def _export(
    clinic: Clinic,
    user: SignedInUser,
    path: Path,
    force: bool,
    out: TextIO,
    written: Callable[[], str],
) -> int:
    target = path.expanduser().resolve()
    if target.is_relative_to(clinic.data_dir.resolve()):
        raise DomainError(
            f"{path} is inside the clinic's data folder: write the setup file somewhere else."
        )
    if target.exists() and not force:
        raise DomainError(f"{path} exists: choose another file, or add --force to replace it.")
    if not target.parent.is_dir():
        raise DomainError(f"The folder {target.parent} does not exist.")
    write_atomically(target, written())
    clinic.record_audit(
        user.id, AuditAction.EXPORT, object_type="clinic_config", detail={"path": str(target)}
    )
    print(f"Wrote {path}.", file=out)
    return 0


def _import(
    clinic: Clinic,
    user: SignedInUser,
    path: Path,
    assume_yes: bool,
    out: TextIO,
    ask: Callable[[str], str],
) -> int:
    if not user.is_administrator:
        raise DomainError("Only an administrator can change the clinic's setup.")
    plan = clinic.setup.preview_import(_read(path))
    print_plan(path.name, plan, out)
    if not plan.ok:
        return _refused(plan.problems, out)
    if not plan.count("added") and not plan.count("changed"):
        print("Nothing to import: the clinic's setup already matches the file.", file=out)
        return 0
    if not assume_yes and ask("Apply these changes? [y/N] ").strip().lower() not in ("y", "yes"):
        print("Nothing was changed.", file=out)
        return EXIT_DECLINED
    try:
        done = clinic.setup.apply_import(user, plan)
    except ConfigImportError as error:
        return _refused(error.problems, out)
    print(
        f"Imported: {done.count('added')} added, {done.count('changed')} changed, "
        f"{done.count('unchanged')} unchanged.",
        file=out,
    )
    return 0


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise DomainError(f"Could not read {path}: {error.strerror or error}") from error
    except UnicodeDecodeError as error:
        raise DomainError(f"{path} is not a UTF-8 text file.") from error


def _refused(problems: list[ConfigProblem], out: TextIO) -> int:
    print(f"{_problems(len(problems))} to fix; nothing was changed.", file=out)
    return EXIT_ERRORS


def print_plan(name: str, plan: ConfigPlan, out: TextIO) -> None:
    """The file's problems, then one line per item with what importing it does."""
    print(
        f"{name}: {plan.count('added')} to add, {plan.count('changed')} to change, "
        f"{plan.count('unchanged')} unchanged, {_problems(len(plan.problems))}.",
        file=out,
    )
    for problem in plan.problems:
        print(f"  error: {problem}", file=out)
    for change in plan.changes:
        if change.status == "unchanged":
            continue
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        print(f"  {change.status:<8} {change.kind:<9} {change.name}{fields}", file=out)


def _count(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _problems(count: int) -> str:
    return _count(count, "problem")
