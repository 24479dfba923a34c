"""Readmit a discharged participant: a new enrollment in a group from an admission date."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from ui.date_edit import DateEdit
from ui.participant.form_parts import from_qdate, labelled_form, refusal_label, to_qdate

Readmit = Callable[[uuid.UUID, date], object]  # group, admission day


class ReadmitDialog(QDialog):
    """Ctrl+S or Readmit saves; a refused readmission keeps the dialog open with why."""

    def __init__(
        self,
        name: str,
        discharged: date,
        reason: str,
        groups: Sequence[tuple[str, uuid.UUID]],
        last_group: str,
        today: date,
        readmit: Readmit,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._readmit = readmit
        self.setWindowTitle(self.tr("Readmit %1").replace("%1", name))
        self.intro = QLabel(
            self.tr(
                "%1 was discharged on %2 (%3) and has been off the rosters since. A readmission "
                "is a new enrollment: they are on the group's roster again from the admission "
                "date. The earlier enrollment, its discharge and its records stay as they are."
            )
            .replace("%1", name)
            .replace("%2", discharged.isoformat())
            .replace("%3", reason),
            self,
        )
        self.intro.setWordWrap(True)
        self.group = QComboBox(self)
        for label, group_id in groups:
            self.group.addItem(label, group_id)
        self.group.setCurrentIndex(max(0, self.group.findText(last_group)))
        first = discharged + timedelta(days=1)
        day = max(today, first)
        self.admitted = DateEdit(day, self)
        self.admitted.setMinimumDate(to_qdate(first))
        self.admitted.setToolTip(self.tr("From the day after the discharge on"))
        self.error = refusal_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.addButton(
            self.tr("&Readmit"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.setToolTip(self.tr("Readmit (Ctrl+S)"))
        self.save_button.setDefault(True)
        self._build_layout()
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _build_layout(self) -> None:
        form = labelled_form(
            self,
            ((self.tr("&Group:"), self.group), (self.tr("&Admission date:"), self.admitted)),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)

    def _on_buttons_accepted(self) -> None:
        group_id = self.group.currentData()
        if group_id is None:
            self.error.setText(self.tr("There is no active group to readmit into."))
            return
        try:
            self._readmit(group_id, from_qdate(self.admitted.date()))
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()
