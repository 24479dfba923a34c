"""The review screen and the co-sign queue, driven with the keyboard on a demo clinic copy."""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import SignedInUser
from facilitator.services.session_sheet import NoteDraft
from facilitator.storage.models import ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work
from tests.ui.conftest import DEMO_TODAY
from ui.dialogs.addendum_dialog import AddendumDialog
from ui.dialogs.return_dialog import ReturnDialog
from ui.dialogs.sign_dialog import SignDialog
from ui.main_window import MainWindow
from ui.review.cosign_queue_window import CosignQueueWindow
from ui.review.review_window import ReviewWindow

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
COMPLETE = {
    "goal": "Identify high-risk situations",
    "intervention": "Facilitator led a thought-record exercise",
    "response": "Participant named two triggers and a coping plan",
    "plan": "Practise the thought record daily",
}


def write_drafts(clinic: Clinic, author: SignedInUser) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """Four notes in the morning's first block today: three complete, one without a response."""
    row = next(r for r in clinic.day_blocks(DEMO_TODAY) if r.group == "Adult IOP Morning")
    runner = clinic.runner
    block = runner.sheet(row.session_id).blocks[0]
    ids = []
    for number, entry in enumerate(block.roster[:4]):
        runner.record_attendance(block.block_id, entry.participant_id, AttendanceStatus.PRESENT)
        fields = COMPLETE if number < 3 else {**COMPLETE, "response": ""}
        draft = NoteDraft(template="GIRP", fields=fields)
        ids.append(runner.save_draft(block.block_id, entry.participant_id, author.id, draft))
    return block.block_id, ids


def statuses(clinic: Clinic, ids: list[uuid.UUID]) -> list[NoteStatus]:
    with unit_of_work(clinic.database) as session:
        found = {
            n.id: NoteStatus(n.status)
            for n in session.scalars(select(ParticipantNote).where(ParticipantNote.id.in_(ids)))
        }
    return [found[i] for i in ids]


def show(qtbot: QtBot, window: QWidget) -> None:
    """On screen and active, so the window's shortcuts answer."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def type_password(qtbot: QtBot, dialog: SignDialog, password: str) -> None:
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def test_review_screen_signs_a_block_with_keystrokes(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    writable_clinic: Clinic,
    user: SignedInUser,
    demo_passwords: dict[str, str],
) -> None:
    block_id, ids = write_drafts(writable_clinic, user)
    window = ReviewWindow(writable_clinic, user, DEMO_TODAY, block_id)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtmodeltester.check(window.model)

    rows = {r.note_id: r for r in window.rows}
    assert [rows[i].ready for i in ids] == [True, True, True, False]
    assert rows[ids[3]].missing == ("Response",)
    incomplete = window.rows.index(rows[ids[3]])
    assert not window.model.flags(window.model.index(incomplete, 0)) & (
        Qt.ItemFlag.ItemIsUserCheckable
    )
    assert "3 ready · 1 with missing fields" in window.counts.text()

    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_B, CTRL_SHIFT)
    dialog = window.dialog
    assert isinstance(dialog, SignDialog)
    qtbot.waitExposed(dialog)
    assert dialog.items.count() == 3  # the user sees the list and the count before signing
    assert "Sign 3" in dialog.sign_button.text()
    assert "1 note not ready" in dialog.remark.text() and "Missing: Response" in (
        dialog.remark.text()
    )
    assert dialog.windowTitle().startswith("Sign 3 notes")

    type_password(qtbot, dialog, "not my password")
    assert dialog.isVisible() and dialog.error.isVisible()
    assert statuses(writable_clinic, ids) == [NoteStatus.DRAFT] * 4

    type_password(qtbot, dialog, demo_passwords["mreyes"])
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert statuses(writable_clinic, ids) == [NoteStatus.SIGNED] * 3 + [NoteStatus.DRAFT]
    assert "3 ready" not in window.counts.text()
    assert "0 ready · 1 with missing fields" in window.counts.text()
    window.close()


def test_space_checks_only_ready_notes_and_sign_checked_lists_them(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, demo_passwords: dict[str, str]
) -> None:
    block_id, ids = write_drafts(writable_clinic, user)
    window = ReviewWindow(writable_clinic, user, DEMO_TODAY, block_id)
    qtbot.addWidget(window)
    show(qtbot, window)
    order = [r.note_id for r in window.rows]
    window.table.setFocus()
    for note_id in (ids[1], ids[3]):  # one ready, one with a missing field
        window.table.selectRow(order.index(note_id))
        qtbot.keyClick(window.table, Qt.Key.Key_Space)
    assert [r.note_id for r in window.model.checked_rows()] == [ids[1]]

    qtbot.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, SignDialog)
    assert dialog.items.count() == 1
    type_password(qtbot, dialog, demo_passwords["mreyes"])
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert statuses(writable_clinic, ids) == [
        NoteStatus.DRAFT,
        NoteStatus.SIGNED,
        NoteStatus.DRAFT,
        NoteStatus.DRAFT,
    ]
    window.close()


def test_cosign_queue_approves_and_returns_with_keystrokes(
    qtbot: QtBot,
    qtmodeltester: ModelTester,
    writable_clinic: Clinic,
    supervisor: SignedInUser,
    demo_passwords: dict[str, str],
) -> None:
    window = CosignQueueWindow(writable_clinic, supervisor)
    qtbot.addWidget(window)
    show(qtbot, window)
    qtmodeltester.check(window.model)
    rows = window.model.rows()
    awaiting = [r for r in rows if r.status is NoteStatus.AWAITING_COSIGN]
    assert len(awaiting) >= 2
    assert [r for r in rows if r.status is NoteStatus.RETURNED]  # the demo's returned note
    approve, send_back = awaiting[0].note_id, awaiting[1].note_id

    window.table.setFocus()
    window.table.selectRow(rows.index(awaiting[0]))
    qtbot.keyClick(window.table, Qt.Key.Key_Space)
    qtbot.keyClick(window.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    assert isinstance(dialog, SignDialog)
    assert dialog.sign_button.text() == "Co-sign"  # one note: no count
    assert "Reviewed and approved" in [
        w.text() for w in dialog.findChildren(type(dialog.error)) if w.text()
    ]
    type_password(qtbot, dialog, demo_passwords["jlee"])
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert statuses(writable_clinic, [approve]) == [NoteStatus.COSIGNED]
    assert approve not in {r.note_id for r in window.model.rows()}
    show(qtbot, window)

    window.table.selectRow([r.note_id for r in window.model.rows()].index(send_back))
    qtbot.keyClick(window.table, Qt.Key.Key_T, CTRL_SHIFT)
    returning = window.dialog
    assert isinstance(returning, ReturnDialog)
    show(qtbot, returning)
    qtbot.keyClicks(returning.comment, "Add the participant's own words.")
    qtbot.keyClick(returning.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not returning.isVisible())
    assert statuses(writable_clinic, [send_back]) == [NoteStatus.RETURNED]
    window.close()


def test_today_shows_cosignature_status_and_opens_the_signing_windows(
    qtbot: QtBot, clinic: Clinic, supervisor: SignedInUser
) -> None:
    window = MainWindow(clinic, supervisor, lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    show(qtbot, window)
    last_thursday = DEMO_TODAY - timedelta(days=4)
    window.today_view.show_day(last_thursday)
    texts = [r.notes_awaiting_cosign for r in clinic.day_blocks(last_thursday)]
    assert sum(texts) > 0
    assert "awaiting co-signature" in window.today_view.summary.text()

    qtbot.keyClick(window, Qt.Key.Key_J, CTRL_SHIFT)
    assert isinstance(window.cosign_window, CosignQueueWindow)
    assert window.cosign_window.isVisible()
    show(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL_SHIFT)
    assert isinstance(window.review_window, ReviewWindow)
    assert window.review_window.day == last_thursday
    review = window.review_window
    show(qtbot, review)
    with qtbot.waitSignal(window.lock_requested, timeout=1000):  # Ctrl+L locks from here too
        qtbot.keyClick(review.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(review.table, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert review.block_filter.hasFocus()
    for child in (window.cosign_window, window.review_window):
        child.close()
    QApplication.processEvents()


def test_an_addendum_is_refused_with_a_wrong_password_then_signed(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, demo_passwords: dict[str, str]
) -> None:
    last_thursday = DEMO_TODAY - timedelta(days=4)
    window = ReviewWindow(writable_clinic, user, last_thursday)
    qtbot.addWidget(window)
    show(qtbot, window)
    signed = next(r for r in window.rows if r.status is NoteStatus.SIGNED)
    window.table.setFocus()
    window.table.selectRow(window.rows.index(signed))
    qtbot.keyClick(window.table, Qt.Key.Key_N, CTRL_SHIFT)
    dialog = window.dialog
    assert isinstance(dialog, AddendumDialog)
    show(qtbot, dialog)
    assert not dialog.resubmit.isVisible()  # only a returned note is resubmitted
    qtbot.keyClicks(dialog.text, "Late entry: the handout was given after group.")
    qtbot.keyClicks(dialog.password, "not my password")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and "not correct" in dialog.error.text()
    assert dialog.password.text() == ""
    assert writable_clinic.signing.note_record(signed.note_id).addenda == ()

    qtbot.keyClicks(dialog.password, demo_passwords["mreyes"])
    qtbot.mouseClick(dialog.sign_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    (addendum,) = writable_clinic.signing.note_record(signed.note_id).addenda
    assert addendum.text == "Late entry: the handout was given after group."
    assert addendum.signature.printed_name == user.display_name
    window.close()
