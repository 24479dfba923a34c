"""`facilitator config export|import` and the services behind them, on real clinics: the
shipped example, round trips between clinics, and bad files that change nothing."""

from __future__ import annotations

import shutil
import tomllib
from collections.abc import Iterator
from datetime import date, time
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.cli.main import EXIT_USER_ERROR, main
from facilitator.domain.users import SignedInUser
from facilitator.security.audit_verify import verify_audit_log
from facilitator.services.clinic_config import ConfigImportError
from facilitator.services.group_schedule import ScheduleEntry
from facilitator.storage.models import AuditEvent, Group
from facilitator.storage.unit_of_work import unit_of_work
from tests.roster_clinic import table_contents
from tests.setup_clinic import EXAMPLE, SETUP_PASSWORD, make_setup_clinic


@pytest.fixture(scope="module")
def setup_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SignedInUser]:
    folder = tmp_path_factory.mktemp("config") / "clinic"
    return folder, make_setup_clinic(folder)


def _copy(setup_folder: tuple[Path, SignedInUser], folder: Path) -> Clinic:
    shutil.copytree(setup_folder[0], folder)
    return open_clinic(folder)


@pytest.fixture
def clinic(setup_folder: tuple[Path, SignedInUser], tmp_path: Path) -> Iterator[Clinic]:
    opened = _copy(setup_folder, tmp_path / "first")
    yield opened
    opened.close()


@pytest.fixture
def admin(setup_folder: tuple[Path, SignedInUser]) -> SignedInUser:
    return setup_folder[1]


def _import(clinic: Clinic, admin: SignedInUser, text: str) -> None:
    plan = clinic.setup.preview_import(text)
    assert plan.problems == []
    clinic.setup.apply_import(admin, plan)


def test_the_example_sets_up_an_adult_iop(clinic: Clinic, admin: SignedInUser) -> None:
    plan = clinic.setup.preview_import(EXAMPLE.read_text(encoding="utf-8"))
    assert plan.problems == []
    assert [(c.kind, c.name) for c in plan.changes if c.status == "added"] == [
        ("clinic", "profile"),
        ("program", "Adult IOP"),
        ("group", "Adult IOP Morning"),
        ("group", "Adult IOP Evening"),
    ]
    assert clinic.setup.groups() == []  # a preview changes nothing
    clinic.setup.apply_import(admin, plan)
    profile = clinic.setup.profile()
    assert (profile.npi, profile.time_zone) == ("1234567893", "America/New_York")
    program = clinic.setup.programs()[0].details
    assert (program.days_per_week, program.daily_minimum_minutes) == (4, 180)
    assert program.service_codes[0].code == "H0015"
    group = next(g for g in clinic.setup.groups() if g.details.name == "Adult IOP Morning")
    assert (group.details.capacity, group.program) == (12, "Adult IOP")
    (period,) = group.schedule
    assert period.effective_from == date(2026, 1, 5) and period.effective_until is None
    assert sorted({e.weekday for e in period.entries}) == [0, 1, 2, 3]
    assert [e for e in period.entries if e.weekday == 1] == [
        ScheduleEntry(1, time(9), time(10), "DBT"),
        ScheduleEntry(1, time(10, 15), time(11, 15), "MI"),
        ScheduleEntry(1, time(11, 30), time(12, 30), "PROC"),
    ]
    with unit_of_work(clinic.database) as session:
        imported = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).one()
        assert imported.detail == {
            "kind": "clinic_setup",
            "added": 4,
            "changed": 0,
            "unchanged": len(plan.changes) - 4,
        }
        # every entry the import wrote is chained as written (the checkpoint was kept)
        report = verify_audit_log(session, clinic.audit.key)
        assert report.intact, report.problems


def test_round_trip_between_clinics(
    clinic: Clinic, admin: SignedInUser, setup_folder: tuple[Path, SignedInUser], tmp_path: Path
) -> None:
    _import(clinic, admin, EXAMPLE.read_text(encoding="utf-8"))
    group = clinic.setup.groups()[0]
    mreyes = next(i for i, name in clinic.setup.leaders() if name == "M. Reyes")
    from dataclasses import replace

    clinic.setup.save_group(admin, group.id, replace(group.details, facilitator_id=mreyes))
    clinic.setup.change_schedule(
        admin, group.id, date(2031, 3, 3), [ScheduleEntry(0, time(9), time(12), "PROC", "Hall")]
    )
    exported = clinic.setup.export_config()
    data = tomllib.loads(exported)
    assert data["group"][0]["facilitator"] == "mreyes"
    assert [p["effective_from"] for p in data["group"][0]["schedule"]] == [
        date(2026, 1, 5),
        date(2031, 3, 3),
    ]
    again = clinic.setup.preview_import(exported)  # the clinic already matches its export
    assert again.problems == [] and {c.status for c in again.changes} == {"unchanged"}
    second = _copy(setup_folder, tmp_path / "second")
    try:
        _import(second, admin, exported)
        assert second.setup.export_config() == exported
    finally:
        second.close()


CODE_END = "\nminimum_minutes = 180\n"  # the service code's (not daily_minimum_minutes)
BILLING_KEYS = CODE_END + 'unit_minutes = 60\nplace_of_service = "22"\n'
BILLING_KEYS += 'telehealth_place_of_service = "02"\n'


def test_unit_minutes_and_places_of_service_travel_between_clinics(
    clinic: Clinic, admin: SignedInUser, setup_folder: tuple[Path, SignedInUser], tmp_path: Path
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace(CODE_END, BILLING_KEYS, 1)
    _import(clinic, admin, text)
    (code,) = clinic.setup.programs()[0].details.service_codes
    assert (code.unit_minutes, code.place_for(False), code.place_for(True)) == (60, "22", "02")
    exported = clinic.setup.export_config()
    (entry,) = tomllib.loads(exported)["program"][0]["service_code"]
    assert (entry["unit_minutes"], entry["place_of_service"]) == (60, "22")
    assert entry["telehealth_place_of_service"] == "02"
    second = _copy(setup_folder, tmp_path / "second")
    try:
        _import(second, admin, exported)
        assert second.setup.programs()[0].details.service_codes == (code,)
        assert second.setup.export_config() == exported
    finally:
        second.close()


REPEATED = 'name = "Adult IOP Morning"\nprogram = "Adult IOP"'
BAD_FILES = {
    "overlap": (
        'start = 10:15:00\nend = 11:15:00\nmodality = "RP"',
        'start = 09:30:00\nend = 11:15:00\nmodality = "RP"',
        "Monday blocks overlap: 09:00-10:00 and 09:30-11:15",
    ),
    "modality": ('modality = "FAM"', 'modality = "YOGA"', "no known modality 'YOGA'"),
    "npi": (
        'npi = "1234567893"',
        'npi = "1234567890"',
        "line 7, [clinic]: 1234567890 is not a valid NPI",
    ),
    "zone": ('"America/New_York"', '"America/Nowhere"', "not a known IANA time zone"),
    "template": ('note_template = "GIRP"', 'note_template = "XYZ"', "no note template 'XYZ'"),
    "leader": ('# facilitator = "mreyes"', 'facilitator = "gone"', "gone is deactivated"),
    "unknown": ('# facilitator = "mreyes"', 'facilitator = "nobody"', "'nobody' has no account"),
    "code": ('code = "H0015"', 'code = "H15"', "'H15' is not a billing code"),
    "place": (
        "\nminimum_minutes = 180",
        '\nminimum_minutes = 180\nplace_of_service = "office"',
        "Code H0015: a place of service is two digits",
    ),
    "typo": ("capacity = 12", "capacity = 12\ncapasity = 3", "unknown setting capasity"),
    "syntax": ("capacity = 12", "capacity = = 12", "not a valid TOML file"),
    "weekday": (
        'weekday = "Thursday"',
        'weekday = "Someday"',
        "line 40, group Adult IOP Morning: schedule 1 block 10: weekday is a day's name",
    ),
    "periods": (
        "effective_from = 2026-01-05",
        "effective_from = 2026-01-05\neffective_until = 2026-03-09\n\n"
        "[[group.schedule]]\neffective_from = 2026-03-02",
        "runs until 2026-03-09, past the start of the next one (2026-03-02)",
    ),
    "twice": ("[[group]]", f"[[group]]\n{REPEATED}\n\n[[group]]", "appears twice in the file"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_change_nothing(clinic: Clinic, admin: SignedInUser, case: str) -> None:
    old, new, message = BAD_FILES[case]
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    before = table_contents(clinic.database)
    plan = clinic.setup.preview_import(text.replace(old, new, 1))
    assert any(message in str(p) for p in plan.problems), plan.problems
    with pytest.raises(ConfigImportError):
        clinic.setup.apply_import(admin, plan)
    assert table_contents(clinic.database) == before


def test_a_change_that_would_move_a_past_session(clinic: Clinic, admin: SignedInUser) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    _import(clinic, admin, text)
    before = table_contents(clinic.database)
    moved = text.replace("effective_from = 2026-01-05", "effective_from = 2026-02-02")
    plan = clinic.setup.preview_import(moved)
    assert [p.message for p in plan.problems] == [
        f"The schedule of Adult IOP {group} cannot change from 2026-01-05, before today "
        f"({clinic.setup.today():%Y-%m-%d}): past sessions never move."
        for group in ("Morning", "Evening")
    ]
    assert plan.problems[0].where.startswith("line 40, group Adult IOP Morning")
    assert table_contents(clinic.database) == before


def _cli(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setenv("FACILITATOR_USER", "setupadmin")
    monkeypatch.setenv("FACILITATOR_PASSWORD", SETUP_PASSWORD)
    return main(["--data-dir", str(folder), "config", *args])


def test_cli_import_then_export(
    setup_folder: tuple[Path, SignedInUser],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(setup_folder[0], folder)
    assert _cli(folder, monkeypatch, "import", str(EXAMPLE), "--yes") == 0
    out = capsys.readouterr().out
    assert "clinic-example.toml: 4 to add, 0 to change" in out
    assert "  added    group     Adult IOP Morning" in out
    assert "Imported: 4 added, 0 changed" in out
    target = tmp_path / "clinic.toml"
    assert _cli(folder, monkeypatch, "export", "--out", str(target)) == 0
    exported = target.read_text(encoding="utf-8")
    assert {g["name"] for g in tomllib.loads(exported)["group"]} == {
        "Adult IOP Morning",
        "Adult IOP Evening",
    }
    capsys.readouterr()
    assert _cli(folder, monkeypatch, "export", "--out", str(target)) == EXIT_USER_ERROR
    assert "add --force to replace it" in capsys.readouterr().err
    inside = folder / "setup.toml"
    assert _cli(folder, monkeypatch, "export", "--out", str(inside), "--force") == EXIT_USER_ERROR
    assert "inside the clinic's data folder" in capsys.readouterr().err
    assert not inside.exists()
    assert _cli(folder, monkeypatch, "import", str(target), "--yes") == 0
    assert "Nothing to import" in capsys.readouterr().out


def test_cli_refuses_a_bad_file_and_a_facilitator(
    setup_folder: tuple[Path, SignedInUser],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(setup_folder[0], folder)
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text(encoding="utf-8").replace('"FAM"', '"YOGA"'), "utf-8")
    opened = open_clinic(folder)
    before = table_contents(opened.database)
    opened.close()
    assert _cli(folder, monkeypatch, "import", str(bad), "--yes") == EXIT_USER_ERROR
    out = capsys.readouterr().out
    assert "error: line 40, group Adult IOP Morning: The schedule names no known modality" in out
    assert "1 problem to fix; nothing was changed." in out
    opened = open_clinic(folder)
    after = table_contents(opened.database)
    with unit_of_work(opened.database) as session:
        assert session.scalars(select(Group)).all() == []
    opened.close()
    setup = ("program", "care_group", "block_template", "modality", "curriculum_topic")
    for table in (*setup, "note_template", "group_session", "block"):
        assert after[table] == before[table]  # only the sign-in was recorded
    ask = iter(["n"])
    monkeypatch.setattr("builtins.input", lambda _: next(ask))
    assert _cli(folder, monkeypatch, "import", str(EXAMPLE)) == 1
    assert "Nothing was changed." in capsys.readouterr().out


def test_the_documented_example_imports(clinic: Clinic, admin: SignedInUser) -> None:
    docs = Path(__file__).resolve().parents[2] / "docs" / "clinic-setup.md"
    text = docs.read_text(encoding="utf-8").split("```toml\n", 1)[1].split("```", 1)[0]
    _import(clinic, admin, text)
    (group,) = clinic.setup.groups()
    assert (group.facilitator, group.co_facilitator) == ("M. Reyes", "J. Chen")
    assert [p.effective_until for p in group.schedule] == [date(2026, 3, 2), None]
    assert group.schedule[0].entries[0].room == "Art Room"
    assert {t.template.code for t in clinic.setup.templates()} >= {"GIRP", "STEPS"}


def test_cli_shares_a_curriculum(
    setup_folder: tuple[Path, SignedInUser],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(setup_folder[0], folder)
    path = tmp_path / "rp.toml"
    exported = ("export-curriculum", "--modality", "rp", "--out", str(path))
    assert _cli(folder, monkeypatch, *exported) == 0
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["modality"] == "RP" and data["topic"][0]["order"] == 1
    text = path.read_text(encoding="utf-8") + (
        '\n[[topic]]\norder = 40\ntitle = "Holidays without drinking"\n'
        'objectives = ["Plan one event."]\noutline = "1. Plan."\n'
    )
    path.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert _cli(folder, monkeypatch, "import-curriculum", str(path)) == 0
    added = f"RP: 1 topic added, 0 changed, {len(data['topic'])} unchanged."
    assert added in capsys.readouterr().out
    path.write_text(text.replace('modality = "RP"', 'modality = "NOPE"'), encoding="utf-8")
    assert _cli(folder, monkeypatch, "import-curriculum", str(path)) == EXIT_USER_ERROR
    assert "There is no modality coded NOPE" in capsys.readouterr().err
