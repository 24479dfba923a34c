"""Other group members in a participant's documents: initials only.

The rule (42 CFR Part 2, and the program's own policy): a participant's note or chart never
names anyone else in the group. Every place where these documents list other members
(attendance, who else was in the block, the group note shown as context) goes through this
module: lists hold `initials`, and the group note, written by the facilitator about the whole
group, has each other member's full name replaced by initials (`redact_names`).

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


def redact_names(text: str, others: Iterable[Member]) -> str:
    """`text` with every other member's full name (any case, any spacing) as their initials."""
    replacements: dict[str, str] = {}
    for member in others:
        for name in member.full_names():
            replacements[name.casefold()] = member.initials
    if not replacements or not text:
        return text
    alternatives = sorted(replacements, key=len, reverse=True)
    pattern = re.compile(
        r"(?<!\w)(?:"
        + "|".join(r"\s+".join(re.escape(part) for part in name.split()) for name in alternatives)
        + r")(?!\w)",
        re.IGNORECASE,
    )
    return pattern.sub(
        lambda m: replacements.get(" ".join(m.group(0).split()).casefold(), "[member]"), text
    )
