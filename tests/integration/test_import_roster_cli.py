"""`facilitator import-roster`: the preview it prints, confirmation, and its exit codes."""

from __future__ import annotations

import contextlib
import io
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from facilitator.app import Clinic, open_clinic
from facilitator.cli import import_roster
from facilitator.cli.main import EXIT_USER_ERROR, main
from facilitator.domain.users import Role, SignedInUser
from facilitator.storage.models import Participant
from tests.roster_clinic import ADMIN_PASSWORD, MORNING, make_roster_clinic, table_contents

HEADER = "chart_number,first_name,last_name,date_of_birth,group,admitted\n"
GOOD = (
    HEADER + f"N-1,Avery,Brightwater,1991-04-17,{MORNING},2026-11-23\nN-2,Blake,Cole,1979-07-30,,\n"
)
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "roster-example.csv"


@pytest.fixture(scope="module")
def clinic_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, uuid.UUID]:
    folder = tmp_path_factory.mktemp("roster-cli") / "clinic"
    return folder, make_roster_clinic(folder)


@pytest.fixture
def clinic(clinic_folder: tuple[Path, uuid.UUID], tmp_path: Path) -> Iterator[Clinic]:
    folder = tmp_path / "clinic"
    shutil.copytree(clinic_folder[0], folder)
    opened = open_clinic(folder)
    yield opened
    opened.close()


@pytest.fixture
def user(clinic_folder: tuple[Path, uuid.UUID]) -> SignedInUser:
    return SignedInUser(clinic_folder[1], "rosteradmin", "R. Admin", "", Role.ADMINISTRATOR, False)


def run(
    clinic: Clinic, user: SignedInUser, path: Path, *, yes: bool = False, answer: str = ""
) -> tuple[int, str, list[str]]:
    out = io.StringIO()
    asked: list[str] = []

    def ask(question: str) -> str:
        asked.append(question)
        return answer

    code = import_roster.run(clinic, user, path, yes, out, ask)
    return code, out.getvalue(), asked


def participant_count(clinic: Clinic) -> int:
    with clinic.database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Participant)) or 0


def test_confirmed_import(clinic: Clinic, user: SignedInUser, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    code, out, asked = run(clinic, user, path, answer="y")
    assert code == 0
    assert asked == ["Import 2 participants? [y/N] "]
    assert out.splitlines() == [
        "roster.csv: 2 participant lines; 2 new, 0 updated, 0 unchanged, 0 lines with errors.",
        "  line    2  create     N-1  Avery Brightwater",
        "  line    3  create     N-2  Blake Cole",
        "Imported: 2 created, 0 updated, 0 unchanged; 1 enrollment and 0 goals added.",
    ]
    assert participant_count(clinic) == 3


@pytest.mark.parametrize("answer", ["", "n", "no thanks"])
def test_declined_import_writes_nothing(
    clinic: Clinic, user: SignedInUser, tmp_path: Path, answer: str
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = table_contents(clinic.database)
    code, out, _ = run(clinic, user, path, answer=answer)
    assert code == import_roster.EXIT_DECLINED
    assert out.endswith("Nothing was imported.\n")
    assert table_contents(clinic.database) == before


def test_yes_imports_without_asking(clinic: Clinic, user: SignedInUser, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    code, _, asked = run(clinic, user, path, yes=True)
    assert (code, asked) == (0, [])
    assert participant_count(clinic) == 3


def test_file_with_errors_exits_2_and_writes_nothing(
    clinic: Clinic, user: SignedInUser, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(HEADER + "N-1,,Brightwater,17/04/1991,Nowhere,2026-11-23\n", encoding="utf-8")
    before = table_contents(clinic.database)
    code, out, asked = run(clinic, user, path, yes=True)
    assert code == import_roster.EXIT_FILE_ERRORS
    assert asked == []
    lines = out.splitlines()
    assert lines[1] == "  line    2  ERROR      N-1  Brightwater"
    assert lines[2] == "              The first name is missing."
    assert lines[3].startswith("              Date of birth: '17/04/1991' reads")
    assert lines[4].startswith("              There is no active group named 'Nowhere'.")
    assert lines[-1] == "3 problems to fix; nothing was imported."
    assert table_contents(clinic.database) == before


def test_undecodable_file(clinic: Clinic, user: SignedInUser, tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes((HEADER + "N-1,Zoë,Brightwater,1991-04-17,,\n").encode("cp1252"))
    code, out, _ = run(clinic, user, path, yes=True)
    assert code == import_roster.EXIT_FILE_ERRORS
    assert "  line 2: Line 2 is not UTF-8 text (byte 0xEB at byte 7 of the line)" in out


def test_the_shipped_example_imports_cleanly(clinic: Clinic, user: SignedInUser) -> None:
    code, out, _ = run(clinic, user, EXAMPLE, yes=True)
    assert code == 0, out
    assert "0 lines with errors" in out


def test_the_command_signs_in_and_imports(
    clinic_folder: tuple[Path, uuid.UUID], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(clinic_folder[0], folder)
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("FACILITATOR_USER", "rosteradmin")
    monkeypatch.setenv("FACILITATOR_PASSWORD", ADMIN_PASSWORD)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(folder), "import-roster", str(path), "--yes"])
    assert code == 0, out.getvalue()
    assert out.getvalue().endswith("1 enrollment and 0 goals added.\n")
    clinic = open_clinic(folder)
    try:
        assert participant_count(clinic) == 3
    finally:
        clinic.close()


def test_the_command_refuses_a_wrong_password_before_reading_the_file(
    clinic_folder: tuple[Path, uuid.UUID],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    folder = tmp_path / "clinic"
    shutil.copytree(clinic_folder[0], folder)
    monkeypatch.setenv("FACILITATOR_USER", "rosteradmin")
    monkeypatch.setenv("FACILITATOR_PASSWORD", "not the password")
    code = main(["--data-dir", str(folder), "import-roster", str(path), "--yes"])
    captured = capsys.readouterr()
    assert code == EXIT_USER_ERROR
    assert captured.out == ""
    assert captured.err.startswith("facilitator: ")


def test_the_preview_shows_escape_codes_instead_of_sending_them(
    clinic: Clinic, user: SignedInUser, tmp_path: Path
) -> None:
    path = tmp_path / "escapes.csv"
    path.write_text(HEADER + "E-1,Ava\x1b[2J\x1b]0;owned\x07,Lee\u202e,1990-01-02,,\n")
    code, out, _ = run(clinic, user, path, yes=True)

    assert code == EXIT_USER_ERROR
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "Ava␛[2J␛]0;owned␇ Lee[U+202E]" in out
    assert "holds a control character" in out
