"""The rules an admission's details follow, wherever they are typed (the Admit dialog, an edit,
a roster CSV line): one function per rule, each problem named by its field.

- Names, chart number and pronouns: no control characters (tabs, line breaks, invisible
  codes), within the length the record keeps; chart number, first and last name are required.
- Date of birth: in the past; the person is 12 to 110 years old on the admission day (or today
  when there is no admission).
- Admission: not before the date of birth, and not more than 30 days ahead of today.
- Recovery start: not before the date of birth, not in the future, and, at admission, not after
  the admission day (a later restart is recorded by editing it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from facilitator.domain.errors import DomainError
from facilitator.visible_text import has_control_character

MIN_AGE = 12
MAX_AGE = 110
MAX_DAYS_AHEAD = 30
MAX_GOAL_LENGTH = 500


@dataclass(frozen=True)
class TextField:
    key: str
    label: str  # lowercase, as a sentence names it
    max_length: int
    required: bool = False


TEXT_FIELDS = {
    f.key: f
    for f in (
        TextField("chart_number", "chart number", 50, True),
        TextField("first_name", "first name", 100, True),
        TextField("last_name", "last name", 100, True),
        TextField("preferred_name", "preferred name", 100),
        TextField("pronouns", "pronouns", 50),
    )
}

Problems = list[tuple[str, str]]  # (field key, message)


class AdmissionError(DomainError):
    """Details the record cannot hold; `problems` says which field and why (nothing saved)."""

    def __init__(self, problems: Problems) -> None:
        super().__init__(" ".join(message for _, message in problems))
        self.problems = tuple(problems)

    def by_field(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for key, message in self.problems:
            found[key] = f"{found[key]} {message}" if key in found else message
        return found


# Invisible characters that change how a name sorts or matches without showing (direction
# codes are control characters already): zero-width space, word joiner and byte-order mark.
# Joiners that scripts need (ZWJ, ZWNJ) and LRM/RLM stay allowed.
ZERO_WIDTH = frozenset("\u200b\u2060\ufeff")


def has_hidden_character(text: str) -> bool:
    """A control character (facilitator.visible_text: C0/C1, direction codes) or a ZERO_WIDTH
    one: text that would not show as typed."""
    return has_control_character(text) or any(c in ZERO_WIDTH for c in text)


def text_problems(key: str, text: str) -> list[str]:
    """What is wrong with the value of a text field (already stripped of spaces)."""
    field = TEXT_FIELDS[key]
    found = []
    if field.required and not text:
        found.append(f"The {field.label} is missing.")
    if has_hidden_character(text):
        found.append(
            f"The {field.label} holds a control character (a tab, a line break or an "
            "invisible code); retype it."
        )
    if len(text) > field.max_length:
        found.append(
            f"The {field.label} is {len(text)} characters long; at most {field.max_length} fit."
        )
    return found


def goal_problem(text: str) -> str | None:
    """Why a treatment goal's text cannot be kept, or None."""
    if not text.strip():
        return "A treatment goal needs its text."
    if has_hidden_character(text):
        return "A treatment goal holds a control character (a tab or a line break); retype it."
    if len(text) > MAX_GOAL_LENGTH:
        return f"A treatment goal is {len(text)} characters long; at most {MAX_GOAL_LENGTH} fit."
    return None


def age_on(born: date, day: date) -> int:
    """Whole years from `born` to `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birth_problems(born: date, admitted: date | None, today: date) -> list[str]:
    """The date of birth against today and the admission day."""
    if born >= today:
        when = "today" if born == today else "in the future"
        return [f"The date of birth {born:%Y-%m-%d} is {when}."]
    day = admitted or today
    if admitted is not None and admitted < born:
        return []  # the admission's own problem says it
    age = age_on(born, day)
    on = f"on the admission day {day:%Y-%m-%d}" if admitted else "today"
    if age < MIN_AGE:
        return [
            f"The date of birth {born:%Y-%m-%d} makes the participant {age} {on}; "
            f"participants are at least {MIN_AGE}. Check the year."
        ]
    if age > MAX_AGE:
        return [
            f"The date of birth {born:%Y-%m-%d} makes the participant {age} {on}; "
            f"more than {MAX_AGE} is taken for a typo. Check the year."
        ]
    return []


def admission_problems(admitted: date, born: date | None, today: date) -> list[str]:
    """The admission day against the date of birth and today."""
    if born is not None and admitted < born:
        return [f"The admission {admitted:%Y-%m-%d} is before the birth date."]
    latest = today + timedelta(days=MAX_DAYS_AHEAD)
    if admitted > latest:
        return [
            f"The admission {admitted:%Y-%m-%d} is more than {MAX_DAYS_AHEAD} days ahead "
            f"(after {latest:%Y-%m-%d}); admit the participant closer to the day."
        ]
    return []


def recovery_problems(
    recovery_start: date, born: date | None, admitted: date | None, today: date
) -> list[str]:
    """The recovery start day against the birth, today and (at admission) the admission day."""
    if born is not None and recovery_start <= born:
        return [
            f"The recovery start {recovery_start:%Y-%m-%d} is not after the date of birth "
            f"{born:%Y-%m-%d}."
        ]
    if recovery_start > today:
        return [
            f"The recovery start {recovery_start:%Y-%m-%d} is in the future; it is the day "
            "recovery began (leave it empty if it has not)."
        ]
    if admitted is not None and recovery_start > admitted:
        return [
            f"The recovery start {recovery_start:%Y-%m-%d} is after the admission "
            f"{admitted:%Y-%m-%d}; at admission it is on or before that day (edit it later if "
            "recovery restarts)."
        ]
    return []


def date_problems(
    born: date | None,
    admitted: date | None,
    recovery_start: date | None,
    today: date,
) -> Problems:
    """Every date rule above, by field (date_of_birth, admitted, recovery_start)."""
    found: Problems = []
    if born is not None:
        found += [("date_of_birth", m) for m in birth_problems(born, admitted, today)]
    if admitted is not None:
        found += [("admitted", m) for m in admission_problems(admitted, born, today)]
    if recovery_start is not None:
        found += [
            ("recovery_start", m) for m in recovery_problems(recovery_start, born, admitted, today)
        ]
    return found
