"""`facilitator selftest`: what an installer's smoke test and a clinic's IT rely on."""

import hashlib
import io
import stat
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator import diagnostics
from facilitator.app import Clinic
from facilitator.cli.main import main
from facilitator.domain.users import SignedInUser
from facilitator.storage.models import AuditEvent
from facilitator.storage.unit_of_work import unit_of_work
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


def test_the_screenshot_is_private_audited_and_never_in_the_data_folder(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser, tmp_path: Path
) -> None:
    """The drawn window shows participants' names: a PNG of PHI, treated as an export."""
    screenshot = tmp_path / "window.png"
    assert selftest.run(writable_clinic, admin, screenshot, io.StringIO()) == 0
    assert stat.S_IMODE(screenshot.stat().st_mode) == 0o600
    with unit_of_work(writable_clinic.database) as session:
        entry = session.scalars(
            select(AuditEvent).order_by(AuditEvent.sequence.desc()).limit(1)
        ).one()
    assert (entry.action, entry.object_type, entry.clinician_id) == (
        "export",
        "screenshot",
        admin.id,
    )
    assert entry.detail["path"] == str(screenshot)
    assert entry.detail["sha256"] == hashlib.sha256(screenshot.read_bytes()).hexdigest()

    out = io.StringIO()
    inside = writable_clinic.data_dir / "window.png"
    assert selftest.run(writable_clinic, admin, inside, out) == selftest.EXIT_FAILED
    assert "inside the clinic's data folder" in out.getvalue() and not inside.exists()
