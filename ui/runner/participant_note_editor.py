"""One participant's note for one block: template fields, goals, pick lists and risk flags."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from facilitator.domain.notes import NoteTemplate, risk_raised
from facilitator.services.session_sheet import GoalRow, NoteDraft, RiskFlags, RosterEntry
from facilitator.visible_text import isolated_if_needed
from ui.runner.phrase_text_edit import QUICK_PHRASE_KEYS, PhraseTextEdit

NOT_CHOSEN = "—"
RISK_STYLE = (
    "QGroupBox#risk { border: 2px solid #c62828; background: #fdecea; margin-top: 1.4em;"
    " font-weight: bold; color: #b71c1c; }"
    "QGroupBox#risk::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }"
)


class ParticipantNoteEditor(QWidget):
    """Edits a draft; `changed` fires on every user edit, never while a note is being shown."""

    changed = Signal()

    def __init__(
        self,
        template: NoteTemplate,
        pick_lists: Mapping[str, Sequence[str]],
        phrases_for: Callable[[str], Sequence[str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._template = template
        self._loading = False
        self._entry: RosterEntry | None = None
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.context = QLabel(self)
        self.context.setWordWrap(True)
        self.context.setTextFormat(Qt.TextFormat.PlainText)
        self.context.setStyleSheet("color: palette(placeholder-text);")
        self.fields: dict[str, PhraseTextEdit] = {}
        self.field_labels: dict[str, QLabel] = {}
        for number, field in enumerate(template.fields, start=1):
            edit = PhraseTextEdit(phrases_for(field.key), self)
            edit.setPlaceholderText(field.help)
            keys = f"Ctrl+{number}" if number < 10 else ""
            edit.setToolTip(f"{field.help}\n\n{QUICK_PHRASE_KEYS}: quick phrases. {keys}")
            label = QLabel(f"{field.label}{' *' if field.required else ''}", self)
            label.setBuddy(edit)
            label.setToolTip(field.help)
            self.fields[field.key] = edit
            self.field_labels[field.key] = label
        self.mood = self._pick_box(pick_lists.get("mood", ()))
        self.affect = self._pick_box(pick_lists.get("affect", ()))
        self.participation = self._pick_box(pick_lists.get("participation", ()))
        self._progress_choices = list(pick_lists.get("goal_progress", ()))
        self.goals_box = QGroupBox(self.tr("Treatment goals addressed today"), self)
        self.goals_layout = QGridLayout(self.goals_box)
        self.goal_checks: dict[str, QCheckBox] = {}
        self.goal_progress: dict[str, QComboBox] = {}
        self.risk_box = QGroupBox(self.tr("Risk"), self)
        self.risk_box.setObjectName("risk")
        self.suicidal = QCheckBox(self.tr("Suicidal ideation"), self)
        self.homicidal = QCheckBox(self.tr("Homicidal ideation"), self)
        self.use = QCheckBox(self.tr("Use since last session"), self)
        self.craving = QSpinBox(self)
        self.craving.setRange(-1, 10)
        self.craving.setSpecialValueText(self.tr("Not asked"))
        self.missing = QLabel(self)
        self.missing.setWordWrap(True)
        self._build_layout()
        self._connect_signals()

    def show_entry(self, entry: RosterEntry, draft: NoteDraft | None, context: str) -> None:
        """Show one person's note (or an empty one) without emitting `changed`."""
        self._loading = True
        self._entry = entry
        pronouns = f" ({isolated_if_needed(entry.pronouns)})" if entry.pronouns else ""
        name, chart = isolated_if_needed(entry.name), isolated_if_needed(entry.chart_number)
        self.heading.setText(f"{name}{pronouns} · {chart}")
        self.context.setText(context)
        draft = draft or NoteDraft(template=self._template.code)
        for key, edit in self.fields.items():
            edit.setPlainText(draft.fields.get(key, ""))
        for box, value in (
            (self.mood, draft.mood),
            (self.affect, draft.affect),
            (self.participation, draft.participation),
        ):
            _choose(box, value)
        self._show_goals(entry.goals, draft.goals_addressed)
        self.suicidal.setChecked(draft.risk.suicidal_ideation)
        self.homicidal.setChecked(draft.risk.homicidal_ideation)
        self.use.setChecked(draft.risk.use_since_last_session)
        self.craving.setValue(-1 if draft.risk.craving is None else draft.risk.craving)
        self._loading = False
        self._refresh_state()

    def draft(self) -> NoteDraft:
        craving = self.craving.value()
        return NoteDraft(
            template=self._template.code,
            fields={key: edit.toPlainText() for key, edit in self.fields.items()},
            mood=_chosen(self.mood),
            affect=_chosen(self.affect),
            participation=_chosen(self.participation),
            goals_addressed={
                goal_id: self.goal_progress[goal_id].currentText()
                for goal_id, check in self.goal_checks.items()
                if check.isChecked()
            },
            risk=RiskFlags(
                suicidal_ideation=self.suicidal.isChecked(),
                homicidal_ideation=self.homicidal.isChecked(),
                use_since_last_session=self.use.isChecked(),
                craving=None if craving < 0 else craving,
            ),
        )

    def focus_field(self, number: int) -> None:
        """Put the cursor at the end of the n-th template field (1-based)."""
        edits = list(self.fields.values())
        if 1 <= number <= len(edits):
            edits[number - 1].setFocus()
            edits[number - 1].moveCursor(edits[number - 1].textCursor().MoveOperation.End)

    def _pick_box(self, choices: Sequence[str]) -> QComboBox:
        box = QComboBox(self)
        box.addItem(NOT_CHOSEN)
        box.addItems(list(choices))
        return box

    def _build_layout(self) -> None:
        form = QFormLayout()
        for key, edit in self.fields.items():
            form.addRow(self.field_labels[key], edit)
        picks = QHBoxLayout()
        for text, box in (
            (self.tr("&Mood:"), self.mood),
            (self.tr("A&ffect:"), self.affect),
            (self.tr("Partic&ipation:"), self.participation),
        ):
            label = QLabel(text, self)
            label.setBuddy(box)
            picks.addWidget(label)
            picks.addWidget(box, 1)
        risk = QHBoxLayout(self.risk_box)
        for widget in (self.suicidal, self.homicidal, self.use):
            risk.addWidget(widget)
        risk.addWidget(QLabel(self.tr("Craving (0-10):"), self))
        risk.addWidget(self.craving)
        risk.addStretch(1)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.context)
        body_layout.addLayout(picks)
        body_layout.addWidget(self.risk_box)
        body_layout.addLayout(form)
        body_layout.addWidget(self.goals_box)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.missing)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.heading.setFont(font)

    def _connect_signals(self) -> None:
        for edit in self.fields.values():
            edit.textChanged.connect(self._on_edited)
        for box in (self.mood, self.affect, self.participation):
            box.currentIndexChanged.connect(self._on_edited)
        for check in (self.suicidal, self.homicidal, self.use):
            check.toggled.connect(self._on_edited)
        self.craving.valueChanged.connect(self._on_edited)

    def _show_goals(self, goals: Sequence[GoalRow], addressed: Mapping[str, str]) -> None:
        while self.goals_layout.count():
            item = self.goals_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.goal_checks.clear()
        self.goal_progress.clear()
        for row, goal in enumerate(goals):
            key = str(goal.goal_id)
            check = QCheckBox(goal.text, self.goals_box)
            check.setChecked(key in addressed)
            progress = QComboBox(self.goals_box)
            progress.addItems(self._progress_choices)
            if key in addressed:
                _choose(progress, addressed[key])
            progress.setEnabled(check.isChecked())
            check.toggled.connect(progress.setEnabled)
            check.toggled.connect(self._on_edited)
            progress.currentIndexChanged.connect(self._on_edited)
            self.goals_layout.addWidget(check, row, 0)
            self.goals_layout.addWidget(progress, row, 1)
            self.goal_checks[key] = check
            self.goal_progress[key] = progress
        if not goals:
            self.goals_layout.addWidget(QLabel(self.tr("No active treatment goals"), self), 0, 0)

    def _on_edited(self) -> None:
        if self._loading:
            return
        self._refresh_state()
        self.changed.emit()

    def _refresh_state(self) -> None:
        draft = self.draft()
        measure_risk = self._entry.measure_risk if self._entry is not None else None
        raised = risk_raised(draft.risk.as_dict()) or measure_risk is not None
        self.risk_box.setStyleSheet(RISK_STYLE if raised else "")
        title = self.tr("Risk: raised") if raised else self.tr("Risk")
        self.risk_box.setTitle(f"{title} ({measure_risk})" if measure_risk else title)
        missing = [f.label for f in self._template.missing_required(draft.fields)]
        self.missing.setText(
            self.tr("Required and still empty: ") + ", ".join(missing)
            if missing
            else self.tr("All required fields are filled.")
        )


def _choose(box: QComboBox, value: str | None) -> None:
    """Select `value`, adding it when a note holds a choice the pick list no longer has."""
    if value and box.findText(value) < 0:
        box.addItem(value)
    box.setCurrentIndex(box.findText(value) if value else 0)


def _chosen(box: QComboBox) -> str | None:
    text = box.currentText()
    return None if text == NOT_CHOSEN else text
