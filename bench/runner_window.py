"""The session runner window: opening a session, and switching from one participant's note to
the next."""

from __future__ import annotations

import time
import uuid

from PySide6.QtCore import QEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from bench.timing import GcPauses, Result, ms
from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.session_sheet import load_session_sheet
from facilitator.storage.unit_of_work import unit_of_work
from ui.runner.session_runner_window import SessionRunnerWindow


def measure_opening(
    app: QApplication,
    clinic: Clinic,
    user: SignedInUser,
    session_id: uuid.UUID,
    repeat: int,
    pauses: GcPauses,
) -> list[Result]:
    """SessionRunnerWindow constructed until shown; and the core load_session_sheet."""
    core = []
    for _ in range(repeat):
        started = time.perf_counter()
        with unit_of_work(clinic.database) as session:
            load_session_sheet(session, session_id)
        core.append(ms(started))
    shown = []
    first = 0.0
    collections = len(pauses.pauses)
    for attempt in range(repeat + 1):  # the first is cold (fonts, styles): reported apart
        started = time.perf_counter()
        window = SessionRunnerWindow(clinic, user, session_id)
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()
        elapsed = ms(started)
        if attempt:
            shown.append(elapsed)
        else:
            first = elapsed
        close_window(app, window)
    return [
        Result(
            "open session: runner window shown",
            shown,
            100,
            f"first (cold) {first:.0f}{pauses.since(collections)}",
        ),
        Result("  core: load_session_sheet", core),
    ]


def measure_switching(
    app: QApplication, clinic: Clinic, user: SignedInUser, session_id: uuid.UUID, repeat: int
) -> Result:
    """Selecting the next person in the notes list until their note is shown."""
    window = open_runner(app, clinic, user, session_id)
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
                samples.append(ms(started))
                assert window.notes.pages.currentWidget() is window.editor, "no note shown"
    finally:
        close_window(app, window)
    return Result("switch participant: note shown", samples, 50)


def open_runner(
    app: QApplication, clinic: Clinic, user: SignedInUser, session_id: uuid.UUID
) -> SessionRunnerWindow:
    """The runner window on the session, shown."""
    window = SessionRunnerWindow(clinic, user, session_id)
    window.show()
    QTest.qWaitForWindowExposed(window)
    app.processEvents()
    return window


def close_window(app: QApplication, window: QWidget) -> None:
    """Close the window (it writes what autosave still holds) and delete it."""
    window.close()
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()
