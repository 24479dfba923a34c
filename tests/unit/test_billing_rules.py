"""Service codes, units, modifiers and place of service; the late-entry rule."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from facilitator.documents.services_billing import safe_cell
from facilitator.domain.late_entry import is_late_entry
from facilitator.domain.service_codes import (
    BillingPer,
    ServiceCode,
    ServiceCodeError,
    is_telehealth,
    mode_of,
    service_codes,
)
from facilitator.toml_writer import dumps

IOP: dict[str, Any] = {
    "code": "H0015",
    "per": "day",
    "modalities": [],
    "modifiers": ["HQ"],
    "telehealth_modifiers": ["95"],
    "minimum_minutes": 180,
}


def test_a_day_code_bills_one_unit_from_its_minimum() -> None:
    code = ServiceCode.from_dict(IOP)
    assert code.per is BillingPer.DAY
    assert [code.units(m) for m in (0, 179, 180, 400)] == [0, 0, 1, 1]
    assert code.covers("CBT") and code.covers("anything")


def test_unit_minutes_count_whole_units() -> None:
    code = ServiceCode.from_dict({**IOP, "minimum_minutes": None, "unit_minutes": 15})
    assert [code.units(m) for m in (0, 14, 15, 44, 45)] == [0, 0, 1, 2, 3]


def test_telehealth_adds_its_modifiers_once_and_moves_the_place_of_service() -> None:
    code = ServiceCode.from_dict({**IOP, "modifiers": ["HQ", "95"]})
    assert code.modifiers_for(False) == ("HQ", "95")
    assert code.modifiers_for(True) == ("HQ", "95")
    assert ServiceCode.from_dict(IOP).modifiers_for(True) == ("HQ", "95")
    assert (code.place_for(False), code.place_for(True)) == ("11", "10")
    other = ServiceCode.from_dict(
        {**IOP, "place_of_service": "22", "telehealth_place_of_service": "02"}
    )
    assert (other.place_for(False), other.place_for(True)) == ("22", "02")


def test_modes_of_a_day() -> None:
    assert mode_of(["video", "video"]) == "video"
    assert mode_of(["in_person", "telephone"]) == "mixed"
    assert [is_telehealth(m) for m in ("in_person", "video", "telephone", "mixed")] == [
        False,
        True,
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"code": " "}, "has no code"),
        ({"per": "week"}, '"per" must be "day" or "block"'),
        ({"modifiers": "HQ"}, '"modifiers" must be a list of texts'),
        ({"minimum_minutes": -5}, '"minimum_minutes" must be a whole number'),
        ({"unit_minutes": 0}, '"unit_minutes" must be a whole number of minutes above 0'),
        ({"place_of_service": "office"}, "a place of service is two digits"),
    ],
)
def test_a_malformed_code_is_refused_with_what_is_wrong(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ServiceCodeError, match=message):
        ServiceCode.from_dict({**IOP, **change}, "Adult IOP: ")


def test_a_note_is_late_only_past_the_limit() -> None:
    ended = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    assert not is_late_entry(ended, ended + timedelta(hours=24), 24)
    assert is_late_entry(ended, ended + timedelta(hours=24, seconds=1), 24)
    assert is_late_entry(ended, ended + timedelta(hours=49), 48)
    assert not is_late_entry(ended, ended + timedelta(hours=47), 48)


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_quoted(text: str) -> None:
    assert safe_cell(text) == "'" + text


def test_plain_cells_are_left_alone() -> None:
    assert [safe_cell(t) for t in ("IOP-1", "HQ 95", "", "Adult IOP")] == [
        "IOP-1",
        "HQ 95",
        "",
        "Adult IOP",
    ]


def test_the_optional_billing_keys_travel_through_the_config_file() -> None:
    code = ServiceCode.from_dict(
        {**IOP, "unit_minutes": 15, "place_of_service": "22", "telehealth_place_of_service": "02"}
    )
    read_back = tomllib.loads(dumps({"service_code": [code.as_dict()]}))["service_code"][0]
    assert ServiceCode.from_dict(read_back) == code
    assert (code.units(180), code.place_for(True)) == (12, "02")
    plain = ServiceCode.from_dict(IOP).as_dict()
    assert set(plain) == {*IOP, "description"}  # the shared format, nothing more when unset


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"minimum_minutes": 0}, "from 1 to 1440"),
        ({"unit_minutes": 1441}, "at most 1440"),
        ({"code": "H15"}, "not a billing code"),
        ({"modifiers": ["HQ", " "]}, '"modifiers" has an empty item'),
        ({"price": 10}, "no setting price"),
    ],
)
def test_the_billing_export_refuses_what_setup_refuses(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(ServiceCodeError, match=f"^Adult IOP: .*{message}"):
        service_codes([{**IOP, **change}], "Adult IOP")
