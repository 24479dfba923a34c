"""One app per data folder: a second launch wakes the first and quits; stale locks recovered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from facilitator.instance_lock import LOCK_FILENAME
from ui.single_instance import SingleInstance

ROOT = Path(__file__).parents[2]


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock of tmp_path/"data"."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.instance_holder", str(tmp_path / "data")],
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


def test_second_launch_wakes_the_running_app_and_exits(
    holder: subprocess.Popen[str], tmp_path: Path
) -> None:
    second = subprocess.run(
        [sys.executable, "-m", "facilitator.cli.main", "--data-dir", str(tmp_path / "data")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert second.returncode == 0, second.stderr
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "activated"
    assert holder.wait(timeout=10) == 0
    assert list((tmp_path / "data").iterdir()) == []  # no database made: it never opened one


def test_a_live_lock_is_never_taken(
    holder: subprocess.Popen[str], tmp_path: Path, qtbot: QtBot
) -> None:
    instance = SingleInstance(tmp_path / "data")
    assert not instance.acquire()
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "activated"


def test_a_lock_left_by_a_killed_app_is_recovered(
    holder: subprocess.Popen[str], tmp_path: Path, qtbot: QtBot
) -> None:
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert (tmp_path / "data" / LOCK_FILENAME).exists()
    instance = SingleInstance(tmp_path / "data")
    assert instance.acquire()
    activated: list[bool] = []
    instance.activation_requested.connect(lambda: activated.append(True))
    other = SingleInstance(tmp_path / "data")
    assert not other.acquire()  # and it asked this one, which now listens
    qtbot.waitUntil(lambda: activated == [True], timeout=3000)
    instance.release()
    assert not (tmp_path / "data" / LOCK_FILENAME).exists()
