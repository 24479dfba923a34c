"""Asks for a period (and, where it applies, a group or whether to include drafts)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QWidget,
)

from ui.date_edit import DateEdit


class PeriodDialog(QDialog):
    """From and to dates; a group choice when `groups` is given; a drafts box when asked."""

    def __init__(
        self,
        title: str,
        first: date,
        last: date,
        groups: Sequence[tuple[str, uuid.UUID]] | None = None,
        offer_drafts: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.first = self._date_edit(first)
        self.last = self._date_edit(last)
        self.group = QComboBox(self)
        self.drafts = QCheckBox(self.tr("Include unsigned drafts (marked DRAFT)"), self)
        form = QFormLayout(self)
        form.addRow(self.tr("&From:"), self.first)
        form.addRow(self.tr("&To:"), self.last)
        if groups is not None:
            self.group.addItem(self.tr("All groups"), None)
            for name, group_id in groups:
                self.group.addItem(name, str(group_id))
            form.addRow(self.tr("&Group:"), self.group)
        else:
            self.group.hide()
        if offer_drafts:
            form.addRow("", self.drafts)
        else:
            self.drafts.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        form.addRow(buttons)
        self.setMinimumWidth(320)  # the title in view, the group names in full
        self._buttons = buttons
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.first.dateChanged.connect(self._on_first_date_changed)

    def _date_edit(self, day: date) -> DateEdit:
        return DateEdit(day, self)

    def period(self) -> tuple[date, date]:
        return self.first.date().toPython(), self.last.date().toPython()  # type: ignore[return-value]

    def group_id(self) -> uuid.UUID | None:
        data = self.group.currentData()
        return uuid.UUID(str(data)) if data else None

    def _on_first_date_changed(self, first: QDate) -> None:
        self.last.setMinimumDate(first)
