"""How the sign-in sheet names people (administrators): the legal name with the preferred
one beside, or the preferred first name and last initial, less for a passer-by to read."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.domain.people import NameStyle, sign_in_name
from ui.participant.form_parts import refusal_label, save_buttons

Save = Callable[[NameStyle], object]
EXAMPLE = ("Alexandra", "Rivera", "Alex")  # a made-up name to show each style


class SignInSheetDialog(QDialog):
    """Ctrl+S or Save stores the choice; a refusal keeps the dialog open and says why."""

    def __init__(self, current: NameStyle, save: Save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sign-in sheet names"))
        self._save = save
        self.intro = QLabel(
            self.tr(
                "The sign-in sheet lies open in the group room. Choose how it names people "
                "(for example %1):"
            ).replace("%1", " ".join(EXAMPLE[:2])),
            self,
        )
        self.intro.setWordWrap(True)
        self.choices = QButtonGroup(self)
        self.legal = QRadioButton(self._label(self.tr("&Legal name"), NameStyle.LEGAL), self)
        self.initial = QRadioButton(
            self._label(
                self.tr("Preferred first name and last &initial"), NameStyle.PREFERRED_INITIAL
            ),
            self,
        )
        for button in (self.legal, self.initial):
            self.choices.addButton(button)
        (self.initial if current is NameStyle.PREFERRED_INITIAL else self.legal).setChecked(True)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the choice (Ctrl+S)"))
        layout = QVBoxLayout(self)
        for widget in (self.intro, self.legal, self.initial, self.error, self.buttons):
            layout.addWidget(widget)
        self.setMinimumWidth(460)
        self._connect_signals()

    def style_chosen(self) -> NameStyle:
        return NameStyle.PREFERRED_INITIAL if self.initial.isChecked() else NameStyle.LEGAL

    def _label(self, text: str, style: NameStyle) -> str:
        return f"{text}: {sign_in_name(*EXAMPLE, style)}"

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        try:
            self._save(self.style_chosen())
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()
