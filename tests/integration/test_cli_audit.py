"""`facilitator audit verify|list`: administrators only, exit 1 with each problem's place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import text

from facilitator.app import open_clinic
from facilitator.cli.main import EXIT_USER_ERROR
from tests.integration.test_cli import run_cli


@pytest.fixture
def folder(demo_clinic_folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, copy)
    return copy


@pytest.fixture
def as_user(demo_clinic: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch) -> object:
    def sign_in(username: str) -> None:
        monkeypatch.setenv("FACILITATOR_USER", username)
        monkeypatch.setenv("FACILITATOR_PASSWORD", demo_clinic[1][username])

    return sign_in


def test_verify_an_intact_then_a_tampered_log(folder: Path, as_user: object) -> None:
    as_user("admin")  # type: ignore[operator]
    run = run_cli("--data-dir", str(folder), "audit", "verify")
    assert run.code == 0, run.out + run.err
    assert run.out.startswith("The audit log is intact:")
    # the demo's own entries, then this test's sign-ins and its verify
    assert run_cli("--data-dir", str(folder), "audit", "list").code == 0

    clinic = open_clinic(folder)
    with clinic.database.engine.begin() as connection:
        connection.execute(text("UPDATE audit_event SET outcome = 'failure' WHERE sequence = 1"))
        connection.execute(text("DELETE FROM audit_event WHERE sequence = 3"))
    clinic.close()
    run = run_cli("--data-dir", str(folder), "audit", "verify")
    assert run.code == 1, run.out + run.err
    assert "2 problem(s)" in run.out
    assert "at 1: edited: entry 1 was changed" in run.out
    assert "at 3: deleted: entry 3 is missing" in run.out


def test_only_administrators_verify_or_list(folder: Path, as_user: object) -> None:
    as_user("mreyes")  # type: ignore[operator]
    for command in ("verify", "list"):
        run = run_cli("--data-dir", str(folder), "audit", command)
        assert run.code == EXIT_USER_ERROR, run.out + run.err
        assert "Only an administrator" in run.err and "Traceback" not in run.err


def test_list_filters_by_user_and_action(folder: Path, as_user: object) -> None:
    as_user("admin")  # type: ignore[operator]
    run = run_cli(
        "--data-dir", str(folder), "audit", "list", "--user", "admin", "--action", "login"
    )
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines and all(" admin " in line and " login " in line for line in lines)
