"""The co-sign queue lists an associate's discharge summaries beside notes: co-signed or
returned with the keyboard, the summary readable in the detail pane."""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.discharge import (
    DischargeReason,
    DischargeRequest,
    SummaryStatus,
    TransitionPlan,
)
from facilitator.domain.users import SignedInUser
from facilitator.storage.models import Enrollment
from facilitator.storage.unit_of_work import unit_of_work
from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_review import CTRL_SHIFT, show, type_password
from ui.dialogs.return_dialog import ReturnDialog
from ui.dialogs.sign_dialog import SignDialog
from ui.review.cosign_queue_window import CosignQueueWindow


def signed_summaries(
    clinic: Clinic, associate: SignedInUser, password: str, count: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """`count` participants discharged yesterday, each summary signed by the associate."""
    with unit_of_work(clinic.database) as session:
        participants = session.scalars(
            select(Enrollment.participant_id)
            .where(
                Enrollment.discharged.is_(None), Enrollment.admitted < DEMO_TODAY - timedelta(14)
            )
            .order_by(Enrollment.admitted)
        ).all()[:count]
    found = []
    for participant_id in participants:
        request = DischargeRequest(
            DEMO_TODAY - timedelta(days=1), DischargeReason.COMPLETED, TransitionPlan()
        )
        row = clinic.discharges.discharge(associate, participant_id, request, DEMO_TODAY)
        clinic.discharges.sign(associate, password, row.discharge_id)
        found.append((participant_id, row.discharge_id))
    return found


def test_summaries_are_cosigned_and_returned_in_the_queue(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    writable_clinic: Clinic,
    associate: SignedInUser,
    supervisor: SignedInUser,
    demo_passwords: dict[str, str],
) -> None:
    (approve_for, approve), (send_back_for, send_back) = signed_summaries(
        writable_clinic, associate, demo_passwords[associate.username], 2
    )
    window = CosignQueueWindow(writable_clinic, supervisor)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtmodeltester.check(window.model)
    keys = [r.note_id for r in window.model.rows()]
    assert {approve, send_back} <= set(keys)
    document = window.model.index(keys.index(approve), 1).data()
    assert document == "Discharge summary"
    assert "Note" in {window.model.index(i, 1).data() for i in range(len(keys))}

    window.table.setFocus()
    window.table.selectRow(keys.index(approve))
    detail = window.detail.toPlainText()
    assert "Discharge summary" in detail and "Awaiting co-signature" in detail
    assert "Signed: Sam Okafor, LAC" in detail
    assert "Attendance:" in detail and "Next level of care:" in detail
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    qtbot.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, SignDialog)
    type_password(qtbot, dialog, demo_passwords[supervisor.username])
    qtbot.waitUntil(lambda: not dialog.isVisible())
    latest = writable_clinic.discharges.latest(approve_for)
    assert latest is not None and latest.status is SummaryStatus.SIGNED
    assert latest.review.cosigner == supervisor.display_name
    assert approve not in {r.note_id for r in window.model.rows()}
    show(qtbot, window)

    window.table.selectRow([r.note_id for r in window.model.rows()].index(send_back))
    qtbot.keyClick(window.table, Qt.Key.Key_T, CTRL_SHIFT)
    returning = window.dialog
    assert isinstance(returning, ReturnDialog)
    assert "back to draft" in returning.comment.placeholderText()
    show(qtbot, returning)
    qtbot.keyClicks(returning.comment, "Name the follow-up appointment.")
    qtbot.keyClick(returning.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not returning.isVisible())
    latest = writable_clinic.discharges.latest(send_back_for)
    assert latest is not None and latest.status is SummaryStatus.DRAFT
    assert latest.review.comment == "Name the follow-up appointment."
    keys = [r.note_id for r in window.model.rows()]
    assert window.model.index(keys.index(send_back), 8).data() == "Returned, waiting for the author"
    window.close()
