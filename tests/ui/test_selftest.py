"""`facilitator selftest`: what an installer's smoke test and a clinic's IT rely on."""

import io
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from facilitator import diagnostics
from facilitator.app import Clinic
from facilitator.cli.main import main
from facilitator.domain.users import SignedInUser
from ui import selftest


@pytest.fixture(autouse=True)
def _briefly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selftest, "SHOW_FOR_MS", 50)


def test_draws_the_main_window_and_reports_the_installation(
    qtbot: QtBot, clinic: Clinic, admin: SignedInUser, tmp_path: Path
) -> None:
    out = io.StringIO()
    screenshot = tmp_path / "window.png"
    assert selftest.run(clinic, admin, screenshot, out) == 0
    lines = out.getvalue().splitlines()
    assert lines[-1] == "selftest: passed"
    assert any(line.startswith("database schema: ") for line in lines)
    assert any(line.startswith("sqlcipher: SQLCipher ") for line in lines)
    assert any(line.startswith("clinic: 2 groups") for line in lines)
    assert "icon: drawn" in lines
    assert "print: 1 page to a PDF file" in lines
    assert screenshot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_a_database_behind_the_code_fails_it(
    qtbot: QtBot, clinic: Clinic, admin: SignedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diagnostics, "head_revision", lambda: "9999_from_the_future")
    out = io.StringIO()
    assert selftest.run(clinic, admin, None, out) == selftest.EXIT_FAILED
    assert out.getvalue().splitlines()[-1] == "selftest: FAILED: database schema"


def test_the_command_creates_and_upgrades_a_fresh_data_folder(
    qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new-clinic"
    assert main(["--data-dir", str(folder), "selftest"]) == 0
    assert (folder / "facilitator.db").is_file()
    assert capsys.readouterr().out.splitlines()[-1] == "selftest: passed"
