"""Record an outcome measure, or correct one entered wrongly: one spin box per item, the total
and band shown as you type; a correction asks why."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.errors import DomainError
from facilitator.domain.measures import MeasureDefinition
from facilitator.services.measure_results import MeasureResultRow
from ui.date_edit import DateEdit
from ui.participant.form_parts import (
    from_qdate,
    labelled_form,
    refusal_label,
    save_buttons,
    to_qdate,
)


@dataclass(frozen=True)
class MeasureEntry:
    """What the dialog saves: the measure, the day given, the item scores, and for a
    correction why it is made."""

    code: str
    day: date
    scores: dict[str, int]
    reason: str = ""


Save = Callable[[MeasureEntry], object]


class MeasureDialog(QDialog):
    """Enter or Ctrl+S saves, Esc cancels; a refused entry keeps the dialog open.

    With `correcting`, the dialog opens on that result's measure (fixed), date and scores, and
    asks for the reason of the correction.
    """

    def __init__(
        self,
        definitions: Sequence[MeasureDefinition],
        today: date,
        save: Save,
        parent: QWidget | None = None,
        correcting: MeasureResultRow | None = None,
    ) -> None:
        super().__init__(parent)
        self._correcting = correcting
        self.setWindowTitle(
            self.tr("Correct a measure result") if correcting else self.tr("Record a measure")
        )
        self._definitions = list(definitions)
        self._save = save
        self.measure = QComboBox(self)
        for definition in self._definitions:
            self.measure.addItem(definition.name, definition.code)
        self.measure.setToolTip(self.tr("The measure given (Alt+M)"))
        given = correcting.taken_on if correcting else today
        self.taken_on = DateEdit(given, self)
        self.taken_on.setMaximumDate(to_qdate(today))
        self.description = QLabel(self)
        self.description.setWordWrap(True)
        self.items_form = QFormLayout()
        self.spins: dict[str, QSpinBox] = {}
        self.total = QLabel(self)
        self.total.setAccessibleName(self.tr("Total and band"))
        font = self.total.font()
        font.setBold(True)
        self.total.setFont(font)
        self.risk = refusal_label(self)  # the risk, said in words, in the refusal red
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("What was entered wrongly, e.g. item 3 misread"))
        self.reason.setMaxLength(500)
        self.reason.setAccessibleName(self.tr("Reason for the correction"))
        self.kept = QLabel(
            self.tr(
                "The result as it stands is kept in its history, with your name, the time and "
                "this reason."
            ),
            self,
        )
        self.kept.setWordWrap(True)
        self.error = refusal_label(self)
        self.buttons = save_buttons(self, self.tr("Save the result (Ctrl+S or Enter)"))
        self._build_layout()
        if correcting is not None:
            self.measure.setCurrentIndex(max(0, self.measure.findData(correcting.code)))
            self.measure.setEnabled(False)  # a result wrongly given as another measure: re-enter
        self._connect_signals()
        self._show_items()
        if correcting is not None:
            for key, spin in self.spins.items():
                spin.setValue(correcting.item_scores.get(key, spin.minimum()))

    @property
    def definition(self) -> MeasureDefinition:
        return self._definitions[self.measure.currentIndex()]

    def scores(self) -> dict[str, int]:
        return {key: spin.value() for key, spin in self.spins.items()}

    def choose(self, code: str) -> None:
        self.measure.setCurrentIndex(self.measure.findData(code))

    def _build_layout(self) -> None:
        top = labelled_form(
            self, ((self.tr("&Measure:"), self.measure), (self.tr("&Date given:"), self.taken_on))
        )
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.description)
        layout.addLayout(self.items_form)
        layout.addWidget(self.total)
        layout.addWidget(self.risk)
        if self._correcting is not None:
            row = self._correcting
            was = QLabel(
                self.tr("Correcting %1 given %2, recorded as total %3 (%4).")
                .replace("%1", row.name)
                .replace("%2", row.taken_on.isoformat())
                .replace("%3", str(row.total))
                .replace("%4", row.band),
                self,
            )
            was.setWordWrap(True)
            layout.insertWidget(0, was)
            layout.addLayout(
                labelled_form(self, ((self.tr("Reason for the &correction:"), self.reason),))
            )
            layout.addWidget(self.kept)
            self.setMinimumWidth(480)
        else:
            self.reason.hide()
            self.kept.hide()
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.measure.currentIndexChanged.connect(self._on_measure_current_index_changed)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _show_items(self) -> None:
        while self.items_form.rowCount():
            self.items_form.removeRow(0)
        self.spins = {}
        definition = self.definition
        self.description.setText(
            definition.description
            + " "
            + self.tr("Enter each item's score from the clinic's form.")
        )
        for number, item in enumerate(definition.items, start=1):
            spin = QSpinBox(self)
            spin.setRange(item.low, item.high)
            spin.setAccessibleName(f"{number}. {item.label}")
            spin.setToolTip(f"{item.low}-{item.high}")
            spin.valueChanged.connect(self._on_spin_value_changed)
            label = QLabel(f"&{number}. {item.label}" if number < 10 else item.label, self)
            label.setBuddy(spin)
            self.items_form.addRow(label, spin)
            self.spins[item.key] = spin
        self._show_score()

    def _show_score(self) -> None:
        definition = self.definition
        try:
            score = definition.score(self.scores())
        except DomainError as error:
            self.total.setText(str(error))
            return
        self.total.setText(
            self.tr("Total %1 of %2 · %3")
            .replace("%1", str(score.total))
            .replace("%2", str(definition.high))
            .replace("%3", score.band.label)
        )
        self.risk.setText(
            self.tr(
                "Risk: the self-harm item is above zero. The participant is highlighted like a "
                "note with suicidal ideation; follow the clinic's safety protocol today."
            )
            if score.risk
            else ""
        )
        self.risk.setVisible(score.risk)

    def _on_measure_current_index_changed(self, _index: int) -> None:
        self._show_items()

    def _on_spin_value_changed(self, _value: int) -> None:
        self._show_score()

    def _on_buttons_accepted(self) -> None:
        entry = MeasureEntry(
            self.definition.code,
            from_qdate(self.taken_on.date()),
            self.scores(),
            self.reason.text(),
        )
        try:
            self._save(entry)
        except DomainError as error:
            self.error.setText(str(error))
            return
        self.accept()
