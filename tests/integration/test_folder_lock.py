"""One writer per data folder: commands refuse while the app (a real second process) has it,
and the app refuses while a command runs; nothing in the folder changes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.cli.main import EXIT_USER_ERROR
from facilitator.instance_lock import LOCK_FILENAME, InstanceLock, read_holder
from tests.integration.test_cli import run_cli

ROOT = Path(__file__).parents[2]


@pytest.fixture
def folder(demo_clinic_folder: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, copy)
    return copy


@pytest.fixture
def open_app(folder: Path) -> Iterator[subprocess.Popen[str]]:
    """The app's single-instance lock on `folder`, held by another process."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.instance_holder", str(folder)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "holding"
    yield process
    process.kill()
    process.wait()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize(
    "command",
    [
        ["restore", "backup.fbackup", "--yes"],
        ["backup"],
        ["export", "attendance", "--from", "2026-11-01", "--to", "2026-11-20", "--out", "a.pdf"],
        ["import-roster", "roster.csv", "--yes"],
        ["measure", "add", "phq.toml"],
        ["key", "recover"],
        ["demo"],
        ["audit", "verify"],
    ],
)
def test_commands_refuse_while_the_app_is_open_on_the_folder(
    folder: Path, open_app: subprocess.Popen[str], command: list[str], tmp_path: Path
) -> None:
    before = _files(folder)
    files = (".fbackup", ".pdf", ".csv", ".toml")
    args = [str(tmp_path / a) if a.endswith(files) else a for a in command]
    run = run_cli("--data-dir", str(folder), *args)
    assert run.code == EXIT_USER_ERROR, run.out + run.err
    assert (
        f"Facilitator is open on this data folder (pid {open_app.pid}); close it first." in run.err
    )
    assert "Traceback" not in run.err
    assert _files(folder) == before  # not even a sign-in was written
    assert open_app.poll() is None  # the app was left running, its lock held
    assert read_holder(folder).pid == open_app.pid


def test_the_app_refuses_to_open_while_a_command_runs(folder: Path) -> None:
    """A restore from the command line holds the lock: the app says so and opens nothing."""
    command = InstanceLock(folder, "restore")
    command.acquire()
    try:
        app = subprocess.run(
            [sys.executable, "-c", _APP_ONCE, str(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
    finally:
        command.release()
    assert app.returncode == 2, app.stderr
    assert f"`facilitator restore` is running on this data folder (pid {os.getpid()})" in app.stdout
    assert not (folder / LOCK_FILENAME).exists()


def test_the_lock_dies_with_a_killed_command(folder: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "holding"
    assert run_cli("--data-dir", str(folder), "backup").code == EXIT_USER_ERROR
    holder.kill()
    holder.wait()
    lock = InstanceLock(folder, "backup")
    lock.acquire()  # no stale lock after a SIGKILL
    lock.release()


_HOLD = """
import sys, time
from pathlib import Path
from facilitator.instance_lock import InstanceLock
InstanceLock(Path(sys.argv[1]), "backup").acquire()
print("holding", flush=True)
time.sleep(60)
"""

# ui.application.run with the message box printing instead of waiting for a click.
_APP_ONCE = """
import sys
from pathlib import Path
from ui import application
application.QMessageBox.warning = lambda _p, title, text: print(title, "|", text)
sys.exit(application.run(Path(sys.argv[1])))
"""
