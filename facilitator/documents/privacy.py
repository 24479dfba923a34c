"""Other group members in a participant's documents: initials only.

The rule (42 CFR Part 2, and the program's own policy): a participant's note or chart never
names anyone else in the group. Every place where these documents list other members
(attendance, who else was in the block, the group note shown as context) goes through this
module: lists hold `initials`, and the group note, written by the facilitator about the whole
group, has each other member's name replaced by initials (`redact_names`): a full name in any
case and spacing, and a first, preferred or last name on its own where it is written as a name
(capitalised, a whole word). A single name the participant shares is left alone: it names no one
the reader does not already see. This errs towards hiding: a member called Hope turns "Hope
grows" at the start of a sentence into initials too.

What cannot be done reliably is rewriting a clinician's free text in general: a signed note's
own fields are printed exactly as signed, since the content hash covers them. Clinicians are
asked never to name other members in a participant's note; the session record (the program's
own file) and the sign-in sheet (signed in the room) are not a participant's documents and show
full names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from facilitator.domain.people import initials


@dataclass(frozen=True)
class Member:
    legal_first: str
    legal_last: str
    preferred: str | None

    @property
    def initials(self) -> str:
        return initials(self.legal_first, self.legal_last)

    def full_names(self) -> list[str]:
        """The ways a full name is likely written: first last, preferred last, last, first."""
        firsts = {self.legal_first.strip()}
        if self.preferred and self.preferred.strip():
            firsts.add(self.preferred.strip())
        last = self.legal_last.strip()
        names = [f"{first} {last}" for first in firsts if first and last]
        names += [f"{last}, {first}" for first in firsts if first and last]
        return names

    def single_names(self) -> set[str]:
        """The names that may stand alone: first, preferred and last."""
        names = {self.legal_first, self.preferred or "", self.legal_last}
        return {name.strip() for name in names if name.strip()}


def redact_names(text: str, others: Iterable[Member], own: Member | None = None) -> str:
    """`text` with every other member's name as their initials (see the module docstring);
    `own` is the participant whose document this is."""
    if not text:
        return text
    names = _names(frozenset(others), own)
    return names.pattern.sub(names.initials_of, text) if names else text


def members_named(text: str, others: Iterable[Member], own: Member | None = None) -> list[str]:
    """The initials of the other members `text` names, as `redact_names` would find them
    (sorted, each once): the review screen warns before such a note is signed."""
    names = _names(frozenset(others), own) if text else None
    if names is None:
        return []
    return sorted({names.initials_of(match) for match in names.pattern.finditer(text)})


@dataclass(frozen=True)
class _Names:
    """Every other member's names as one pattern, and the initials each match stands for."""

    pattern: re.Pattern[str]
    full: dict[str, str]  # casefolded full name: initials
    single: dict[str, str]  # a name on its own, as written: initials, or [member] when shared

    def initials_of(self, match: re.Match[str]) -> str:
        found = match.group(0)
        return self.full.get(" ".join(found.split()).casefold()) or self.single.get(
            found, "[member]"
        )


@lru_cache(maxsize=64)  # a chart asks for the same group's pattern block after block
def _names(others: frozenset[Member], own: Member | None) -> _Names | None:
    full: dict[str, str] = {}
    single: dict[str, str] = {}
    own_names = own.single_names() if own else set()
    for member in sorted(others, key=lambda m: (m.legal_last, m.legal_first)):
        for name in member.full_names():
            full[name.casefold()] = member.initials
        for name in member.single_names() - own_names:
            # a name two members share could be either: it becomes neither's initials
            single[name] = (
                member.initials
                if single.get(name, member.initials) == member.initials
                else "[member]"
            )
    if not full and not single:
        return None
    spaced = [r"\s+".join(re.escape(part) for part in name.split()) for name in full]
    alternatives = [
        *(f"(?i:{name})" for name in sorted(spaced, key=len, reverse=True)),
        *(re.escape(name) for name in sorted(single, key=len, reverse=True)),
    ]
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")
    return _Names(pattern, full, single)
