"""The participant window marks a draft discharge entered in error: the reason is asked, the
enrollment reopens (back on the rosters), and the discharge stays listed, marked."""

from __future__ import annotations

from datetime import timedelta

from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.discharge import DischargeReason, DischargeRequest, TransitionPlan
from facilitator.domain.users import SignedInUser
from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_progress import open_window
from tests.ui.test_readmit_and_correct import long_enrolled, on_roster_today

WHY = "Recorded for the wrong participant"


def test_mark_a_draft_discharge_entered_in_error(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    pid = long_enrolled(writable_clinic)
    yesterday = DEMO_TODAY - timedelta(days=1)
    request = DischargeRequest(yesterday, DischargeReason.COMPLETED, TransitionPlan())
    writable_clinic.discharges.discharge(user, pid, request, DEMO_TODAY)
    window = open_window(qtbot, writable_clinic, user, pid)
    actions = window.discharge_actions
    assert actions.entered_in_error.isEnabled()
    assert actions.entered_in_error.shortcut().toString() == "Ctrl+Shift+W"
    assert window.voided_note.isHidden()

    dialog = actions.entered_in_error_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert f"on {yesterday} (Completed program)" in dialog.intro.text()
    dialog.mark_button.click()  # no reason: refused, the dialog stays open
    assert "Say why" in dialog.error.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    dialog.reason.setText(WHY)
    dialog.mark_button.click()
    assert dialog.result() == dialog.DialogCode.Accepted
    window.refresh()

    assert on_roster_today(writable_clinic, pid)
    assert window.discharged_bar.isHidden()
    assert not actions.entered_in_error.isEnabled() and not actions.readmit.isEnabled()
    assert actions.discharge.isEnabled()  # discharge again, on the right day
    assert window.voided_note.isVisible()
    note = window.voided_note.text()
    assert f"Discharge on {yesterday} (Completed program) entered in error: {WHY}" in note
    assert f"marked by {user.display_name}" in note


def test_a_signed_summary_cannot_be_marked(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    pid = long_enrolled(writable_clinic)
    request = DischargeRequest(DEMO_TODAY, DischargeReason.COMPLETED, TransitionPlan())
    row = writable_clinic.discharges.discharge(user, pid, request, DEMO_TODAY)
    window = open_window(qtbot, writable_clinic, user, pid)
    dialog = window.discharge_actions.entered_in_error_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    with writable_clinic.database.engine.begin() as connection:  # signed meanwhile elsewhere
        connection.exec_driver_sql(
            "UPDATE discharge SET status = 'signed' WHERE id = ?", (row.discharge_id.hex,)
        )
    dialog.reason.setText(WHY)
    dialog.mark_button.click()
    assert "a signed record is corrected" in dialog.error.text()
    assert dialog.result() != dialog.DialogCode.Accepted
    window.refresh()
    assert not window.discharge_actions.entered_in_error.isEnabled()
    assert window.voided_note.isHidden()
