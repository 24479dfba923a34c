"""Admitting a participant from the keyboard, editing their details with history, moving them to
another group, and a clinician's NPI, driven through the real windows on a copy of the demo."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.views import RosterRow
from tests.ui.admit_keys import admit_dialog, focused, type_then_tab
from tests.ui.conftest import DEMO_TODAY
from tests.ui.modal import on_modal, raise_first
from ui.accounts.clinician_dialog import ClinicianDialog
from ui.accounts.clinicians_window import CliniciansWindow
from ui.main_window import MainWindow
from ui.models.row_table_model import ROW_ROLE
from ui.participant.edit_details_dialog import EditDetailsDialog
from ui.participant.goals_dialog import GoalsDialog
from ui.participant.participant_window import ParticipantWindow
from ui.participant.transfer_dialog import TransferDialog

CTRL = Qt.KeyboardModifier.ControlModifier
GROUP = "Adult IOP Evening"


def show(qtbot: QtBot, window: QWidget) -> None:
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()


def test_admitting_with_the_keyboard_puts_the_person_on_the_page_and_the_block_roster(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    window = MainWindow(writable_clinic, user, today=lambda: DEMO_TODAY)
    show(qtbot, window)
    window.tabs.setCurrentWidget(window.participants_view)
    dialog = admit_dialog(qtbot, window)
    for text in ("KB-0042", "Rowan", "Halloway", "Ro", "he/him", "1988-02-29"):
        type_then_tab(qtbot, text)
    assert focused() is dialog.group  # focus follows the screen
    qtbot.keyClick(dialog.group, Qt.Key.Key_Down)  # the groups by program, then name
    assert dialog.group.currentText().startswith("Adult IOP Morning")
    qtbot.keyClick(dialog.group, Qt.Key.Key_Up)
    assert (
        dialog.group.currentText() == f"{GROUP} — Adult IOP (ASAM Level 2.1 Intensive Outpatient)"
    )
    qtbot.keyClick(dialog.group, Qt.Key.Key_Tab)
    assert focused() is dialog.admitted_on and dialog.admitted_on.text() == "2026-11-23"
    type_then_tab(qtbot, "")
    type_then_tab(qtbot, "2027-01-01")  # recovery start: refused, said beside the field
    assert focused() is dialog.goals.list
    for goal in ("Attend all four days", "Name three coping skills"):
        qtbot.keyClick(dialog.goals.list, Qt.Key.Key_N, CTRL)  # a new goal, being edited
        editor = focused()
        qtbot.keyClicks(editor, goal)
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.goals.list)
    assert [text for _, text in dialog.goals.plan()] == [
        "Attend all four days",
        "Name three coping skills",
    ]
    for _ in range(len(dialog.goals.buttons) + 1):  # past Add, Move up and Move down
        qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert focused() is dialog.admit_button
    qtbot.keyClick(dialog.admit_button, Qt.Key.Key_Return)
    error = dialog.form.errors["recovery_start"]
    assert dialog.isVisible() and error.isVisible()
    assert "2027-01-01 is in the future" in error.text()
    assert focused() is dialog.recovery_start
    assert "color" in error.styleSheet()
    assert not [r for r in writable_clinic.roster(DEMO_TODAY) if r.chart_number == "KB-0042"]
    dialog.recovery_start.clear()
    qtbot.keyClicks(dialog.recovery_start, "2026-10-30")
    qtbot.keyClick(dialog.recovery_start, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    table = window.participants_view.table
    selected = table.currentIndex().data(ROW_ROLE)
    assert isinstance(selected, RosterRow)
    assert (selected.name, selected.chart_number, selected.group, selected.status) == (
        "Ro Halloway",
        "KB-0042",
        GROUP,
        "active",
    )
    assert window.tabs.currentWidget() is window.participants_view
    evening = [b for b in writable_clinic.day_blocks(DEMO_TODAY) if b.group == GROUP]
    sheet = writable_clinic.runner.sheet(evening[0].session_id)
    for block in sheet.blocks:
        entry = block.entry(selected.participant_id)
        assert entry.chart_number == "KB-0042" and entry.pronouns == "he/him"
        assert [g.text for g in entry.goals] == ["Attend all four days", "Name three coping skills"]
    assert writable_clinic.measures.recovery_start(selected.participant_id) == date(2026, 10, 30)


def test_details_are_edited_with_a_reason_and_shown_in_the_history(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    participant = writable_clinic.roster(DEMO_TODAY)[0]
    window = ParticipantWindow(
        writable_clinic, user, participant.participant_id, lambda: DEMO_TODAY
    )
    show(qtbot, window)

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, EditDetailsDialog)
        dialog.form.pronouns.clear()
        qtbot.keyClicks(dialog.form.pronouns, "xe/xem")
        qtbot.keyClick(dialog.form.pronouns, Qt.Key.Key_Return)  # no reason yet: refused
        assert "Say why" in dialog.form.errors["reason"].text()
        assert dialog.focusWidget() is dialog.reason
        qtbot.keyClicks(dialog.reason, "Asked at check-in")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    failures = on_modal(qtbot, edit)
    qtbot.keyClick(window.tabs, Qt.Key.Key_E, CTRL)
    raise_first(failures)
    assert "xe/xem" in window._details.text()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window.tabs, Qt.Key.Key_7, CTRL)
    assert window.tabs.currentWidget() is window.history_table
    assert window.tabs.tabText(6) == "History (1)"
    model = window.history_table.model()
    row = [model.index(0, c).data() for c in range(1, 6)]
    assert row == [
        "Pronouns",
        participant.pronouns,
        "xe/xem",
        "Asked at check-in",
        user.display_name,
    ]


def test_goals_are_rephrased_and_reordered_in_their_dialog(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    participant = writable_clinic.roster(DEMO_TODAY)[0]
    goals = writable_clinic.goal_plan.goals(participant.participant_id)
    assert len(goals) >= 2
    window = ParticipantWindow(
        writable_clinic, user, participant.participant_id, lambda: DEMO_TODAY
    )
    show(qtbot, window)

    def rephrase(dialog: QWidget) -> None:
        assert isinstance(dialog, GoalsDialog)
        listed = dialog.goals.list
        listed.setCurrentRow(1)
        qtbot.keyClick(listed, Qt.Key.Key_F2)
        editor = dialog.focusWidget()
        assert editor is not None and editor is not listed
        qtbot.keyClick(editor, Qt.Key.Key_A, CTRL)
        qtbot.keyClicks(editor, "Walk twenty minutes after group")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.focusWidget() is listed)
        qtbot.keyClick(listed, Qt.Key.Key_Up, CTRL)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # no reason for the new text yet
        assert "Say why" in dialog.error.text()
        qtbot.keyClicks(dialog.reason, "Rephrased with the participant")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    failures = on_modal(qtbot, rephrase)
    qtbot.keyClick(window.tabs, Qt.Key.Key_G, CTRL)
    raise_first(failures)
    texts = [g.text for g in writable_clinic.goal_plan.goals(participant.participant_id)]
    assert texts[:2] == ["Walk twenty minutes after group", goals[0].text]
    history = writable_clinic.admissions.participant_history(participant.participant_id)
    assert ("Treatment goal", goals[1].text, "Walk twenty minutes after group") in {
        (h.label, h.was, h.now) for h in history
    }
    assert "Order of the goals" in {h.label for h in history}
    assert window.tabs.tabText(6) == f"History ({len(history)})"


def test_a_transfer_from_the_participant_window_moves_them_to_the_other_group(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    participant = next(
        r
        for r in writable_clinic.roster(DEMO_TODAY)
        if r.group == "Adult IOP Morning" and r.admitted and r.admitted < date(2026, 11, 1)
    )
    window = ParticipantWindow(
        writable_clinic, user, participant.participant_id, lambda: DEMO_TODAY
    )
    show(qtbot, window)

    def move(dialog: QWidget) -> None:
        assert isinstance(dialog, TransferDialog)
        assert dialog.transfer.isChecked() and not dialog.step_down.isEnabled()
        assert dialog.group.currentText().startswith(GROUP)
        dialog.day.clear()
        qtbot.keyClicks(dialog.day, "2026-11-19")
        qtbot.keyClick(dialog.day, Qt.Key.Key_Return)
        assert "after the last day attended" in dialog.error.text()
        dialog.day.clear()
        qtbot.keyClicks(dialog.day, "2026-11-23")
        qtbot.keyClick(dialog.day, Qt.Key.Key_Return)

    failures = on_modal(qtbot, move)
    qtbot.keyClick(window.tabs, Qt.Key.Key_T, CTRL)
    raise_first(failures)
    assert f"{GROUP} (Adult IOP): active, admitted 2026-11-23" in window._enrollments.text()
    assert f"transferred to {GROUP} from 2026-11-23" in window._enrollments.text()
    assert not window.discharged_bar.isVisible()
    row = next(
        r
        for r in writable_clinic.roster(DEMO_TODAY)
        if r.participant_id == participant.participant_id
    )
    assert (row.group, row.status) == (GROUP, "active")


def test_the_clinicians_window_edits_an_npi_and_refuses_a_bad_one(
    qtbot: QtBot, writable_clinic: Clinic, admin: SignedInUser
) -> None:
    window = CliniciansWindow(writable_clinic.accounts, admin)
    show(qtbot, window)
    window.select("mreyes")
    checked: list[str] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, ClinicianDialog)
        qtbot.keyClicks(dialog.npi_edit, "1234567890")  # the check digit is wrong
        qtbot.keyClicks(dialog.license_edit, "LPC 004417")
        qtbot.keyClick(dialog.license_edit, Qt.Key.Key_Return)
        checked.append(dialog.npi_error.text())
        assert dialog.isVisible() and dialog.focusWidget() is dialog.npi_edit
        dialog.npi_edit.clear()
        qtbot.keyClicks(dialog.npi_edit, "1234567893")
        assert not dialog.npi_error.isVisible()
        qtbot.keyClick(dialog.npi_edit, Qt.Key.Key_Return)

    failures = on_modal(qtbot, fill)
    qtbot.keyClick(window.table, Qt.Key.Key_E, CTRL)
    raise_first(failures)
    assert checked == [
        "1234567890 is not a valid NPI: its check digit (the last) does not match. Check it "
        "against the NPPES registry."
    ]
    row = next(r for r in writable_clinic.accounts.clinicians() if r.username == "mreyes")
    assert (row.npi, row.license_number) == ("1234567893", "LPC 004417")
    shown = window.selected()
    assert shown is not None and shown.npi == "1234567893"
