"""Views of PHI are audited: opening a session's runner (who opened which session, ids only)
and a print preview (shown, even if nothing is printed)."""

from __future__ import annotations

import uuid

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.storage.models import AuditEvent
from facilitator.storage.unit_of_work import unit_of_work
from tests.ui.conftest import DEMO_TODAY
from tests.ui.modal import when_modal
from ui.runner.session_runner_window import SessionRunnerWindow


def _entries(clinic: Clinic, action: str) -> list[AuditEvent]:
    with unit_of_work(clinic.database) as session:
        return list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.sequence)
            )
        )


def test_opening_the_runner_and_a_print_preview_are_audited(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser
) -> None:
    session_id = writable_clinic.day_blocks(DEMO_TODAY)[0].session_id
    # what the demo's runner and other tests' windows on the shared demo clinic left
    before = _entries(writable_clinic, "view_session")
    previews, prints = (len(_entries(writable_clinic, a)) for a in ("print_preview", "print"))
    window = SessionRunnerWindow(writable_clinic, user, session_id)
    qtbot.addWidget(window)
    [opened] = _entries(writable_clinic, "view_session")[len(before) :]
    assert (opened.clinician_id, opened.object_type) == (user.id, "session")
    assert uuid.UUID(opened.object_id or "") == session_id and opened.detail == {}

    window.show()
    preview = next(
        a for a in window.findChildren(QAction) if a.text() == "Print pre&view of session record…"
    )
    shown: list[str] = []

    def cancel(dialog: QWidget) -> None:
        shown.append(type(dialog).__name__)
        dialog.close()  # looked at, not printed

    when_modal(cancel)
    preview.trigger()
    assert shown == ["QPrintPreviewDialog"]
    [previewed] = _entries(writable_clinic, "print_preview")[previews:]
    assert (previewed.clinician_id, previewed.object_type) == (user.id, "group_session")
    assert uuid.UUID(previewed.object_id or "") == session_id
    assert previewed.detail == {"kind": "session_record"}
    assert len(_entries(writable_clinic, "print")) == prints  # nothing printed
