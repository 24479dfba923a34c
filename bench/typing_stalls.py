"""Typing into a note while autosave writes drafts: the longest stall of the UI thread.

A 1 ms heartbeat timer runs on the UI thread while ~300 keys are typed at a human pace; each
gap between beats beyond the interval is a stall. The same gaps counting only the time this
process was on a CPU leave out the stalls other programs caused on a busy machine.
"""

from __future__ import annotations

import itertools
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from bench.runner_window import close_window, open_runner
from bench.timing import GcPauses, Result, ms, percentile
from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser

TYPED_KEYS = 300
KEY_INTERVAL_MS = (30, 60)  # a quick typist: 1000 to 2000 characters a minute
HEARTBEAT_MS = 1
ON_CPU_NOTE = "gaps while other programs had the CPUs left out"
SENTENCE = "Participant described a trigger at work and practised urge surfing in group. "


@dataclass(frozen=True)
class Stalls:
    """Heartbeat gaps beyond the interval: wall clock, and the CPU time this process had in
    each gap (a gap in which the process was not on a CPU at all was another program's doing)."""

    wall: list[float]
    on_cpu: list[float]


def measure_typing(
    app: QApplication,
    clinic: Clinic,
    user: SignedInUser,
    session_id: uuid.UUID,
    runs: int,
    pauses: GcPauses,
) -> list[Result]:
    """`runs` runs of TYPED_KEYS keys into the participant's response, one person per run."""
    rng = random.Random(7)
    window = open_runner(app, clinic, user, session_id)
    worst: list[float] = []
    worst_on_cpu: list[float] = []
    stalls: list[float] = []
    handlers: list[float] = []
    saves = 0
    collections = len(pauses.pauses)
    try:
        window.tabs.setCurrentWidget(window.notes)
        people = window.notes.people
        idle = _heartbeat(app, 1000, lambda done: None)
        for run in range(runs):
            people.setCurrentRow(run % people.count())
            window.editor.focus_field(3)  # the participant's response
            field = list(window.editor.fields.values())[2]
            app.processEvents()
            saved: list[object] = []
            window.autosave.saved.connect(saved.append)
            run_stalls, run_handlers = _type(app, field, rng)
            window.autosave.saved.disconnect(saved.append)
            worst.append(max(run_stalls.wall))
            worst_on_cpu.append(max(run_stalls.on_cpu))
            stalls += run_stalls.wall
            handlers += run_handlers
            saves += len(saved)
    finally:
        close_window(app, window)
    stalls.sort()
    return [
        Result(
            "typing: longest UI-thread stall (per run)",
            worst,
            16,
            f"p99 {percentile(stalls, 99):.1f}; idle max {max(idle.wall):.1f}"
            f"{pauses.since(collections)}",
        ),
        Result("  the same, counting only time on CPU", worst_on_cpu, None, ON_CPU_NOTE),
        Result("  key press handled", handlers, None, f"{saves} drafts written while typing"),
    ]


def _type(app: QApplication, field: QWidget, rng: random.Random) -> tuple[Stalls, list[float]]:
    """Type TYPED_KEYS characters at a human pace; return heartbeat stalls and handler times."""
    handlers: list[float] = []
    text = (SENTENCE * (TYPED_KEYS // len(SENTENCE) + 1))[:TYPED_KEYS]
    position = 0
    keys = QTimer()
    keys.setTimerType(Qt.TimerType.PreciseTimer)
    keys.setSingleShot(True)

    def start(done: Callable[[], None]) -> None:
        def press() -> None:
            nonlocal position
            started = time.perf_counter()
            QTest.keyClicks(field, text[position])
            handlers.append(ms(started))
            position += 1
            if position < len(text):
                keys.start(rng.randint(*KEY_INTERVAL_MS))
            else:
                QTimer.singleShot(1500, done)  # let the last autosave land while watching

        keys.timeout.connect(press)
        keys.start(rng.randint(*KEY_INTERVAL_MS))

    return _heartbeat(app, None, start), handlers


def _heartbeat(
    app: QApplication, duration_ms: int | None, start: Callable[[Callable[[], None]], None]
) -> Stalls:
    """Run the event loop with a 1 ms heartbeat until `start`'s work calls done (or duration)."""
    loop = QEventLoop()
    beats: list[tuple[float, float]] = []
    heartbeat = QTimer()
    heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
    heartbeat.setInterval(HEARTBEAT_MS)
    heartbeat.timeout.connect(lambda: beats.append((time.perf_counter(), time.process_time())))
    heartbeat.start()
    start(loop.quit)
    if duration_ms is not None:
        QTimer.singleShot(duration_ms, loop.quit)
    loop.exec()
    heartbeat.stop()
    pairs = list(itertools.pairwise(beats))
    return Stalls(
        wall=[max(0.0, (b[0] - a[0]) * 1000 - HEARTBEAT_MS) for a, b in pairs],
        on_cpu=[max(0.0, min(b[0] - a[0], b[1] - a[1]) * 1000 - HEARTBEAT_MS) for a, b in pairs],
    )
