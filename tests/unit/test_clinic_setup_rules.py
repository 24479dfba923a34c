"""The setup rules: NPI check digits, time zones, billing codes, note template fields, TOML."""

from __future__ import annotations

import tomllib
from datetime import date, time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from facilitator.domain.clinic_setup import (
    SetupError,
    check_npi,
    check_time_zone,
    template_from_data,
)
from facilitator.domain.identifiers import npi_check_digit
from facilitator.domain.service_codes import ServiceCode, check_service_codes
from facilitator.toml_writer import dumps


@pytest.mark.parametrize("npi", ["1234567893", "1245319599", " 1003000126 "])
def test_valid_npis(npi: str) -> None:
    assert check_npi(npi) == npi.strip()


@pytest.mark.parametrize(
    ("npi", "message"),
    [
        ("1234567890", "check digit"),
        ("1245319590", "check digit"),
        ("123456789", "is 10 digits"),
        ("12345678931", "is 10 digits"),
        ("12345678a3", "is 10 digits"),
        ("", "is 10 digits"),
    ],
)
def test_invalid_npis(npi: str, message: str) -> None:
    with pytest.raises(SetupError, match=message):
        check_npi(npi)


@given(st.text("0123456789", min_size=9, max_size=9), st.integers(0, 9), st.integers(1, 9))
def test_a_mistyped_digit_is_caught(first_nine: str, position: int, shift: int) -> None:
    npi = first_nine + str(npi_check_digit(first_nine))
    assert check_npi(npi) == npi
    typo = npi[:position] + str((int(npi[position]) + shift) % 10) + npi[position + 1 :]
    with pytest.raises(SetupError):
        check_npi(typo)


def test_time_zones() -> None:
    assert check_time_zone("America/New_York") == "America/New_York"
    assert check_time_zone(" Europe/Paris ") == "Europe/Paris"
    for bad in ("Mars/Base", "EST5EDT/x", "", "../etc/passwd", "/etc/localtime"):
        with pytest.raises(SetupError):
            check_time_zone(bad)


@pytest.mark.parametrize("code", ["H0015", "90853", "S9480", "H2019", "0591T"])
def test_valid_service_codes(code: str) -> None:
    assert ServiceCode.from_dict({"code": code.lower(), "modifiers": ["hq"]}).modifiers == ("HQ",)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"code": "H15"}, "not a billing code"),
        ({"code": "ABCDE"}, "not a billing code"),
        ({"code": "908531"}, "not a billing code"),
        ({"code": "H0015", "modifiers": ["H"]}, "modifier 'H' is not two"),
        ({"code": "H0015", "telehealth_modifiers": ["955"]}, "modifier '955'"),
        ({"code": "H0015", "per": "week"}, "per day or per block"),
        ({"code": "H0015", "minimum_minutes": 0}, "minimum minutes"),
        ({"code": "H0015", "price": 10}, "no setting price"),
        ({"description": "no code"}, "needs its code"),
    ],
)
def test_invalid_service_codes(values: dict[str, Any], message: str) -> None:
    with pytest.raises(SetupError, match=message):
        ServiceCode.from_dict(values)


def test_service_codes_name_known_modalities_once() -> None:
    group = ServiceCode("90853", per="block", modalities=("CBT",))
    assert check_service_codes([group], ["CBT", "RP"]) == (group,)
    with pytest.raises(SetupError, match="no modality YOGA"):
        check_service_codes([ServiceCode("90853", modalities=("YOGA",))], ["CBT"])
    with pytest.raises(SetupError, match="listed twice"):
        check_service_codes([group, group], ["CBT"])


FIELD = {"key": "goal", "label": "Goal", "help": "", "required": True}


def test_template_fields_are_checked() -> None:
    template = template_from_data(
        "mine", "My note", "", [FIELD, {**FIELD, "key": "plan", "quick_phrases": ["Will "]}]
    )
    assert template.code == "MINE"
    assert template.fields[1].quick_phrases == ("Will ",)  # the trailing space is kept
    with pytest.raises(SetupError, match="key goal repeats"):
        template_from_data("MINE", "My note", "", [FIELD, FIELD])
    with pytest.raises(SetupError, match="field key"):
        template_from_data("MINE", "My note", "", [{**FIELD, "key": ""}])
    with pytest.raises(SetupError, match="at least one field"):
        template_from_data("MINE", "My note", "", [])
    with pytest.raises(SetupError, match="label is required"):
        template_from_data("MINE", "My note", "", [{**FIELD, "label": " "}])


_text = st.text()
_scalar = st.one_of(_text, st.integers(-(2**63), 2**63 - 1), st.booleans(), st.dates(), st.times())
_leaf = st.dictionaries(_text, st.one_of(_scalar, st.lists(_text, max_size=3)), max_size=4)
_document = st.recursive(
    _leaf,
    lambda inner: st.dictionaries(
        _text, st.one_of(_scalar, inner, st.lists(inner, min_size=1, max_size=3)), max_size=4
    ),
    max_leaves=12,
)


@given(_document)
def test_the_toml_writer_round_trips(document: dict[str, Any]) -> None:
    assert tomllib.loads(dumps(document)) == document


def test_the_toml_writer_keeps_outlines_readable() -> None:
    text = dumps({"outline": 'Step 1.\nStep "2".\n', "day": date(2026, 1, 5), "at": time(9)})
    assert '"""\nStep 1.\nStep \\"2\\".\n"""' in text
    assert "day = 2026-01-05" in text and "at = 09:00:00" in text
