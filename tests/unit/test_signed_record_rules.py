"""The signed record's rules: actual else planned times, late entry, service codes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from facilitator.domain.late_entry import block_ended_at, is_late_entry
from facilitator.domain.service_codes import ServiceCodeError
from facilitator.domain.signed_record import (
    late_entry_text,
    service_lines,
    service_times,
)

DAY = date(2026, 11, 23)
ZONE = "America/New_York"  # 19:00 EST is 00:00 UTC the next day


def test_actual_times_win_and_say_so() -> None:
    both = service_times(time(9), time(10), time(9, 5), time(10, 10))
    assert (both.start, both.end, both.basis) == (time(9, 5), time(10, 10), "actual")
    assert service_times(time(9), time(10), None, None).basis == "planned"
    assert service_times(time(9), time(10), time(9, 5), None).basis == ("actual start, planned end")


def test_late_entry_is_measured_in_the_clinics_zone_from_the_end() -> None:
    end = time(19, 0)  # 2026-11-24 00:00 UTC
    on_time = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # exactly 24 h later
    late = datetime(2026, 11, 25, 0, 1, tzinfo=UTC)
    ended = block_ended_at(DAY, end, ZONE)
    assert not is_late_entry(ended, on_time, None)
    assert is_late_entry(ended, late, None)
    assert not is_late_entry(ended, late, 48)
    # 19:00 UTC ended five hours later
    assert is_late_entry(block_ended_at(DAY, end, "UTC"), late, 24)


def test_late_entry_text() -> None:
    text = late_entry_text(datetime(2026, 11, 25, 14, 5, tzinfo=UTC), DAY)
    assert text == "Late entry — signed 2026-11-25 14:05 UTC, service 2026-11-23"


CODES = [
    {"code": "H0015", "per": "block", "modalities": ["CBT"], "modifiers": ["HQ"],
     "telehealth_modifiers": ["95"], "minimum_minutes": 45},
    {"code": "S9480", "per": "day", "modalities": [], "modifiers": [], "minimum_minutes": 180},
]  # fmt: skip


def test_service_codes_follow_modality_mode_and_minimum() -> None:
    cbt = service_lines(CODES, "CBT", "video", 60)
    assert [line.text for line in cbt] == [
        "H0015-HQ-95, 1 unit",
        "S9480 (billed once per day of at least 180 minutes)",
    ]
    short = service_lines(CODES, "CBT", "in_person", 30)
    assert short[0].units == 0 and "below the 45-minute minimum" in short[0].text
    assert [line.code for line in service_lines(CODES, "MI", "in_person", 60)] == ["S9480"]
    assert service_lines([], "CBT", "in_person", 60) == ()


def test_a_code_with_unit_minutes_shows_the_units_billing_counts() -> None:
    quarter = [{"code": "H2019", "per": "block", "unit_minutes": 15}]
    assert [line.text for line in service_lines(quarter, "CBT", "in_person", 50)] == [
        "H2019, 3 units"
    ]
    assert service_lines(quarter, "CBT", "in_person", 10)[0].note == (
        "not billed: under one 15-minute unit"
    )


def test_a_stored_code_the_billing_rules_refuse_is_named_with_its_program() -> None:
    bad = [{"code": "H0015", "per": "block", "modifiers": ["@SUM(A1)"]}]
    with pytest.raises(ServiceCodeError, match=r"^Adult IOP: Code H0015: the modifier"):
        service_lines(bad, "CBT", "in_person", 60, "Adult IOP")
