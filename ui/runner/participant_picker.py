"""Who joins a block that is already on the sheet, and why (a drop-in, a new admission...)."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from facilitator.app import Clinic
from facilitator.services.session_sheet import BlockSheet
from facilitator.visible_text import isolated_if_needed

ADD_REASONS = ("Drop-in", "New admission", "Transferred from another group")


def pick_participant(
    parent: QWidget, clinic: Clinic, day: date, block: BlockSheet
) -> tuple[uuid.UUID, str] | None:
    """Ask whom to add among the program's active participants not in the block, then why;
    None when nobody is left or the user cancels."""
    here = {e.participant_id for e in block.roster if not e.removed}
    candidates = [
        r for r in clinic.roster(day) if r.status == "active" and r.participant_id not in here
    ]
    title = parent.tr("Add participant")
    if not candidates:
        QMessageBox.information(
            parent, title, parent.tr("Everyone active in the program is already here.")
        )
        return None
    labels = [
        " · ".join(isolated_if_needed(text) for text in (r.name, r.chart_number, r.group))
        for r in candidates
    ]
    label, accepted = QInputDialog.getItem(
        parent, title, parent.tr("Who joins this block?"), labels, 0, False
    )
    if not accepted:
        return None
    reason, accepted = QInputDialog.getItem(
        parent, title, parent.tr("Why?"), list(ADD_REASONS), 0, True
    )
    return (candidates[labels.index(label)].participant_id, reason) if accepted else None
