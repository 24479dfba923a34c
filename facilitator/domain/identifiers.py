"""Identifiers with a check digit: the National Provider Identifier (NPI)."""

from __future__ import annotations

NPI_PREFIX = "80840"  # the health-industry prefix the Luhn check runs over (ISO 7812)


def npi_check_digit(first_nine: str) -> int:
    """The Luhn check digit of an NPI whose first nine digits are `first_nine` (computed over
    80840 and those nine, as CMS defines it)."""
    total = 0
    for position, char in enumerate(reversed(NPI_PREFIX + first_nine)):
        digit = int(char)
        if position % 2 == 0:  # doubled: the check digit will sit to its right
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


def is_valid_npi(text: str) -> bool:
    """True for ten digits whose last is the Luhn check digit of 80840 + the first nine."""
    if len(text) != 10 or not text.isascii() or not text.isdigit():
        return False
    return npi_check_digit(text[:9]) == int(text[9])


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
