"""How people are named on screen and in documents."""

from __future__ import annotations


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
