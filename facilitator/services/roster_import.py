"""Roster import: preview what each line of a CSV file would do, then write it all or nothing.

Columns (headers are matched ignoring case, spaces and punctuation; aliases in roster_csv):
chart_number, first_name, last_name, date_of_birth (required); preferred_name, pronouns,
group and admitted (together: an enrollment), goals (treatment goals separated by '|').
Dates are YYYY-MM-DD or MM/DD/YYYY. The file is UTF-8, with or without a byte-order mark.

A chart number already in the clinic updates that participant, but only when the date of
birth matches (otherwise it is an error: a typo in a chart number must not merge two people).
An update changes the names, fills in a preferred name or pronouns given in the file (a blank
cell never erases anything), adds an enrollment and goals not already there. Nothing is written
until apply(), which re-checks the file against the clinic in the same transaction.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from facilitator.domain.admission import (
    TEXT_FIELDS,
    date_problems,
    goal_problem,
    text_problems,
)
from facilitator.domain.errors import DomainError
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.admissions import add_goals
from facilitator.services.clinic_profile import clinic_today
from facilitator.services.participant_history import record_change
from facilitator.services.roster_csv import (
    COLUMNS_BY_KEY,
    CsvLine,
    Problem,
    goals,
    parse_date,
    read_file,
    read_roster,
)
from facilitator.storage.database import Database
from facilitator.storage.models import Enrollment, Group, Participant
from facilitator.storage.unit_of_work import unit_of_work
from facilitator.visible_text import has_control_character, without_bidi_controls

_UPDATABLE = ("first_name", "last_name", "preferred_name", "pronouns")


class RosterImportError(DomainError):
    """The import was refused or failed; nothing was written."""


class RowAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RosterEntry:
    """A line's values, parsed: what the participant should look like after the import."""

    chart_number: str
    first_name: str
    last_name: str
    preferred_name: str | None
    pronouns: str | None
    date_of_birth: date
    group_id: uuid.UUID | None
    admitted: date | None
    goals: tuple[str, ...]


@dataclass(frozen=True)
class RosterRow:
    """One participant line: its values as written, what it would do, and its problems."""

    line: int
    values: dict[str, str]
    problems: tuple[Problem, ...] = ()
    action: RowAction | None = None  # None while the line has problems
    participant_id: uuid.UUID | None = None  # the participant an update changes
    changes: tuple[str, ...] = ()  # the columns an update changes; "goals" counts new goals
    entry: RosterEntry | None = None

    def problems_in(self, column: str) -> list[Problem]:
        return [p for p in self.problems if p.column == column]


@dataclass(frozen=True)
class RosterPreview:
    """The whole file: file problems, and one row per participant line."""

    source: str
    columns: tuple[str, ...]
    rows: tuple[RosterRow, ...]
    problems: tuple[Problem, ...] = ()  # about the file as a whole
    data: bytes = field(default=b"", repr=False)

    @property
    def error_count(self) -> int:
        return len(self.problems) + sum(len(r.problems) for r in self.rows)

    @property
    def rows_with_errors(self) -> int:
        return sum(1 for r in self.rows if r.problems)

    def count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action is action)

    @property
    def changing(self) -> int:
        """Participants that the import would create or update."""
        return self.count(RowAction.CREATE) + self.count(RowAction.UPDATE)

    @property
    def importable(self) -> bool:
        return self.error_count == 0 and self.changing > 0


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    enrollments: int
    goals: int

    def as_detail(self) -> dict[str, str | int | bool | None]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "enrollments": self.enrollments,
            "goals": self.goals,
        }


class RosterImport:
    """Preview and import roster files into one clinic database."""

    def __init__(
        self, database: Database, audit: AuditTrail, today: Callable[[], date] | None = None
    ) -> None:
        """`today` stands in for the clinic's today (clinic_profile.clinic_today)."""
        self._database = database
        self._audit = audit
        self._today = today

    def _day(self, session: Session) -> date:
        return self._today() if self._today is not None else clinic_today(session)

    def preview_file(self, path: Path) -> RosterPreview:
        try:
            data = read_file(path)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            problem = Problem(f"The file {path} cannot be read: {reason}.")
            return RosterPreview(path.name, (), (), (problem,))
        return self.preview(data, path.name)

    def preview(self, data: bytes, source: str) -> RosterPreview:
        """What importing `data` would do; reads the clinic, writes nothing."""
        with unit_of_work(self._database) as session:
            return build_preview(session, data, source, self._day(session))

    def apply(self, preview: RosterPreview, actor: uuid.UUID) -> ImportResult:
        """Write the previewed file in one transaction and audit it; all of it or nothing."""
        if not preview.importable:
            raise RosterImportError(
                f"Nothing was imported: the file has {preview.error_count} problems to fix first."
                if preview.error_count
                else "Nothing was imported: every participant in the file is already up to date."
            )
        try:
            with unit_of_work(self._database) as session:
                current = build_preview(session, preview.data, preview.source, self._day(session))
                if current != preview:
                    raise RosterImportError(
                        "Nothing was imported: the clinic's records changed since the preview "
                        "was made. Preview the file again and check it."
                    )
                result = _write(session, current, self._day(session), actor)
                self._audit.record(
                    session,
                    actor=actor,
                    action=AuditAction.IMPORT,
                    object_type="roster",
                    detail=result.as_detail(),
                )
        except SQLAlchemyError as error:
            self._record_failure(actor, len(preview.rows))
            cause = getattr(error, "orig", None) or error
            raise RosterImportError(
                f"Nothing was imported: the database refused the write ({cause}). The clinic's "
                "records are as they were before."
            ) from error
        return result

    def _record_failure(self, actor: uuid.UUID, rows: int) -> None:
        """Audit the failed import; when the database refuses that too, the error still shows."""
        with contextlib.suppress(SQLAlchemyError), unit_of_work(self._database) as session:
            self._audit.record(
                session,
                actor=actor,
                action=AuditAction.IMPORT,
                object_type="roster",
                outcome="failure",
                detail={"rows": rows},
            )


def build_preview(session: Session, data: bytes, source: str, today: date) -> RosterPreview:
    """Read the file and check each line against the clinic (as the session sees it)."""
    roster = read_roster(data)
    lines = roster.lines
    groups = _groups(session)
    existing = _existing(session, {line.value("chart_number") for line in lines})
    repeated = _repeated_charts(lines)
    rows = tuple(
        _row(line, today, groups, existing, repeated.get(line.value("chart_number")))
        for line in lines
    )
    return RosterPreview(source, roster.columns, rows, roster.problems, data)


def _groups(session: Session) -> dict[str, list[Group]]:
    found: dict[str, list[Group]] = defaultdict(list)
    for group in session.scalars(select(Group).where(Group.active).order_by(Group.name)):
        found[group.name.strip().casefold()].append(group)
    return found


def _existing(session: Session, charts: set[str]) -> dict[str, Participant]:
    found: dict[str, Participant] = {}
    wanted = sorted(c for c in charts if c)
    for start in range(0, len(wanted), 500):
        query = (
            select(Participant)
            .where(Participant.chart_number.in_(wanted[start : start + 500]))
            .options(selectinload(Participant.enrollments), selectinload(Participant.goals))
        )
        found.update((p.chart_number, p) for p in session.scalars(query))
    return found


def _repeated_charts(lines: Iterable[CsvLine]) -> dict[str, list[int]]:
    where: dict[str, list[int]] = defaultdict(list)
    for line in lines:
        if line.value("chart_number"):
            where[line.value("chart_number")].append(line.line)
    return {chart: numbers for chart, numbers in where.items() if len(numbers) > 1}


def _row(
    line: CsvLine,
    today: date,
    groups: dict[str, list[Group]],
    existing: dict[str, Participant],
    repeated_on: list[int] | None,
) -> RosterRow:
    problems = list(line.problems)

    def problem(column: str, message: str) -> None:
        problems.append(Problem(message, line.line, column))

    texts = {key: _text(line, key, problem) for key in COLUMNS_BY_KEY}
    chart = texts["chart_number"]
    if repeated_on:
        problem(
            "chart_number",
            f"Chart number {chart} is on lines {_listed(repeated_on)}: each participant goes "
            "on one line.",
        )
    birth = _date(line, "date_of_birth", problem)
    group_id = _group(line, groups, problem)
    admitted = _date(line, "admitted", problem)
    if line.value("group") and not line.value("admitted"):
        problem("admitted", "An enrollment in a group needs the admission date.")
    if line.value("admitted") and not line.value("group"):
        problem("group", "An admission date needs the group the participant joins.")
    for key, message in date_problems(birth, admitted, None, today):
        problem(key, message)
    for message in dict.fromkeys(filter(None, map(goal_problem, goals(texts["goals"])))):
        problem("goals", message)
    if problems or birth is None:
        return RosterRow(line.line, dict(line.values), tuple(problems))
    entry = RosterEntry(
        chart,
        texts["first_name"],
        texts["last_name"],
        texts["preferred_name"] or None,
        texts["pronouns"] or None,
        birth,
        group_id,
        admitted,
        tuple(dict.fromkeys(goals(texts["goals"]))),
    )
    row = RosterRow(line.line, dict(line.values), action=RowAction.CREATE, entry=entry)
    participant = existing.get(chart)
    return row if participant is None else _update(row, entry, participant)


def _text(line: CsvLine, key: str, problem: Callable[[str, str], None]) -> str:
    """The value of a column (direction codes, which would reverse what is shown beside a name,
    dropped), its problems reported: the admission rules' own for the person's
    names, chart number and pronouns; control characters and length for the others."""
    text = without_bidi_controls(line.value(key))
    if key in TEXT_FIELDS:
        for message in text_problems(key, text):
            problem(key, message)
        return text
    column = COLUMNS_BY_KEY[key]
    if has_control_character(text):
        problem(
            key,
            f"The {column.label.lower()} holds a control character (a tab, a line "
            "break or an invisible code); retype it.",
        )
    if len(text) > column.max_length:
        problem(
            key,
            f"The {column.label.lower()} is {len(text)} characters long; at most "
            f"{column.max_length} fit.",
        )
    return text


def _date(line: CsvLine, key: str, problem: Callable[[str, str], None]) -> date | None:
    text = line.value(key)
    if not text:
        if COLUMNS_BY_KEY[key].required:
            problem(key, f"The {COLUMNS_BY_KEY[key].label.lower()} is missing.")
        return None
    try:
        return parse_date(text)
    except ValueError as error:
        problem(key, f"{COLUMNS_BY_KEY[key].label}: {error}")
        return None


def _group(
    line: CsvLine, groups: dict[str, list[Group]], problem: Callable[[str, str], None]
) -> uuid.UUID | None:
    name = line.value("group")
    if not name:
        return None
    matches = groups.get(name.casefold(), [])
    if len(matches) == 1:
        return matches[0].id
    if matches:
        problem("group", f"Several active groups are named '{name}'; rename one in the app.")
    else:
        known = sorted({g.name for named in groups.values() for g in named})
        problem(
            "group",
            f"There is no active group named '{name}'. Groups: {', '.join(known) or 'none yet'}.",
        )
    return None


def _update(row: RosterRow, entry: RosterEntry, participant: Participant) -> RosterRow:
    """The same chart number in the clinic: an update of that person, or an error."""
    if participant.date_of_birth != entry.date_of_birth:
        message = (
            f"Chart number {entry.chart_number} belongs to a participant with another date of "
            "birth. If it is the same person, correct the record in the app; otherwise fix the "
            "chart number."
        )
        return replace(
            row,
            problems=(
                Problem(message, row.line, "chart_number"),
                Problem(message, row.line, "date_of_birth"),
            ),
            action=None,
            entry=None,
        )
    current = {
        "first_name": participant.legal_first,
        "last_name": participant.legal_last,
        "preferred_name": participant.preferred_name,
        "pronouns": participant.pronouns,
    }
    wanted = {
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "preferred_name": entry.preferred_name or participant.preferred_name,
        "pronouns": entry.pronouns or participant.pronouns,
    }
    changes = [key for key in _UPDATABLE if wanted[key] != current[key]]
    if entry.group_id is not None and entry.admitted is not None:
        enrolled = [e for e in participant.enrollments if e.group_id == entry.group_id]
        if not any(e.admitted == entry.admitted for e in enrolled):
            overlapping = [
                e for e in enrolled if e.discharged is None or e.discharged >= entry.admitted
            ]
            if overlapping:
                since = overlapping[0].admitted
                message = (
                    f"Already enrolled in this group since {since:%Y-%m-%d}. Change the "
                    "admission in the app, or leave group and admitted blank on this line."
                )
                return replace(row, problems=(Problem(message, row.line, "admitted"),), action=None)
            changes.append("admitted")
    known_goals = {g.text.strip().casefold() for g in participant.goals}
    if any(g.casefold() not in known_goals for g in entry.goals):
        changes.append("goals")
    action = RowAction.UPDATE if changes else RowAction.UNCHANGED
    return replace(row, action=action, participant_id=participant.id, changes=tuple(changes))


def _write(session: Session, preview: RosterPreview, today: date, actor: uuid.UUID) -> ImportResult:
    counts: Counter[str] = Counter()
    for row in preview.rows:
        entry = row.entry
        assert entry is not None and row.action is not None
        counts[row.action.value] += 1
        if row.action is RowAction.UNCHANGED:
            continue
        if row.participant_id is None:
            participant = Participant(chart_number=entry.chart_number)
            session.add(participant)
        else:
            participant = session.get_one(Participant, row.participant_id)
            _record_changes(
                session, participant, entry, f"Roster import of {preview.source}", actor
            )
        participant.legal_first, participant.legal_last = entry.first_name, entry.last_name
        participant.preferred_name = entry.preferred_name or participant.preferred_name
        participant.pronouns = entry.pronouns or participant.pronouns
        participant.date_of_birth = entry.date_of_birth
        session.flush()
        if "admitted" in row.changes or (row.participant_id is None and entry.group_id):
            session.add(
                Enrollment(
                    participant_id=participant.id,
                    group_id=entry.group_id,
                    admitted=entry.admitted,
                )
            )
            counts["enrollments"] += 1
        counts["goals"] += add_goals(session, participant.id, entry.goals, entry.admitted or today)
    session.flush()
    return ImportResult(
        counts["create"],
        counts["update"],
        counts["unchanged"],
        counts["enrollments"],
        counts["goals"],
    )


def _record_changes(
    session: Session, participant: Participant, entry: RosterEntry, reason: str, actor: uuid.UUID
) -> None:
    """The participant's history: each detail the import changes, was and now."""
    for key, was, now in (
        ("first_name", participant.legal_first, entry.first_name),
        ("last_name", participant.legal_last, entry.last_name),
        ("preferred_name", participant.preferred_name, entry.preferred_name),
        ("pronouns", participant.pronouns, entry.pronouns),
    ):
        if now is not None and now != was:
            record_change(session, participant.id, key, was, now, reason, actor)


def _listed(numbers: list[int]) -> str:
    shown = [str(n) for n in numbers]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"
