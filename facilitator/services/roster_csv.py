"""Reading a roster CSV file: encoding, delimiter, header, and each line's values.

Nothing here touches the database: the result is the file's lines as text by column, with the
problems found in the file itself. roster_import checks them against the clinic.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
DELIMITERS = (",", ";", "\t")
UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SAVE_AS_UTF8 = (
    "Save it as UTF-8 (in Excel: File > Save As > 'CSV UTF-8 (Comma delimited)') and try again."
)


@dataclass(frozen=True)
class RosterColumn:
    """A column the importer reads: its key (the documented header), aliases, limits."""

    key: str
    label: str
    required: bool
    aliases: tuple[str, ...] = ()
    max_length: int = 100


COLUMNS = (
    RosterColumn(
        "chart_number",
        "Chart number",
        True,
        ("chart", "chart_no", "chart_num", "mrn", "record_number"),
        50,
    ),
    RosterColumn(
        "first_name", "First name", True, ("first", "legal_first", "legal_first_name", "given_name")
    ),
    RosterColumn(
        "last_name",
        "Last name",
        True,
        ("last", "legal_last", "legal_last_name", "surname", "family_name"),
    ),
    RosterColumn("preferred_name", "Preferred name", False, ("preferred", "goes_by", "nickname")),
    RosterColumn("pronouns", "Pronouns", False, ("pronoun",), 50),
    RosterColumn("date_of_birth", "Date of birth", True, ("dob", "birth_date", "birthdate")),
    RosterColumn("group", "Group", False, ("group_name", "track")),
    RosterColumn(
        "admitted", "Admitted", False, ("admission_date", "admitted_on", "admit_date", "admission")
    ),
    RosterColumn("goals", "Goals", False, ("goal", "treatment_goals"), 4000),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
_ALIASES = {alias: c.key for c in COLUMNS for alias in (c.key, *c.aliases)}
GOAL_SEPARATOR = "|"


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file (line None), a line, or one value on a line (column)."""

    message: str
    line: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class CsvLine:
    """One non-blank line after the header: values by column key, stripped of spaces."""

    line: int
    values: dict[str, str]
    problems: tuple[Problem, ...] = ()

    def value(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass(frozen=True)
class CsvRoster:
    """The file's problems, and its lines when the header names every required column."""

    columns: tuple[str, ...] = ()
    lines: tuple[CsvLine, ...] = ()
    problems: tuple[Problem, ...] = field(default_factory=tuple)


def header_key(header: str) -> str | None:
    """The column key a header names ('Date of Birth', 'DOB', 'date_of_birth' ...), or None."""
    return _ALIASES.get(_normalized(header))


def read_file(path: Path) -> bytes:
    """The file's bytes, reading no more than one byte past the size limit."""
    with path.open("rb") as file:
        return file.read(MAX_FILE_BYTES + 1)


def read_roster(data: bytes) -> CsvRoster:
    """Decode and split the file into lines by column; never raises on bad content."""
    if len(data) > MAX_FILE_BYTES:
        return _refused(
            f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, which is more than "
            "a roster holds. Check that it is the right file, or split it into smaller files."
        )
    text_or_problem = _decode(data)
    if isinstance(text_or_problem, Problem):
        return CsvRoster(problems=(text_or_problem,))
    text = text_or_problem
    if not text.strip():
        return _refused(
            "The file is empty. A roster has a header line (chart_number, first_name, "
            "last_name, date_of_birth, ...) and one line per participant."
        )
    records = _records(text, _delimiter(text))
    return CsvRoster(problems=(records,)) if isinstance(records, Problem) else _lines(records)


def _refused(message: str) -> CsvRoster:
    return CsvRoster(problems=(Problem(message),))


def _decode(data: bytes) -> str | Problem:
    if data.startswith(UTF16_BOMS):
        return Problem(f"The file is saved as UTF-16 ('Unicode text'). {SAVE_AS_UTF8}")
    body = data.removeprefix(UTF8_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = body.rfind(b"\n", 0, error.start) + 1
        line = body.count(b"\n", 0, error.start) + 1
        return Problem(
            f"Line {line} is not UTF-8 text (byte 0x{body[error.start]:02X} at byte "
            f"{error.start - line_start + 1} of the line): the file was probably saved in "
            f"another encoding, such as Windows-1252. {SAVE_AS_UTF8}",
            line=line,
        )


def _delimiter(text: str) -> str:
    """The delimiter that makes the most known headers of the first line; comma on a tie."""
    first = text.lstrip("\r\n").splitlines()[0]
    return max(DELIMITERS, key=lambda d: sum(header_key(h) is not None for h in first.split(d)))


def _records(text: str, delimiter: str) -> list[tuple[int, list[str]]] | Problem:
    """(first line number, cells) for each record, blank lines included as []."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            records.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        return Problem(
            f"Line {start} cannot be read as CSV ({error}). A value holding the delimiter "
            f"'{_shown(delimiter)}' or a quote must be in double quotes, with quotes inside it "
            'doubled ("").',
            line=start,
        )
    return records


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def _lines(rows: list[tuple[int, list[str]]]) -> CsvRoster:
    records = [
        (line, [c.strip() for c in cells]) for line, cells in rows if any(c.strip() for c in cells)
    ]
    if not records:
        return _refused("The file holds only blank lines.")
    (header_line, headers), body = records[0], records[1:]
    keys, problems = _header(header_line, headers, body)
    if not body:
        problems.append(
            Problem("The file has a header line but no participants.", line=header_line)
        )
    if len(body) > MAX_ROWS:
        problems.append(
            Problem(
                f"The file has {len(body)} participant lines; an import takes at most "
                f"{MAX_ROWS}. Split it into smaller files."
            )
        )
    columns = tuple(k for k in keys if k)
    if len(body) > MAX_ROWS or any(c.required and c.key not in columns for c in COLUMNS):
        return CsvRoster(columns, problems=tuple(problems))
    return CsvRoster(
        columns, tuple(_line(line, keys, cells) for line, cells in body), tuple(problems)
    )


def _header(
    line: int, headers: list[str], body: list[tuple[int, list[str]]]
) -> tuple[list[str | None], list[Problem]]:
    keys: list[str | None] = []
    problems: list[Problem] = []
    for index, header in enumerate(headers):
        key = header_key(header) if header else None
        position = index + 1
        if not header:
            used = [n for n, cells in body if index < len(cells) and cells[index]]
            if used:
                problems.append(
                    Problem(
                        f"Column {position} has no header but holds values (first on line "
                        f"{used[0]}). Give it one of the documented headers or remove it.",
                        line=line,
                    )
                )
        elif key is None:
            problems.append(Problem(_unexpected(header, position), line=line))
        elif key in keys:
            problems.append(
                Problem(
                    f"Column {position} ('{header}') repeats column {keys.index(key) + 1}: "
                    f"both are read as {key}. Keep one of them.",
                    line=line,
                )
            )
            key = None
        keys.append(key)
    missing = [c.key for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        problems.append(
            Problem(
                f"The header line has no {_listed(missing)} column. The first non-blank line "
                f"must name the columns: {', '.join(c.key for c in COLUMNS)}.",
                line=line,
            )
        )
    if ("group" in keys) != ("admitted" in keys):
        present, absent = ("group", "admitted") if "group" in keys else ("admitted", "group")
        problems.append(
            Problem(
                f"The file has a {present} column but no {absent} column: a group enrollment "
                "needs both the group and the admission date.",
                line=line,
            )
        )
    return keys, problems


def _unexpected(header: str, position: int) -> str:
    known = [c.key for c in COLUMNS]
    close = difflib.get_close_matches(_normalized(header), list(_ALIASES), n=1, cutoff=0.75)
    hint = f" Did you mean {_ALIASES[close[0]]}?" if close else ""
    return (
        f"Unexpected column {position} '{_clipped(header)}': the importer reads only "
        f"{', '.join(known)}.{hint} Rename or remove the column so no data is left out."
    )


def _line(line: int, keys: list[str | None], cells: list[str]) -> CsvLine:
    values = {k: cells[i] for i, k in enumerate(keys) if k and i < len(cells)}
    problems: list[Problem] = []
    if len(cells) > len(keys) and any(cells[len(keys) :]):
        problems.append(
            Problem(
                f"This line has {len(cells)} values but the header has {len(keys)} columns. "
                "A value holding the delimiter must be in double quotes.",
                line=line,
            )
        )
    return CsvLine(line, values, tuple(problems))


def parse_date(text: str) -> date:
    """A date written YYYY-MM-DD (ISO) or MM/DD/YYYY (US); ValueError says what was expected."""
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    us = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})", text)
    expected = "Write dates as YYYY-MM-DD (2001-05-13) or MM/DD/YYYY (05/13/2001)."
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    elif us:
        month, day, year = (int(g) for g in us.groups())
        if len(us.group(3)) == 2:
            raise ValueError(f"'{text}' has a two-digit year; write the year in full. {expected}")
        if month > 12 and day <= 12:
            raise ValueError(
                f"'{text}' reads month first (MM/DD/YYYY), so its month would be {month}. "
                f"Day-first dates are not accepted; write it as {year:04d}-{day:02d}-{month:02d}."
            )
    else:
        raise ValueError(f"'{_clipped(text)}' is not a date. {expected}")
    try:
        parsed = date(year, month, day)
    except ValueError:
        raise ValueError(f"'{text}' is not a day of the calendar. {expected}") from None
    if parsed.year < 1900:
        raise ValueError(f"'{text}' is before 1900; check the year.")
    return parsed


def goals(text: str) -> list[str]:
    """The goals of a goals cell: separated by '|', blanks left out."""
    return [g.strip() for g in text.split(GOAL_SEPARATOR) if g.strip()]


def _normalized(header: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", header.casefold()).strip("_")


def _listed(keys: list[str]) -> str:
    return keys[0] if len(keys) == 1 else f"{', '.join(keys[:-1])} or {keys[-1]}"


def _clipped(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
