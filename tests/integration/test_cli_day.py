"""`facilitator day`: a day's blocks from the schedule, with no PHI, no sign-in, no writes; the
clinic's today (its time zone) is the day shown without --date and the end of a chart."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.cli.main import main
from facilitator.documents.participant import ParticipantChartDocument
from facilitator.documents.requests import ChartRequest
from facilitator.services.clinic_profile import SETTING_KEY
from facilitator.storage.models import Participant, Setting
from facilitator.storage.unit_of_work import unit_of_work
from tests.integration.test_cli import run_cli
from tests.integration.test_day_plan import row_counts
from tests.users import signed_in

TUESDAY = "2026-12-15"


@pytest.fixture
def folder(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Path]:
    copy = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, copy)
    yield copy


def names(folder: Path) -> set[str]:
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            people = session.scalars(select(Participant)).all()
            return {p.legal_last for p in people} | {p.legal_first for p in people}
    finally:
        clinic.close()


def counts(folder: Path) -> dict[str, int]:
    clinic = open_clinic(folder)
    try:
        return row_counts(clinic)
    finally:
        clinic.close()


def test_day_prints_every_groups_blocks_with_the_roster_and_no_names(folder: Path) -> None:
    before = counts(folder)
    result = run_cli("--data-dir", str(folder), "day", "--date", TUESDAY)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Tuesday 15 December 2026"
    assert lines[1].split() == [
        "Time",
        "Group",
        "Modality",
        "Topic",
        "Room",
        "Facilitators",
        "Roster",
        "Status",
    ]
    blocks = lines[2:-1]
    assert [line.split()[0] for line in blocks] == [
        "09:00-10:00",
        "10:00-11:00",
        "11:00-12:00",
        "18:00-19:00",
        "19:00-20:00",
        "20:00-21:00",
    ]
    assert all("Adult IOP" in line and line.split()[-2:] == ["13", "planned"] for line in blocks)
    assert "Morgan Reyes" in blocks[0] and "Room 2 (Cedar)" in blocks[0]
    assert lines[-1] == "6 blocks to run in 2 groups."
    words = set(result.out.replace(",", " ").split())
    assert not words & names(folder)  # no participant's name
    assert counts(folder) == before  # nothing written, not even an audit entry


def test_day_shows_one_group_and_a_closed_day(folder: Path) -> None:
    clinic = open_clinic(folder)
    try:
        admin = signed_in(clinic.database, "admin")
        clinic.schedule_exceptions(admin).close_day(date(2026, 12, 24), "Holiday")
    finally:
        clinic.close()
    result = run_cli(
        "--data-dir", str(folder), "day", "--date", "2026-12-24", "--group", "Adult IOP Evening"
    )
    assert result.code == 0, result.err
    blocks = result.out.splitlines()[2:-1]
    assert len(blocks) == 3 and all("Evening" in b for b in blocks)
    assert all(b.endswith("closed: Holiday") for b in blocks)
    assert result.out.splitlines()[-1] == (
        "0 blocks to run in 1 group; Adult IOP Evening closed (Holiday)."
    )


def test_a_day_without_groups_says_so(folder: Path) -> None:
    result = run_cli("--data-dir", str(folder), "day", "--date", "2026-12-19")  # a Saturday
    assert (result.code, result.out) == (
        0,
        "Saturday 19 December 2026\nNo group meets on this day.\n",
    )


def test_an_unknown_group_exits_2_naming_the_groups(folder: Path) -> None:
    result = run_cli("--data-dir", str(folder), "day", "--group", "Yoga")
    assert result.code == 2
    assert 'There is no group "Yoga". Groups: Adult IOP Evening, Adult IOP Morning.' in result.err


def test_a_bad_date_exits_2_with_the_expected_form(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--data-dir", str(folder), "day", "--date", "15/12/2026"])
    assert raised.value.code == 2
    assert '"15/12/2026" is not a date: give it as YYYY-MM-DD' in capsys.readouterr().err


# 26 hours apart: at any moment their dates differ, so one differs from the computer's.
FAR_ZONES = ("Pacific/Kiritimati", "Etc/GMT+12")


def set_time_zone(clinic: Clinic, zone: str) -> None:
    with unit_of_work(clinic.database) as session:
        row = session.get(Setting, SETTING_KEY)
        values = dict(row.value) if row is not None else {}
        session.merge(Setting(key=SETTING_KEY, value={**values, "time_zone": zone}))


@pytest.mark.parametrize("zone", FAR_ZONES)
def test_day_without_a_date_is_today_in_the_clinics_time_zone(folder: Path, zone: str) -> None:
    clinic = open_clinic(folder)
    try:
        set_time_zone(clinic, zone)
        assert clinic.today() == datetime.now(ZoneInfo(zone)).date()
    finally:
        clinic.close()
    result = run_cli("--data-dir", str(folder), "day")
    assert result.code == 0, result.err
    today = datetime.now(ZoneInfo(zone)).date()
    assert result.out.splitlines()[0] == f"{today:%A %d %B %Y}"


@pytest.mark.parametrize("zone", FAR_ZONES)
def test_a_chart_runs_to_today_in_the_clinics_time_zone(folder: Path, zone: str) -> None:
    clinic = open_clinic(folder)
    try:
        set_time_zone(clinic, zone)
        with unit_of_work(clinic.database) as session:
            participant = session.scalars(select(Participant)).first()
            assert participant is not None
            participant_id = participant.id
        chart = clinic.load_document(ChartRequest(participant_id))
        assert isinstance(chart, ParticipantChartDocument)
        assert chart.last == datetime.now(ZoneInfo(zone)).date()
    finally:
        clinic.close()
