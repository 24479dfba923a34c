"""Kill the running app with SIGKILL while a clinician types: nothing older than 2 s is lost.

Each round starts the session runner in a child process, lets it type into a participant's note
at a human pace, kills it at a random moment, and inspects the database: it passes SQLite's
integrity check, every signed note is unchanged, and the stored draft holds at least everything
typed up to 2 seconds before the kill (and nothing that was not typed).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.security import database_key, key_store
from facilitator.security.passphrase_store import PASSPHRASE_VARIABLE
from tests.crash.runner_typist import TEXT, inspect

ROUNDS = 20
MAX_LOSS_SECONDS = 2.0
ROOT = Path(__file__).resolve().parents[2]


def child_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    env.setdefault(PASSPHRASE_VARIABLE, "crash test passphrase, synthetic data only")
    return env


def run_child(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def real_key_store(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read the clinic with the key the children used: the system keyring or the passphrase."""
    monkeypatch.setattr(database_key, "system_keyring", key_store.system_keyring)
    monkeypatch.setenv(PASSPHRASE_VARIABLE, child_env()[PASSPHRASE_VARIABLE])


@pytest.fixture(scope="module")
def clinic_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("crash-clinic")
    run_child(
        "-m", "facilitator.cli.main", "--data-dir", str(folder), "demo", "--today", "2026-11-23"
    )
    yield folder


def read_log(path: Path) -> tuple[int, list[tuple[int, float]]]:
    lines = path.read_text().splitlines()
    base = int(lines[0].split()[1])
    keys = [(int(n), float(t)) for n, t in (line.split() for line in lines[1:] if " " in line)]
    return base, keys


def kill_while_typing(folder: Path, log: Path, participant: int, seconds: float) -> float:
    """Start the typist, let it type, SIGKILL it; return the moment of the kill."""
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.crash.runner_typist",
            "type",
            str(folder),
            str(participant),
            str(log),
        ],
        env=child_env(),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not (log.exists() and len(log.read_text().splitlines()) > 2):
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        assert time.monotonic() < deadline, "the runner never started typing"
        time.sleep(0.05)
    time.sleep(seconds)
    child.send_signal(signal.SIGKILL)
    child.wait()
    return time.monotonic()


@pytest.mark.slow
@pytest.mark.usefixtures("real_key_store")
def test_sigkill_loses_at_most_two_seconds(clinic_folder: Path, tmp_path: Path) -> None:
    rng = random.Random(20261123)
    after = inspect(clinic_folder)
    for round_number in range(ROUNDS):
        participant, before = round_number % 4, after
        log = tmp_path / f"typed-{round_number}.log"
        killed_at = kill_while_typing(clinic_folder, log, participant, rng.uniform(0.2, 2.5))
        base, keys = read_log(log)
        after = inspect(clinic_folder)
        where = f"round {round_number + 1} of {ROUNDS}"
        assert after["integrity"] == "ok", where
        assert (after["signed"], after["signed_count"]) == (
            before["signed"],
            before["signed_count"],
        ), where
        previous = before["fields"][participant] if before["fields"] else ""
        stored = after["fields"][participant]
        assert len(previous) == base, where
        typed_text = previous + "".join(TEXT[i % len(TEXT)] for i in range(keys[-1][0]))
        assert typed_text.startswith(stored), f"{where}: the draft holds text never typed"
        safe = max((n for n, t in keys if t <= killed_at - MAX_LOSS_SECONDS), default=0)
        assert len(stored) >= base + safe, (
            f"{where}: lost more than {MAX_LOSS_SECONDS} s of typing: stored "
            f"{len(stored) - base} of {safe} keys typed by then ({keys[-1][0]} in all)"
        )
