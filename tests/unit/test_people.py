"""How participants are named on screen and in documents."""

from __future__ import annotations

import pytest

from facilitator.domain.people import NameStyle, display_name, initials, sign_in_name


@pytest.mark.parametrize(
    ("first", "last", "preferred", "expected"),
    [
        ("Jonathan", "Doe", None, "Jonathan Doe"),
        ("Jonathan", "Doe", "Jon", "Jon Doe"),
        ("Jonathan", "Doe", "  Jon  ", "Jon Doe"),
        ("Jonathan", "Doe", "", "Jonathan Doe"),
        ("Jonathan", "Doe", "   ", "Jonathan Doe"),
        ("María José", "García-López", "Majo", "Majo García-López"),
    ],
)
def test_display_name(first: str, last: str, preferred: str | None, expected: str) -> None:
    assert display_name(first, last, preferred) == expected


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        ("Jane", "Doe", "J.D."),
        ("jane", "doe", "J.D."),
        ("  jane", " doe", "J.D."),
        ("Émile", "Øster", "É.Ø."),
        ("", "Doe", "D."),
        ("Jane", "   ", "J."),
    ],
)
def test_initials(first: str, last: str, expected: str) -> None:
    assert initials(first, last) == expected


@pytest.mark.parametrize(
    ("first", "last", "preferred", "style", "expected"),
    [
        ("Alexandra", "Rivera", "Alex", NameStyle.PREFERRED_INITIAL, "Alex R."),
        ("Alexandra", "rivera", None, NameStyle.PREFERRED_INITIAL, "Alexandra R."),
        ("Alexandra", "", "Alex", NameStyle.PREFERRED_INITIAL, "Alex"),
        ("Alexandra", "Rivera", "Alex", NameStyle.LEGAL, "Alexandra Rivera (Alex)"),
        ("Alexandra", "Rivera", "Alexandra", NameStyle.LEGAL, "Alexandra Rivera"),
        ("Alexandra", "Rivera", "  ", NameStyle.LEGAL, "Alexandra Rivera"),
    ],
)
def test_sign_in_names(
    first: str, last: str, preferred: str | None, style: NameStyle, expected: str
) -> None:
    assert sign_in_name(first, last, preferred, style) == expected
