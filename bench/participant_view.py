"""The participant view: each person of the session in turn, the core read and the window."""

from __future__ import annotations

import time

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from bench.runner_window import close_window
from bench.timing import Result, ms
from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.participant_record import load_participant_record
from facilitator.services.session_sheet import SessionSheet
from facilitator.storage.unit_of_work import unit_of_work
from ui.participant.participant_window import ParticipantWindow


def measure_participant_view(
    app: QApplication, clinic: Clinic, user: SignedInUser, sheet: SessionSheet, repeat: int
) -> list[Result]:
    """ParticipantWindow constructed until shown; and the core load_participant_record."""
    people = [e.participant_id for e in sheet.blocks[0].roster]
    core = []
    for index in range(repeat):
        started = time.perf_counter()
        with unit_of_work(clinic.database) as session:
            load_participant_record(session, people[index % len(people)], sheet.day)
        core.append(ms(started))
    shown = []
    for index in range(repeat + 1):  # the first is cold: left out
        started = time.perf_counter()
        window = ParticipantWindow(
            clinic, user, people[index % len(people)], today=lambda: sheet.day
        )
        window.show()
        QTest.qWaitForWindowExposed(window)
        app.processEvents()
        if index:
            shown.append(ms(started))
        close_window(app, window)
    return [
        Result("participant view: window shown", shown, 100),
        Result("  core: load_participant_record", core),
    ]
