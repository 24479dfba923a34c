"""Time the session runner on a clinic's database and print medians beside the targets.

    python -m bench.run --data-dir DIR [--repeat 20]

Opens the clinic through the app's own path (the key from the OS keyring or
FACILITATOR_PASSPHRASE), picks the biggest session on the last day that has sessions, takes its
attendance (everyone present) where nobody has yet, and measures on the offscreen Qt platform:

  open session     SessionRunnerWindow constructed and shown; and the core load_session_sheet
                   (bench.runner_window)
  switch           selecting the next person in the notes list until their note is shown
                   (bench.runner_window)
  typing           ~300 keys at a human pace into a note field while autosave writes drafts:
                   the longest gap of a 1 ms heartbeat timer on the UI thread, beyond its 1 ms
                   (bench.typing_stalls)
  participant view ParticipantWindow shown for each person in the session, and the core
                   load_participant_record (bench.participant_view)
  chart export     a 12-week participant chart exported to a PDF file (reports.export, unsigned),
                   for the participant with the most attendance (bench.chart_export, which also
                   runs on its own with the load and layout apart)

The benchmark writes to the session it measures (attendance, drafts typed): run it on a
generated or demo clinic, never on real records.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from bench.chart_export import measure_chart_export
from bench.participant_view import measure_participant_view
from bench.runner_window import measure_opening, measure_switching
from bench.session_under_test import benchmark_session, print_header, session_lead
from bench.timing import HEADER, GcPauses, ms
from bench.typing_stalls import TYPED_KEYS, measure_typing
from facilitator.app import open_clinic
from facilitator.cli.passphrase import terminal_passphrase
from facilitator.security.database_key import default_key_store
from ui.heap import freeze_startup_objects

QUIET_MESSAGES = ("This plugin does not support",)  # the offscreen platform's limits


def _quiet_qt_messages(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if not message.startswith(QUIET_MESSAGES):
        print(message, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = Path(args.data_dir).expanduser().resolve()
    qInstallMessageHandler(_quiet_qt_messages)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    pauses = GcPauses()
    started = time.perf_counter()
    clinic = open_clinic(data_dir, default_key_store(data_dir, terminal_passphrase(data_dir)))
    opened_ms = ms(started)
    if not args.no_freeze:
        freeze_startup_objects()  # as the app does once its main window is up
    try:
        session_id, sheet = benchmark_session(clinic, args.day)
        user = session_lead(clinic, sheet)
        print_header(clinic, data_dir, sheet, opened_ms)
        results = [
            *measure_opening(app, clinic, user, session_id, args.repeat, pauses),
            measure_switching(app, clinic, user, session_id, args.repeat),
            *measure_typing(app, clinic, user, session_id, args.typing_runs, pauses),
            *measure_participant_view(app, clinic, user, sheet, args.repeat),
            *measure_chart_export(clinic, user, data_dir, args.repeat),
        ]
    finally:
        clinic.close()
    print(HEADER)
    for result in results:
        print(result.line())
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) / 2:
        print(
            f"\nThe machine was busy (load average {load:.2f} at the end): the wall-clock times "
            "include waiting for other programs. The stall counted on CPU and the cpu column "
            "show the app's share."
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


if __name__ == "__main__":
    sys.exit(main())
