"""Above the runner's tabs: the block's modality, its curriculum topic and its outline, the
buttons that start and end it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from facilitator.services.session_sheet import BlockSheet
from facilitator.services.views import TopicRow
from ui.views.curriculum_view import topic_html
from ui.widgets import page_title


class BlockHeader(QWidget):
    """Shows one block; says what the user chose, never writes anything itself."""

    topic_chosen = Signal(object)  # a curriculum topic id
    topic_typed = Signal(str)  # a topic of the user's own
    start_clicked = Signal()
    end_clicked = Signal()

    def __init__(self, curriculum: Sequence[TopicRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._curriculum = curriculum
        self._block: BlockSheet | None = None
        self.title = page_title("", self)
        self.day_changes = QLabel(self)  # moved or led by a substitute that day, and why
        self.topic = QComboBox(self)
        self.topic.setEditable(True)
        self.topic.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.topic.setToolTip(self.tr("Pick a curriculum topic or type your own"))
        self.outline_button = QPushButton(self.tr("Outline (F1)"), self)
        self.start_button = QPushButton(self)
        self.end_button = QPushButton(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.day_changes)
        layout.addWidget(QLabel(self.tr("Topic:"), self))
        layout.addWidget(self.topic, 1)
        layout.addWidget(self.outline_button)
        layout.addWidget(self.start_button)
        layout.addWidget(self.end_button)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.topic.activated.connect(self._on_topic_activated)
        topic_editor = self.topic.lineEdit()
        assert topic_editor is not None  # the combo box is editable
        topic_editor.editingFinished.connect(self._on_topic_edited)
        self.outline_button.clicked.connect(self.show_outline)
        self.start_button.clicked.connect(self.start_clicked)
        self.end_button.clicked.connect(self.end_clicked)

    def show_block(self, block: BlockSheet) -> None:
        """Show `block`, with the curriculum topics of its modality to pick from."""
        self._block = block
        self.title.setText(f"{block.modality} · {block.room}" if block.room else block.modality)
        self.day_changes.setText(" · ".join(block.day_changes))
        self.day_changes.setVisible(bool(block.day_changes))
        self.topic.blockSignals(True)
        self.topic.clear()
        for topic in self._curriculum:
            if topic.modality_code != block.modality_code:
                continue
            self.topic.addItem(f"{topic.sequence}. {topic.title}", str(topic.topic_id))
        found = self.topic.findData(str(block.topic_id)) if block.topic_id else -1
        if found >= 0:
            self.topic.setCurrentIndex(found)
        else:
            self.topic.setEditText(block.free_topic or "")
        self.topic.blockSignals(False)
        start, end = block.actual_start, block.actual_end
        self.start_button.setText(
            self.tr("Started ") + f"{start:%H:%M}"
            if start
            else self.tr("Start") + f" ({block.planned.start:%H:%M})"
        )
        self.end_button.setText(
            self.tr("Ended ") + f"{end:%H:%M}"
            if end
            else self.tr("End") + f" ({block.planned.end:%H:%M})"
        )
        self.end_button.setEnabled(start is not None)

    def show_outline(self) -> None:
        """The block's curriculum topic: objectives, outline and handouts."""
        topic_id = self._block.topic_id if self._block else None
        topic = next((t for t in self._curriculum if t.topic_id == topic_id), None)
        if topic is None:
            QMessageBox.information(
                self, self.tr("Outline"), self.tr("This block's topic is not from the curriculum.")
            )
            return
        box = QMessageBox(
            QMessageBox.Icon.NoIcon,
            topic.title,
            topic_html(topic),
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    def _on_topic_activated(self, index: int) -> None:
        topic_id = uuid.UUID(str(self.topic.itemData(index)))
        if self._block is not None and topic_id != self._block.topic_id:
            self.topic_chosen.emit(topic_id)

    def _on_topic_edited(self) -> None:
        text = self.topic.currentText().strip()
        if self._block is None or self.topic.findText(text) >= 0:
            return
        if text != (self._block.free_topic or ""):
            self.topic_typed.emit(text)
