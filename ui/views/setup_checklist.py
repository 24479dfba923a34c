"""Today's first-start checklist (administrators, while no group has a schedule): what to set
up next, in order, each step a button with its shortcut and a mark once it is done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ui.colors import confirmation_style
from ui.widgets import page_title


@dataclass(frozen=True)
class SetupStep:
    """One step: what it is for, the action that does it, and whether it is done."""

    explanation: str
    action: QAction
    done: bool = False


class SetupChecklist(QWidget):
    """Shown in Today in place of the empty day; set_steps() redraws it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = page_title(self.tr("Set up your clinic"), self)
        self.intro = QLabel(
            self.tr(
                "No group meets yet. Set up the clinic in this order (everything is also in the "
                "Administration menu); Today shows the day's blocks once a group has a schedule."
            ),
            self,
        )
        self.intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.intro)
        layout.addLayout(self.grid)
        layout.addStretch(1)

    def set_steps(self, steps: Sequence[SetupStep]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        for row, step in enumerate(steps):
            native = step.action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            text = step.action.text().replace("&", "").rstrip("…")
            button = QPushButton(f"{row + 1}. {text}…", self)
            button.setToolTip(f"{text} ({native})" if native else text)
            button.clicked.connect(step.action.trigger)
            self.buttons.append(button)
            explanation = QLabel(step.explanation + (f"  ({native})" if native else ""), self)
            explanation.setWordWrap(True)
            mark = QLabel(self.tr("✓ Done") if step.done else "", self)
            mark.setStyleSheet(confirmation_style())
            self.grid.addWidget(button, row, 0)
            self.grid.addWidget(mark, row, 1)
            self.grid.addWidget(explanation, row, 2)
        self.grid.setColumnMinimumWidth(1, self.fontMetrics().horizontalAdvance("✓ Done") + 12)
        self.grid.setColumnStretch(2, 1)
