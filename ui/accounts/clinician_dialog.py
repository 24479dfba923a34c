"""Add or edit a clinician: name, credentials, NPI and license, role, co-signature and
supervisor."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.identifiers import npi_problem
from facilitator.domain.users import Role
from facilitator.services.accounts import ClinicianDetails, ClinicianRow
from ui.colors import warning_style
from ui.widgets import grow_to_fit

ROLE_LABELS = {
    Role.FACILITATOR: "Facilitator (runs groups)",
    Role.SUPERVISOR: "Supervisor (co-signs associates' notes)",
    Role.ADMINISTRATOR: "Administrator (accounts, settings, audit log)",
}


class ClinicianDialog(QDialog):
    """The form; `details()` and `username()` read it. The caller saves and may show
    `refuse(message)` to keep the dialog open with what was typed."""

    def __init__(
        self,
        clinicians: Sequence[ClinicianRow],
        editing: ClinicianRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Edit clinician") if editing else self.tr("Add clinician"))
        self.username_edit = QLineEdit(editing.username if editing else "", self)
        self.username_edit.setReadOnly(editing is not None)
        self.username_edit.setToolTip(self.tr("Lowercase, for example mreyes; never changes"))
        self.name_edit = QLineEdit(editing.display_name if editing else "", self)
        self.name_edit.setToolTip(self.tr("As it appears on signed notes"))
        self.credentials_edit = QLineEdit(editing.credentials if editing else "", self)
        self.credentials_edit.setPlaceholderText(self.tr("for example LPC, LCADC"))
        self.role_combo = QComboBox(self)
        for role, label in ROLE_LABELS.items():
            self.role_combo.addItem(self.tr(label), role.value)
        self.role_combo.setCurrentIndex(
            self.role_combo.findData((editing.role if editing else Role.FACILITATOR).value)
        )
        self.cosign_check = QCheckBox(self.tr("Notes need a supervisor's co-signature"), self)
        self.cosign_check.setChecked(editing.needs_cosignature if editing else False)
        self.supervisor_combo = QComboBox(self)
        self.supervisor_combo.addItem(self.tr("(none)"), None)
        for row in clinicians:
            if row.active and row.role is not Role.FACILITATOR and row != editing:
                self.supervisor_combo.addItem(f"{row.display_name} ({row.username})", str(row.id))
        if editing and editing.supervisor_id:
            self.supervisor_combo.setCurrentIndex(
                max(0, self.supervisor_combo.findData(str(editing.supervisor_id)))
            )
        self.npi_edit = QLineEdit(editing.npi if editing else "", self)
        self.npi_edit.setMaxLength(10)
        self.npi_edit.setPlaceholderText(self.tr("10 digits, from NPPES"))
        self.npi_edit.setToolTip(
            self.tr("The clinician's National Provider Identifier, printed on documents")
        )
        self.license_edit = QLineEdit(editing.license_number if editing else "", self)
        self.license_edit.setMaxLength(50)
        self.license_edit.setPlaceholderText(self.tr("for example LPC 12345"))
        self.npi_error = QLabel(self)  # beside the field, before anything is saved
        self.npi_error.setWordWrap(True)
        self.npi_error.setStyleSheet(warning_style())
        self.npi_error.hide()
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(warning_style())
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        form = QFormLayout()
        form.addRow(self.tr("&Username:"), self.username_edit)
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("Cre&dentials:"), self.credentials_edit)
        form.addRow(self.tr("NP&I:"), self.npi_edit)
        form.addRow("", self.npi_error)
        form.addRow(self.tr("&License number:"), self.license_edit)
        form.addRow(self.tr("&Role:"), self.role_combo)
        form.addRow("", self.cosign_check)
        form.addRow(self.tr("Su&pervisor:"), self.supervisor_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if editing is None:
            note = QLabel(
                self.tr(
                    "A temporary password is made and shown once; the clinician chooses their "
                    "own at the first sign-in."
                ),
                self,
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        self.npi_edit.textEdited.connect(self._on_npi_edit_text_edited)

    def username(self) -> str:
        return self.username_edit.text()

    def details(self) -> ClinicianDetails:
        supervisor = self.supervisor_combo.currentData()
        return ClinicianDetails(
            display_name=self.name_edit.text(),
            credentials=self.credentials_edit.text(),
            role=Role(self.role_combo.currentData()),
            needs_cosignature=self.cosign_check.isChecked(),
            supervisor_id=uuid.UUID(supervisor) if supervisor else None,
            npi=self.npi_edit.text(),
            license_number=self.license_edit.text(),
        )

    def _on_buttons_accepted(self) -> None:
        """Accept unless the NPI is wrong; that is said beside it and it keeps the focus."""
        problem = npi_problem(self.npi_edit.text().strip())
        if problem:
            self.npi_error.setText(problem)
            self.npi_error.show()
            grow_to_fit(self)
            self.npi_edit.setFocus()
            return
        self.accept()

    def _on_npi_edit_text_edited(self, _text: str) -> None:
        self.npi_error.hide()

    def refuse(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        grow_to_fit(self)
