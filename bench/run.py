"""Time the session runner on a clinic's database and print medians beside the targets.

    python -m bench.run --data-dir DIR [--repeat 20]

Opens the clinic through the app's own path (the key from the OS keyring or
FACILITATOR_PASSPHRASE), picks the biggest session on the last day that has sessions, takes its
attendance (everyone present) where nobody has yet, and measures on the offscreen Qt platform:

  open session     SessionRunnerWindow constructed and shown; and the core load_session_sheet
  switch           selecting the next person in the notes list until their note is shown
  typing           ~300 keys at a human pace into a note field while autosave writes drafts:
                   the longest gap of a 1 ms heartbeat timer on the UI thread, beyond its 1 ms
  participant view ParticipantWindow shown for each person in the session, and the core
                   load_participant_record (when they exist)
  chart export     a 12-week participant chart exported to a PDF file (reports.export, unsigned),
                   for the participant with the most attendance

The benchmark writes to the session it measures (attendance, drafts typed): run it on a
generated or demo clinic, never on real records.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import itertools
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

from PySide6.QtCore import (
    QEvent,
    QEventLoop,
    QMessageLogContext,
    Qt,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import func, select

from facilitator.app import Clinic, open_clinic
from facilitator.cli.passphrase import terminal_passphrase
from facilitator.documents.requests import ChartRequest
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.database_key import default_key_store
from facilitator.services.session_sheet import SessionSheet, load_session_sheet
from facilitator.storage.models import (
    Attendance,
    Block,
    Clinician,
    GroupSession,
    ParticipantNote,
)
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document
from ui.heap import freeze_startup_objects
from ui.runner.session_runner_window import SessionRunnerWindow

TYPED_KEYS = 300
KEY_INTERVAL_MS = (30, 60)  # a quick typist: 1000 to 2000 characters a minute
HEARTBEAT_MS = 1
ON_CPU_NOTE = "gaps while other programs had the CPUs left out"
QUIET_MESSAGES = ("This plugin does not support",)  # the offscreen platform's limits
SENTENCE = "Participant described a trigger at work and practised urge surfing in group. "


@dataclass(frozen=True)
class Result:
    """One line of the table: samples in milliseconds, the target, and what is compared."""

    name: str
    samples: Sequence[float]
    target_ms: float | None = None
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def line(self) -> str:
        if not self.samples:
            return f"{self.name:<44} {'':>5} {self.note}"
        values = sorted(self.samples)
        cells = f"{len(values):>5} {self.median:>8.1f} {percentile(values, 90):>8.1f}"
        cells += f" {values[-1]:>8.1f}"
        if self.target_ms is None:
            verdict = ""
        else:
            passed = "PASS" if self.median < self.target_ms else "MISS"
            verdict = f"  < {self.target_ms:>3.0f} ms  {passed}"
        return f"{self.name:<44} {cells}{verdict}{'  ' + self.note if self.note else ''}"


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile of already sorted values."""
    rank = max(1, -(-len(sorted_values) * p // 100))
    return sorted_values[int(rank) - 1]


class GcPauses:
    """Full (generation 2) garbage collections: they stop every Python thread while they run."""

    def __init__(self) -> None:
        self.pauses: list[float] = []
        self._started = 0.0
        gc.callbacks.append(self._on_gc)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.pauses.append(_ms(self._started))

    def since(self, count: int) -> str:
        """A note on the full collections after the first `count`."""
        found = self.pauses[count:]
        return f"; {len(found)} full GC, longest {max(found):.0f}" if found else ""


GC = GcPauses()


def _quiet_qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if not message.startswith(QUIET_MESSAGES):
        print(message, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = Path(args.data_dir).expanduser().resolve()
    qInstallMessageHandler(_quiet_qt_messages)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    started = time.perf_counter()
    clinic = open_clinic(data_dir, default_key_store(data_dir, terminal_passphrase(data_dir)))
    opened_ms = (time.perf_counter() - started) * 1000
    if not args.no_freeze:
        freeze_startup_objects()  # as the app does once its main window is up
    try:
        session_id, sheet = _benchmark_session(clinic, args.day)
        user = _lead(clinic, sheet)
        _print_header(clinic, data_dir, sheet, opened_ms)
        results = [
            *measure_opening(app, clinic, user, session_id, args.repeat),
            measure_switching(app, clinic, user, session_id, args.repeat),
            *measure_typing(app, clinic, user, session_id, args.typing_runs),
            *measure_participant_view(app, clinic, user, sheet, args.repeat),
            measure_chart_export(clinic, user, data_dir, args.repeat),
        ]
    finally:
        clinic.close()
    print(f"{'measurement (ms)':<44} {'n':>5} {'median':>8} {'p90':>8} {'max':>8}  target")
    for result in results:
        print(result.line())
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        print(
            f"\nThe machine was busy (load average {load:.2f} at the end): the wall-clock times "
            "include waiting for other programs. The stall counted on CPU shows the app's share."
        )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--data-dir", required=True, metavar="DIR")
    parser.add_argument("--repeat", type=int, default=20, help="samples per measurement")
    parser.add_argument(
        "--typing-runs", type=int, default=3, help=f"runs of {TYPED_KEYS} keys (default 3)"
    )
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="skip the app's start-up gc.freeze(), to see full garbage collections' pauses",
    )
    parser.add_argument(
        "--day",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the day whose session is run (default: the last day with sessions)",
    )
    return parser


# --- the session under test ----------------------------------------------------------------


def _benchmark_session(clinic: Clinic, day: date | None) -> tuple[uuid.UUID, SessionSheet]:
    """The session with the most people on `day`, attendance taken for all of its blocks."""
    with unit_of_work(clinic.database) as session:
        day = day or session.scalar(select(func.max(GroupSession.day)))
        if day is None:
            raise SystemExit("This clinic has no sessions: run `facilitator demo` first.")
        ids = session.scalars(select(GroupSession.id).where(GroupSession.day == day)).all()
        sheets = [load_session_sheet(session, session_id) for session_id in ids]
    sheet = max(sheets, key=lambda s: sum(len(b.roster) for b in s.blocks))
    runner = clinic.runner
    taken = 0
    for block in sheet.blocks:
        taken += runner.mark_all_present(block.block_id, sheet.session_id)
    if taken:
        print(f"Took attendance for the benchmark session: {taken} marked present.")
    return sheet.session_id, runner.sheet(sheet.session_id)


def _lead(clinic: Clinic, sheet: SessionSheet) -> SignedInUser:
    """The session's first lead, signed in without a password as the benchmark's author."""
    with unit_of_work(clinic.database) as session:
        row = session.get_one(Clinician, sheet.blocks[0].lead_id)
        return SignedInUser(
            row.id,
            row.username,
            row.display_name,
            row.credentials,
            Role(row.role),
            row.needs_cosignature,
        )


def _print_header(clinic: Clinic, data_dir: Path, sheet: SessionSheet, opened_ms: float) -> None:
    with unit_of_work(clinic.database) as session:
        notes = session.scalar(select(func.count()).select_from(ParticipantNote)) or 0
    size = sum(f.stat().st_size for f in data_dir.glob("facilitator.db*"))
    people = "/".join(str(len(b.roster)) for b in sheet.blocks)
    print(
        f"Facilitator benchmarks, {date.today()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, Qt platform "
        f"{QApplication.platformName()}, load average {os.getloadavg()[0]:.2f}\n"
        f"Database: {data_dir} ({notes:,} participant notes, {size / 2**20:,.0f} MiB); "
        f"opened in {opened_ms:.0f} ms\n"
        f"Session: {sheet.group}, {sheet.day}, {len(sheet.blocks)} blocks x {people} people\n"
    )


# --- (a) opening a session ------------------------------------------------------------------


def measure_opening(
    app: QApplication, clinic: Clinic, user: SignedInUser, session_id: uuid.UUID, repeat: int
) -> list[Result]:
    core = []
    for _ in range(repeat):
        started = time.perf_counter()
        with unit_of_work(clinic.database) as session:
            load_session_sheet(session, session_id)
        core.append(_ms(started))
    shown = []
    first = 0.0
    collections = len(GC.pauses)
    for attempt in range(repeat + 1):  # the first is cold (fonts, styles): reported apart
        started = time.perf_counter()
        window = SessionRunnerWindow(clinic, user, session_id)
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()
        elapsed = _ms(started)
        if attempt:
            shown.append(elapsed)
        else:
            first = elapsed
        _close(app, window)
    return [
        Result(
            "open session: runner window shown",
            shown,
            100,
            f"first (cold) {first:.0f}{GC.since(collections)}",
        ),
        Result("  core: load_session_sheet", core),
    ]


# --- (b) switching participant -----------------------------------------------------------------


def measure_switching(
    app: QApplication, clinic: Clinic, user: SignedInUser, session_id: uuid.UUID, repeat: int
) -> Result:
    window = _open(app, clinic, user, session_id)
    try:
        window.tabs.setCurrentWidget(window.notes)
        people = window.notes.people
        app.processEvents()
        samples = []
        for _ in range(repeat):
            for _person in range(people.count()):
                target = (people.currentRow() + 1) % people.count()
                started = time.perf_counter()
                people.setCurrentRow(target)
                app.processEvents()
                samples.append(_ms(started))
                assert window.notes.pages.currentWidget() is window.editor, "no note shown"
    finally:
        _close(app, window)
    return Result("switch participant: note shown", samples, 50)


# --- (c) typing with autosave running ---------------------------------------------------------


def measure_typing(
    app: QApplication, clinic: Clinic, user: SignedInUser, session_id: uuid.UUID, runs: int
) -> list[Result]:
    rng = random.Random(7)
    window = _open(app, clinic, user, session_id)
    worst: list[float] = []
    worst_on_cpu: list[float] = []
    stalls: list[float] = []
    handlers: list[float] = []
    saves = 0
    collections = len(GC.pauses)
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
        _close(app, window)
    stalls.sort()
    return [
        Result(
            "typing: longest UI-thread stall (per run)",
            worst,
            16,
            f"p99 {percentile(stalls, 99):.1f}; idle max {max(idle.wall):.1f}"
            f"{GC.since(collections)}",
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
            handlers.append(_ms(started))
            position += 1
            if position < len(text):
                keys.start(rng.randint(*KEY_INTERVAL_MS))
            else:
                QTimer.singleShot(1500, done)  # let the last autosave land while watching

        keys.timeout.connect(press)
        keys.start(rng.randint(*KEY_INTERVAL_MS))

    return _heartbeat(app, None, start), handlers


@dataclass(frozen=True)
class Stalls:
    """Heartbeat gaps beyond the interval: wall clock, and the CPU time this process had in
    each gap (a gap in which the process was not on a CPU at all was another program's doing)."""

    wall: list[float]
    on_cpu: list[float]


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


# --- (d) the participant view ----------------------------------------------------------------


def measure_participant_view(
    app: QApplication, clinic: Clinic, user: SignedInUser, sheet: SessionSheet, repeat: int
) -> list[Result]:
    """The record of each person in the session, in turn: the core read, then the window."""
    try:
        record = importlib.import_module("facilitator.services.participant_record")
    except ModuleNotFoundError:
        return [Result("participant view", [], None, "not available yet (no participant record)")]
    people = [e.participant_id for e in sheet.blocks[0].roster]
    core = []
    for index in range(repeat):
        started = time.perf_counter()
        with unit_of_work(clinic.database) as session:
            record.load_participant_record(session, people[index % len(people)], sheet.day)
        core.append(_ms(started))
    try:
        module = importlib.import_module("ui.participant.participant_window")
    except ModuleNotFoundError:
        return [
            Result("participant view", [], None, "window not available yet"),
            Result("  core: load_participant_record", core, 100),
        ]
    shown = []
    for index in range(repeat + 1):  # the first is cold: left out
        started = time.perf_counter()
        window = module.ParticipantWindow(
            clinic, user, people[index % len(people)], today=lambda: sheet.day
        )
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()
        if index:
            shown.append(_ms(started))
        _close(app, window)
    return [
        Result("participant view: window shown", shown, 100),
        Result("  core: load_participant_record", core),
    ]


# --- (e) exporting a participant chart --------------------------------------------------------


CHART_WEEKS = 12


def measure_chart_export(clinic: Clinic, user: SignedInUser, data_dir: Path, repeat: int) -> Result:
    """Export the last 12 weeks of the most-attended participant's chart, `repeat` times.

    The files go to a temporary folder inside the data folder (PHI stays beside the database).
    """
    with unit_of_work(clinic.database) as session:
        found = session.execute(
            select(Attendance.participant_id, func.count())
            .group_by(Attendance.participant_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        if found is None:
            return Result("chart export", [], None, "no attendance in this clinic")
        last = session.scalar(
            select(func.max(GroupSession.day))
            .join(Block, Block.session_id == GroupSession.id)
            .join(Attendance, Attendance.block_id == Block.id)
            .where(Attendance.participant_id == found[0])
        )
    assert last is not None
    request = ChartRequest(found[0], last - timedelta(weeks=CHART_WEEKS) + timedelta(days=1), last)
    samples = []
    with tempfile.TemporaryDirectory(dir=data_dir) as folder:
        for attempt in range(repeat + 1):  # the first is cold (fonts loaded): left out
            started = time.perf_counter()
            result = export_document(clinic, user, request, Path(folder) / "chart.pdf")
            if attempt:
                samples.append(_ms(started))
    notes = len(clinic.load_document(request).signed_items())
    return Result(
        f"export: {CHART_WEEKS}-week participant chart",
        samples,
        1000,
        f"{result.pages} pages, {notes} signed items",
    )


# --- helpers -----------------------------------------------------------------------------------


def _open(
    app: QApplication, clinic: Clinic, user: SignedInUser, session_id: uuid.UUID
) -> SessionRunnerWindow:
    window = SessionRunnerWindow(clinic, user, session_id)
    window.show()
    QTest.qWaitForWindowExposed(window)
    app.processEvents()
    return window


def _close(app: QApplication, window: QWidget) -> None:
    window.close()  # writes what autosave still holds
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    sys.exit(main())
