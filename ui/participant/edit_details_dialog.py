"""Edit a participant's details with a reason: each field changed is kept in their history."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from facilitator.domain.admission import AdmissionError
from facilitator.domain.errors import DomainError
from facilitator.services.admissions import MAX_REASON_LENGTH, ParticipantDetails
from ui.participant.details_form import DetailsForm, chain_focus
from ui.participant.form_parts import refusal_label, save_buttons
from ui.widgets import grow_to_fit

Save = Callable[[ParticipantDetails, str], object]  # the details wanted, the reason


class EditDetailsDialog(QDialog):
    """Ctrl+S or Enter saves; a refusal says beside each field what is wrong, and nothing is
    saved until every field is right."""

    def __init__(
        self, name: str, details: ParticipantDetails, save: Save, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Edit details of %1").replace("%1", name))
        self.intro = QLabel(
            self.tr(
                "Change what is wrong or out of date and say why. Each field changed is kept "
                "in the participant's History (was, now, why, who, when)."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.form = DetailsForm(self)
        self.form.set_details(details)
        self.recovery_start = self.form.date_line("recovery_start", self.tr("&Recovery start:"))
        if details.recovery_start is not None:
            self.recovery_start.setText(details.recovery_start.isoformat())
        self.reason = self.form.line(
            "reason", self.tr("Rea&son for the change:"), MAX_REASON_LENGTH
        )
        self.reason.setPlaceholderText(self.tr("for example legal name change; typo at intake"))
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save (Ctrl+S)"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(880)
        save_button = self.buttons.button(self.buttons.StandardButton.Save)
        save_button.setDefault(True)
        chain_focus([*self.form.focus_order(), save_button])
        self.form.chart_number.setFocus()
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        self.form.clear_problems()
        self.error.clear()
        problems: dict[str, str] = {}
        recovery = self.form.read_date("recovery_start", problems, optional=True)
        details = self.form.details(problems, recovery)
        try:
            if details is None or problems:
                raise AdmissionError(list(problems.items()))
            self._save(details, self.reason.text())
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
