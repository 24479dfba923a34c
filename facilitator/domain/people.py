"""How people are named on screen and in documents."""

from __future__ import annotations

from enum import StrEnum


def display_name(legal_first: str, legal_last: str, preferred: str | None) -> str:
    """'Preferred Last' when a preferred name is set, otherwise 'First Last'."""
    first = preferred.strip() if preferred and preferred.strip() else legal_first
    return f"{first} {legal_last}".strip()


def legal_name(legal_first: str, legal_last: str, preferred: str | None) -> str:
    """'First Last (Preferred)': how records name a participant (the preferred name, when set
    and different, in parentheses)."""
    name = f"{legal_first} {legal_last}".strip()
    chosen = preferred.strip() if preferred else ""
    return f"{name} ({chosen})" if chosen and chosen != legal_first.strip() else name


def initials(legal_first: str, legal_last: str) -> str:
    """Initials such as 'J.D.', used for other group members in a participant's documents."""
    parts = [p for p in (legal_first, legal_last) if p.strip()]
    return "".join(f"{p.strip()[0].upper()}." for p in parts)


class NameStyle(StrEnum):
    """How the sign-in sheet names people (a clinic setting)."""

    LEGAL = "legal"  # "Alexandra Rivera (Alex)"
    PREFERRED_INITIAL = "preferred_initial"  # "Alex R.": less for a passer-by to read

    @property
    def label(self) -> str:
        if self is NameStyle.LEGAL:
            return "Legal name, with the preferred name in parentheses"
        return "Preferred first name and last initial"


def sign_in_name(legal_first: str, legal_last: str, preferred: str | None, style: NameStyle) -> str:
    """A person's name on the sign-in sheet in the clinic's `style`."""
    first, last = legal_first.strip(), legal_last.strip()
    chosen = preferred.strip() if preferred and preferred.strip() else ""
    if style is NameStyle.PREFERRED_INITIAL:
        initial = f" {last[0].upper()}." if last else ""
        return f"{chosen or first}{initial}"
    legal = f"{first} {last}".strip()
    return f"{legal} ({chosen})" if chosen and chosen != first else legal
