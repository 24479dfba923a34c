"""The program's measure schedule, set by an administrator from the main window: the form shows
the program's schedule, saving it changes what Today lists as due; others cannot change it."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.measures import MeasureSchedule
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from ui.main_window import MainWindow
from ui.programs import measure_schedule_dialog
from ui.programs.measure_schedule_dialog import MeasureScheduleDialog


def schedule_dialog(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> MeasureScheduleDialog:
    measures = clinic.measures
    dialog = MeasureScheduleDialog(
        measures.programs(),
        measures.definitions(),
        lambda program, schedule, weeks: measures.set_program_schedule(
            user, program, schedule, weeks
        ),
    )
    qtbot.addWidget(dialog)
    return dialog


def checked(dialog: MeasureScheduleDialog) -> set[str]:
    items = [dialog.measures.item(row) for row in range(dialog.measures.count())]
    return {
        str(i.data(Qt.ItemDataRole.UserRole))
        for i in items
        if i.checkState() == Qt.CheckState.Checked
    }


def check_only(dialog: MeasureScheduleDialog, codes: set[str]) -> None:
    for row in range(dialog.measures.count()):
        item = dialog.measures.item(row)
        wanted = item.data(Qt.ItemDataRole.UserRole) in codes
        item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)


def save(dialog: MeasureScheduleDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_the_form_shows_the_programs_schedule(
    qtbot: QtBot, clinic: Clinic, admin: SignedInUser
) -> None:
    (program,) = clinic.measures.programs()
    dialog = schedule_dialog(qtbot, clinic, admin)
    assert checked(dialog) == set(program.schedule.measures)
    shown = dialog.schedule()
    assert sorted(shown.measures) == sorted(program.schedule.measures)
    assert (shown.at_admission, shown.every_weeks, shown.at_discharge) == (
        program.schedule.at_admission,
        program.schedule.every_weeks,
        program.schedule.at_discharge,
    )
    assert dialog.length_weeks() == program.length_weeks
    assert dialog.summary.text().startswith("Due lists in Today and the runner will show")


def test_saving_a_schedule_changes_what_is_due(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser
) -> None:
    dialog = schedule_dialog(qtbot, writable_clinic, admin)
    check_only(dialog, {"READINESS"})
    dialog.at_admission.setChecked(False)
    dialog.at_discharge.setChecked(False)
    dialog.repeat.setChecked(True)
    dialog.every.setValue(1)
    dialog.length.setValue(0)
    assert dialog.length.text() == "Not set"
    assert dialog.summary.text() == (
        "Due lists in Today and the runner will show Readiness to change every week."
    )
    save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted, dialog.error.text()
    (program,) = writable_clinic.measures.programs()
    assert (program.schedule.measures, program.schedule.every_weeks) == (("READINESS",), 1)
    assert program.length_weeks is None
    due = writable_clinic.week_measures_due(DEMO_TODAY)
    assert due and {r.code for r in due} == {"READINESS"}


def test_nothing_scheduled_is_said_plainly(
    qtbot: QtBot, clinic: Clinic, admin: SignedInUser
) -> None:
    dialog = schedule_dialog(qtbot, clinic, admin)
    check_only(dialog, set())
    assert dialog.summary.text().startswith("No measure is scheduled")


def test_only_an_administrator_changes_it(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    before = writable_clinic.measures.programs()
    dialog = schedule_dialog(qtbot, writable_clinic, user)
    dialog.length.setValue(12)
    save(dialog)
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "Only an administrator" in dialog.error.text()
    assert writable_clinic.measures.programs() == before


def action(window: MainWindow, text: str) -> QAction | None:
    return next(
        (a for a in window.findChildren(QAction) if a.text().replace("&", "") == text), None
    )


def test_the_administration_menu_opens_it(
    qtbot: QtBot,
    clinic: Clinic,
    admin: SignedInUser,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[object] = []
    monkeypatch.setattr(
        measure_schedule_dialog.MeasureScheduleDialog,
        "exec",
        lambda self: opened.append(self) or 0,
    )
    window = MainWindow(clinic, admin, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    found = action(window, "Measure schedule…")
    assert found is not None and found.shortcut().toString() == "Ctrl+Shift+M"
    found.trigger()
    assert len(opened) == 1
    facilitator_window = MainWindow(clinic, user, today=lambda: DEMO_TODAY)
    qtbot.addWidget(facilitator_window)
    assert action(facilitator_window, "Measure schedule…") is None


def test_edits_to_several_programs_are_kept_and_saved_together(
    qtbot: QtBot, clinic: Clinic
) -> None:
    (demo,) = clinic.measures.programs()
    second = replace(demo, program_id=uuid.uuid4(), name="Evening IOP", length_weeks=None)
    saved: list[tuple[uuid.UUID, MeasureSchedule, int | None]] = []
    dialog = MeasureScheduleDialog(
        [demo, second],
        clinic.measures.definitions(),
        lambda program, schedule, weeks: saved.append((program, schedule, weeks)),
    )
    qtbot.addWidget(dialog)
    dialog.length.setValue(10)
    dialog.program.setCurrentIndex(1)
    assert dialog.length.text() == "Not set"
    assert "only once a discharge is set" in dialog.summary.text()
    check_only(dialog, {"CRAVING"})
    dialog.program.setCurrentIndex(0)
    assert dialog.length.value() == 10  # the edit was kept
    save(dialog)
    assert dialog.result() == dialog.DialogCode.Accepted
    assert [(p, s.measures, w) for p, s, w in saved] == [
        (demo.program_id, dialog.schedule().measures, 10),
        (second.program_id, ("CRAVING",), None),
    ]
