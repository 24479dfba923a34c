"""A new clinic set up the way its IT would script it: the first administrator, then
`facilitator config import` of the shipped example, `facilitator import-roster` of the shipped
roster example, and `facilitator day` a month later shows every group's blocks with the roster
of that date, from the schedule alone (no demo code)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from facilitator.app import open_clinic
from facilitator.cli.main import main
from tests.setup_clinic import EXAMPLE, SETUP_PASSWORD, make_setup_clinic

ROSTER = Path(__file__).resolve().parents[2] / "docs" / "roster-example.csv"


def _tuesday_a_month_after(day: date) -> date:
    later = day + timedelta(days=30)
    return later + timedelta(days=(1 - later.weekday()) % 7)


def test_config_roster_and_day_on_a_new_clinic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "clinic"
    make_setup_clinic(folder)
    monkeypatch.setenv("FACILITATOR_USER", "setupadmin")
    monkeypatch.setenv("FACILITATOR_PASSWORD", SETUP_PASSWORD)
    data = ["--data-dir", str(folder)]

    assert main([*data, "config", "import", str(EXAMPLE), "--yes"]) == 0
    assert main([*data, "import-roster", str(ROSTER), "--yes"]) == 0
    capsys.readouterr()

    day = _tuesday_a_month_after(date.today())
    assert main([*data, "day", "--date", day.isoformat()]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{day:%A} {day.day} {day:%B %Y}"
    blocks = lines[2:-1]
    assert [line.split()[0] for line in blocks] == [
        "09:00-10:00",
        "10:15-11:15",
        "11:30-12:30",
        "18:00-19:00",
        "19:00-20:00",
        "20:00-21:00",
    ]
    morning, evening = blocks[:3], blocks[3:]
    assert all("Adult IOP Morning" in line and "Group Room A" in line for line in morning)
    assert all("Adult IOP Evening" in line and "Group Room B" in line for line in evening)
    # the roster of that date: the example's two morning and two evening admissions
    assert all(line.split()[-2:] == ["2", "planned"] for line in blocks)
    assert lines[-1] == "6 blocks to run in 2 groups."

    clinic = open_clinic(folder)
    try:
        (morning_row,) = [r for r in clinic.day_plan(day) if r.group == "Adult IOP Morning"]
    finally:
        clinic.close()
    assert [b.modality_code for b in morning_row.blocks] == ["DBT", "MI", "PROC"]
