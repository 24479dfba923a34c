"""The admission rules (domain.admission) and the NPI check digit (domain.identifiers)."""

from __future__ import annotations

from datetime import date

import pytest

from facilitator.domain.admission import (
    AdmissionError,
    age_on,
    date_problems,
    goal_problem,
    text_problems,
)
from facilitator.domain.identifiers import is_valid_npi, npi_problem

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("npi", "valid"),
    [
        ("1234567893", True),  # the CMS example
        ("1245319599", True),
        ("1234567890", False),  # wrong check digit
        ("123456789", False),  # nine digits
        ("12345678931", False),
        ("12345 7893", False),
        ("\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff13", False),  # full width
        ("", False),
    ],
)
def test_npi_check_digit(npi: str, valid: bool) -> None:
    assert is_valid_npi(npi) is valid


def test_npi_problem_says_why_and_allows_none_yet() -> None:
    assert npi_problem("") is None
    assert npi_problem("1234567893") is None
    assert npi_problem("12ab") == "An NPI is 10 digits; '12ab' is not."
    assert "check digit" in (npi_problem("1234567890") or "")


def test_age_counts_whole_years_and_leap_days() -> None:
    assert age_on(date(2014, 11, 24), TODAY) == 11
    assert age_on(date(2014, 11, 23), TODAY) == 12
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


@pytest.mark.parametrize(
    ("born", "admitted", "recovery", "field", "words"),
    [
        (TODAY, None, None, "date_of_birth", "is today"),
        (date(2014, 11, 24), TODAY, None, "date_of_birth", "11 on the admission day"),
        (date(1915, 11, 23), TODAY, None, "date_of_birth", "more than 110"),
        (date(1990, 1, 1), date(1989, 12, 31), None, "admitted", "before the birth date"),
        (date(1990, 1, 1), date(2026, 12, 24), None, "admitted", "more than 30 days ahead"),
        (date(1990, 1, 1), TODAY, date(1990, 1, 1), "recovery_start", "not after the date"),
        (date(1990, 1, 1), TODAY, date(2026, 11, 24), "recovery_start", "in the future"),
        (date(1990, 1, 1), date(2026, 11, 20), TODAY, "recovery_start", "after the admission"),
    ],
)
def test_each_date_rule_names_its_field(
    born: date, admitted: date | None, recovery: date | None, field: str, words: str
) -> None:
    ((key, message),) = date_problems(born, admitted, recovery, TODAY)
    assert key == field and words in message


def test_the_limits_themselves_are_allowed() -> None:
    assert date_problems(date(2014, 11, 23), TODAY, None, TODAY) == []  # 12 today
    assert date_problems(date(1916, 11, 23), TODAY, None, TODAY) == []  # 110 today
    assert date_problems(date(1990, 1, 1), date(2026, 12, 23), None, TODAY) == []  # 30 days
    assert date_problems(date(1990, 1, 1), TODAY, TODAY, TODAY) == []


def test_text_and_goal_rules() -> None:
    assert text_problems("first_name", "") == ["The first name is missing."]
    assert text_problems("preferred_name", "") == []
    assert "control character" in text_problems("last_name", "Ash\x07down")[0]
    assert "control character" in text_problems("last_name", "\u202enwodhsA")[0]  # reversed
    assert "control character" in text_problems("first_name", "Ke\u200bn")[0]
    assert text_problems("first_name", "\u0645\u0647\u200c\u0633\u0627") == []  # ZWNJ kept
    assert text_problems("pronouns", "x" * 51) == [
        "The pronouns is 51 characters long; at most 50 fit."
    ]
    assert goal_problem("Walk daily") is None
    assert goal_problem("  ") == "A treatment goal needs its text."
    assert "at most 500" in (goal_problem("g" * 501) or "")


def test_an_admission_error_groups_messages_by_field() -> None:
    error = AdmissionError([("chart_number", "A."), ("goals", "B."), ("chart_number", "C.")])
    assert error.by_field() == {"chart_number": "A. C.", "goals": "B."}
    assert str(error) == "A. B. C."
