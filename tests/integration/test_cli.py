"""The `facilitator` command: version, demo, data folder choice and user-facing errors."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from facilitator import __version__
from facilitator.app import open_clinic
from facilitator.cli.main import EXIT_USER_ERROR, main
from facilitator.storage.database import current_revision, head_revision

DEMO_TODAY = "2026-11-23"


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


def run_cli(*args: str) -> Run:
    """Run the command in-process, capturing its output (usable from module-scoped fixtures)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Run]:
    """A data folder filled once by `facilitator --data-dir DIR demo`."""
    folder = tmp_path_factory.mktemp("cli") / "clinic"
    return folder, run_cli("--data-dir", str(folder), "demo")


@pytest.fixture
def not_a_database(tmp_path: Path) -> Path:
    folder = tmp_path / "clinic"
    folder.mkdir()
    (folder / "facilitator.db").write_text("this is a spreadsheet export\n")
    return folder


@pytest.fixture(autouse=True)
def _no_data_dir_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FACILITATOR_DATA_DIR", raising=False)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--version"])
    assert raised.value.code == 0
    assert capsys.readouterr().out.strip() == f"Facilitator {__version__}"


def test_demo_creates_the_clinic(demo_dir: tuple[Path, Run]) -> None:
    folder, run = demo_dir
    assert run.code == 0, run.err
    assert run.err == ""
    path = folder / "facilitator.db"
    assert path.is_file()
    assert "Demo clinic created" in run.out
    assert "2 groups" in run.out
    assert "Recovery code (shown only this once)" in run.out
    clinic = open_clinic(folder)
    try:
        assert current_revision(clinic.database.engine) == head_revision()
    finally:
        clinic.close()


def test_a_fresh_demo_s_audit_log_verifies(
    demo_dir: tuple[Path, Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, demo = demo_dir
    (password,) = re.findall(r"^    admin +(\S+)$", demo.out, re.MULTILINE)
    monkeypatch.setenv("FACILITATOR_USER", "admin")
    monkeypatch.setenv("FACILITATOR_PASSWORD", password)
    run = run_cli("--data-dir", str(folder), "audit", "verify")
    assert run.code == 0, run.out + run.err
    checked = re.search(r"intact: (\d+) entries checked", run.out)
    notes = re.search(r"(\d+) signed notes", demo.out)
    assert checked and notes and int(checked[1]) > int(notes[1])  # a signature each, and more
    listed = run_cli("--data-dir", str(folder), "audit", "list", "--action", "account_change")
    # the first administrator, then three clinicians added who each chose their password
    assert listed.out.count('"demo": true') == 7, listed.out


def test_second_demo_is_refused_cleanly(
    demo_dir: tuple[Path, Run], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = demo_dir
    before = (folder / "facilitator.db").stat().st_size
    code = main(["--data-dir", str(folder), "demo"])
    captured = capsys.readouterr()
    assert code == EXIT_USER_ERROR == 2
    assert captured.err.startswith("facilitator: ")
    assert "already holds a clinic" in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""
    assert (folder / "facilitator.db").stat().st_size == before


def test_demo_if_missing_leaves_an_existing_clinic(
    demo_dir: tuple[Path, Run], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, _ = demo_dir
    assert main(["--data-dir", str(folder), "demo", "--if-missing"]) == 0
    captured = capsys.readouterr()
    assert "already exists" in captured.out
    assert captured.err == ""


def test_data_dir_from_environment(
    demo_dir: tuple[Path, Run],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, _ = demo_dir
    monkeypatch.setenv("FACILITATOR_DATA_DIR", str(folder))
    assert main(["demo", "--if-missing"]) == 0
    out = capsys.readouterr().out
    assert "already exists" in out
    assert str(folder) in out


def test_data_dir_option_wins_over_environment(
    demo_dir: tuple[Path, Run],
    not_a_database: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, _ = demo_dir
    monkeypatch.setenv("FACILITATOR_DATA_DIR", str(not_a_database))
    assert main(["--data-dir", str(folder), "demo", "--if-missing"]) == 0
    assert str(folder) in capsys.readouterr().out


def test_environment_folder_with_a_bad_file_is_reported(
    not_a_database: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("FACILITATOR_DATA_DIR", str(not_a_database))
    assert main(["demo"]) == EXIT_USER_ERROR
    assert str(not_a_database / "facilitator.db") in capsys.readouterr().err


def test_not_a_database(not_a_database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--data-dir", str(not_a_database), "demo"])
    captured = capsys.readouterr()
    assert code == EXIT_USER_ERROR
    assert "not a Facilitator database" in captured.err
    assert "Traceback" not in captured.err
    assert (not_a_database / "facilitator.db").read_text() == "this is a spreadsheet export\n"


def test_unusable_data_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["--data-dir", str(blocker / "clinic"), "demo"]) == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "cannot be used" in err
    assert "Traceback" not in err


def test_demo_with_a_chosen_today(tmp_path: Path) -> None:
    run = run_cli("--data-dir", str(tmp_path / "clinic"), "demo", "--today", DEMO_TODAY)
    assert run.code == 0, run.err
    assert "6 blocks to run today" in run.out


def test_bad_today_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["--data-dir", str(tmp_path), "demo", "--today", "23/11/2026"])
    assert raised.value.code == 2
    assert "--today" in capsys.readouterr().err
    assert not (tmp_path / "facilitator.db").exists()


def test_subprocess_reports_a_bad_file_without_a_traceback(not_a_database: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FACILITATOR_DATA_DIR"}
    result = subprocess.run(
        [sys.executable, "-m", "facilitator.cli.main", "--data-dir", str(not_a_database), "demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == EXIT_USER_ERROR
    assert "Traceback" not in result.stderr
    assert "not a Facilitator database" in result.stderr
    assert result.stdout == ""
