"""Identifiers with a check digit: the National Provider Identifier (NPI)."""

from __future__ import annotations

NPI_PREFIX = "80840"  # the health-industry prefix the Luhn check runs over (ISO 7812)


def is_valid_npi(text: str) -> bool:
    """True for ten digits whose last is the Luhn check digit of 80840 + the first nine."""
    if len(text) != 10 or not text.isascii() or not text.isdigit():
        return False
    return _luhn_valid(NPI_PREFIX + text)


def npi_problem(text: str) -> str | None:
    """Why `text` is not an NPI (an empty one is allowed: not every clinician has one yet)."""
    if not text:
        return None
    if len(text) != 10 or not text.isascii() or not text.isdigit():
        return f"An NPI is 10 digits; '{text[:20]}' is not."
    if not is_valid_npi(text):
        return (
            f"{text} is not a valid NPI: its check digit (the last) does not match. "
            "Check it against the NPPES registry."
        )
    return None


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
