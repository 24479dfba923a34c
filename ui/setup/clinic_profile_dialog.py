"""The clinic's profile: name, address, phone, facility NPI, IANA time zone (searchable) and
the program name of the 42 CFR Part 2 notice."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QLineEdit, QVBoxLayout, QWidget

from facilitator.domain.errors import DomainError
from facilitator.services.clinic_profile import ClinicProfile
from ui.participant.form_parts import labelled_form, refusal_label, save_buttons
from ui.widgets import grow_to_fit

Save = Callable[[ClinicProfile], object]


class ClinicProfileDialog(QDialog):
    """Ctrl+S saves through `save`; a refusal (a bad NPI, an unknown zone) stays inline with
    what was typed."""

    def __init__(self, profile: ClinicProfile, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Clinic profile"))
        self.name = QLineEdit(profile.name, self)
        self.address = QLineEdit(profile.address, self)
        self.address.setPlaceholderText(self.tr("Street, city, state and ZIP"))
        self.phone = QLineEdit(profile.phone, self)
        self.npi = QLineEdit(profile.npi, self)
        self.npi.setPlaceholderText(self.tr("10 digits, for example 1234567893"))
        self.npi.setToolTip(self.tr("The facility's National Provider Identifier"))
        self.time_zone = QComboBox(self)
        self.time_zone.setEditable(True)
        self.time_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_zone.addItems(sorted(available_timezones()))
        completer = QCompleter(self.time_zone.model(), self.time_zone)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)  # "york" finds America/New_York
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.time_zone.setCompleter(completer)
        self.time_zone.setCurrentText(profile.time_zone)
        self.time_zone.setToolTip(
            self.tr("Signatures and documents show times in this zone; type part of a city")
        )
        self.part2_name = QLineEdit(profile.part2_program_name, self)
        self.part2_name.setToolTip(
            self.tr("The program named in the 42 CFR Part 2 notice on every disclosure")
        )
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the profile (Ctrl+S)"))
        form = labelled_form(
            self,
            (
                (self.tr("Clinic &name:"), self.name),
                (self.tr("&Address:"), self.address),
                (self.tr("P&hone:"), self.phone),
                (self.tr("Facility NP&I:"), self.npi),
                (self.tr("&Time zone:"), self.time_zone),
                (self.tr("Part &2 program name:"), self.part2_name),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.name.setFocus()

    def profile(self) -> ClinicProfile:
        return ClinicProfile(
            name=self.name.text(),
            address=self.address.text(),
            phone=self.phone.text(),
            npi=self.npi.text(),
            time_zone=self.time_zone.currentText(),
            part2_program_name=self.part2_name.text(),
        )

    def _on_buttons_accepted(self) -> None:
        try:
            self._save(self.profile())
        except DomainError as error:
            self.error.setText(str(error))
            grow_to_fit(self)
            return
        self.accept()
