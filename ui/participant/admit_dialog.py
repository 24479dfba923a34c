"""Admit a participant: who they are, the group (its program is the level of care), the
admission day, the recovery start and the treatment goals as an editable list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.admission import AdmissionError
from facilitator.domain.errors import DomainError
from facilitator.services.admissions import AdmissionRequest, Admitted, GroupChoice
from ui.participant.details_form import DetailsForm, chain_focus
from ui.participant.form_parts import refusal_label
from ui.participant.goal_list import GoalList
from ui.widgets import grow_to_fit

Admit = Callable[[AdmissionRequest], Admitted]


class AdmitDialog(QDialog):
    """Ctrl+S or Enter admits; a refusal keeps what was typed and says, beside each field,
    what is wrong. `admitted` holds the result once accepted."""

    def __init__(
        self,
        groups: Sequence[GroupChoice],
        today: date,
        admit: Admit,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._admit = admit
        self.admitted: Admitted | None = None
        self.setWindowTitle(self.tr("Admit participant"))
        self.intro = QLabel(
            self.tr(
                "A new participant joins a group from the admission day. A chart number already "
                "in the records, with the same date of birth, readmits that participant."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.form = DetailsForm(self)
        self.group = QComboBox(self)
        for choice in groups:
            self.group.addItem(choice.label, choice.group_id)
        self.form.add_row("group", self.tr("&Group:"), self.group)
        self.admitted_on = self.form.date_line("admitted", self.tr("&Admission date:"))
        self.admitted_on.setText(today.isoformat())
        self.recovery_start = self.form.date_line("recovery_start", self.tr("&Recovery start:"))
        self.recovery_start.setToolTip(self.tr("The day recovery began, if known (optional)"))
        self.goals = GoalList((), self)
        self.goals.list.setFixedHeight(self.goals.list.fontMetrics().lineSpacing() * 6 + 12)
        self.form.add_row("goals", self.tr("&Treatment goals:"), self.goals)
        self.error = refusal_label(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.admit_button = self.buttons.addButton(
            self.tr("Ad&mit"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.admit_button.setShortcut(QKeySequence.StandardKey.Save)
        self.admit_button.setToolTip(self.tr("Admit (Ctrl+S)"))
        self.admit_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(880)
        fields = [w for w in self.form.focus_order() if w is not self.goals]
        chain_focus([*fields, *self.goals.focus_order(), self.admit_button])
        self.form.chart_number.setFocus()
        if not groups:
            self.error.setText(
                self.tr("There is no active group yet: set up a program and a group first.")
            )
            self.admit_button.setEnabled(False)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def request(self, problems: dict[str, str]) -> AdmissionRequest | None:
        """The admission as typed; None when a date cannot be read (noted in `problems`)."""
        admitted = self.form.read_date("admitted", problems)
        recovery = self.form.read_date("recovery_start", problems, optional=True)
        details = self.form.details(problems, recovery)
        if details is None or admitted is None or problems:
            return None
        goals = tuple(text.strip() for _, text in self.goals.plan())
        return AdmissionRequest(details, self.group.currentData(), admitted, goals)

    def _on_buttons_accepted(self) -> None:
        self.form.clear_problems()
        self.error.clear()
        problems: dict[str, str] = {}
        request = self.request(problems)
        try:
            if request is None:
                raise AdmissionError(list(problems.items()))
            self.admitted = self._admit(request)
        except AdmissionError as error:
            if not self.form.show_problems(error.by_field()):
                self.error.setText(str(error))
            grow_to_fit(self)
            return
        except DomainError as error:
            self.error.setText(str(error))
            grow_to_fit(self)
            return
        self.accept()
