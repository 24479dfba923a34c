"""How people are named on screen and in documents."""

from __future__ import annotations


def display_name(legal_first: str, legal_last: str, preferred: str | None) -> str:
    """'Preferred Last' when a preferred name is set, otherwise 'First Last'."""
    first = preferred.strip() if preferred and preferred.strip() else legal_first
    return f"{first} {legal_last}".strip()


def initials(legal_first: str, legal_last: str) -> str:
    """Initials such as 'J.D.', used for other group members in a participant's documents."""
    parts = [p for p in (legal_first, legal_last) if p.strip()]
    return "".join(f"{p.strip()[0].upper()}." for p in parts)
