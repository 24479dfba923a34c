"""A child process for crash tests: types into the session runner until it is killed.

    python -m tests.crash.runner_typist type DATA_DIR PARTICIPANT_INDEX LOG
    python -m tests.crash.runner_typist inspect DATA_DIR

`type` opens the demo clinic's first block of the day, marks everyone present, picks a participant
and types into the note's first field, one key every TYPING_INTERVAL_MS, logging after each key the
number of keys typed and the time. `inspect` prints, as JSON, what the database holds: the
integrity check, the first field of each present participant's note, and a digest of every
signed note.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path

from facilitator.app import Clinic, open_clinic
from facilitator.cli.passphrase import terminal_passphrase
from facilitator.security.database_key import default_key_store
from tests.users import signed_in

DEMO_TODAY = date(2026, 11, 23)
TYPING_INTERVAL_MS = 25
TEXT = "participant named three triggers and practised urge surfing with the group " * 40


def open_demo(folder: Path) -> Clinic:
    return open_clinic(folder, default_key_store(folder, terminal_passphrase(folder)))


def first_session(clinic: Clinic) -> object:
    return clinic.day_blocks(DEMO_TODAY)[0].session_id


def type_until_killed(folder: Path, index: int, log_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.runner.session_runner_window import SessionRunnerWindow

    app = QApplication([])
    clinic = open_demo(folder)
    session_id = first_session(clinic)
    user = signed_in(clinic.database, "mreyes")
    window = SessionRunnerWindow(clinic, user, session_id, now=lambda: datetime(2026, 11, 23, 9))  # type: ignore[arg-type]
    window.show()
    if window.block.present == 0:
        window.attendance.mark_all.click()
    window.tabs.setCurrentWidget(window.notes)
    present = [i for i, e in enumerate(window.block.roster) if e.progress is not None]
    window.notes.people.setCurrentRow(present[index % len(present)])
    field = next(iter(window.editor.fields.values()))
    field.setFocus()
    field.moveCursor(field.textCursor().MoveOperation.End)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.write(log, f"base {len(field.toPlainText())}\n".encode())
    typed = 0

    def type_one() -> None:
        nonlocal typed
        QTest.keyClicks(field, TEXT[typed % len(TEXT)])
        typed += 1
        os.write(log, f"{typed} {time.monotonic():.4f}\n".encode())

    timer = QTimer()
    timer.timeout.connect(type_one)
    timer.start(TYPING_INTERVAL_MS)
    app.exec()


def inspect(folder: Path) -> dict[str, object]:
    from facilitator.storage.unit_of_work import unit_of_work

    clinic = open_demo(folder)
    with unit_of_work(clinic.database) as session:
        integrity = session.connection().exec_driver_sql("PRAGMA integrity_check").scalar()
        signed = (
            session.connection()
            .exec_driver_sql(
                "SELECT id, fields, mood, affect, participation, goals_addressed, risk_flags, "
                "status, content_hash FROM participant_note WHERE status != 'draft' ORDER BY id"
            )
            .all()
        )
    sheet = clinic.runner.sheet(first_session(clinic))  # type: ignore[arg-type]
    fields = [
        next(iter(e.note.draft.fields.values()), "") if e.note else ""
        for e in sheet.blocks[0].roster
        if e.progress is not None
    ]
    clinic.close()
    digest = hashlib.sha256(repr(signed).encode()).hexdigest()
    return {"integrity": integrity, "fields": fields, "signed": digest, "signed_count": len(signed)}


if __name__ == "__main__":
    command, folder = sys.argv[1], Path(sys.argv[2])
    if command == "type":
        type_until_killed(folder, int(sys.argv[3]), Path(sys.argv[4]))
    else:
        print(json.dumps(inspect(folder)))
