"""Curriculum: the topic library by modality, with objectives and facilitator outline."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from facilitator.app import Clinic
from facilitator.services.views import TopicRow
from ui.models.row_table_model import ROW_ROLE, Column, RowTableModel
from ui.widgets import fit_columns, read_only_table

COLUMNS: tuple[Column[TopicRow], ...] = (
    Column("#", lambda t: str(t.sequence), lambda t: t.sequence, align_right=True),
    Column("Topic", lambda t: t.title),
)


class ModalityFilterModel(QSortFilterProxyModel):
    """Shows the topics of one modality."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._code = ""

    def set_modality(self, code: str) -> None:
        self.beginFilterChange()
        self._code = code
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        topic = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return isinstance(topic, TopicRow) and topic.modality_code == self._code


class CurriculumView(QWidget):
    """Pick a modality, then a topic, to read what the group covers and how."""

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self._model: RowTableModel[TopicRow] = RowTableModel(COLUMNS, self)
        self.proxy = ModalityFilterModel(self)
        self.proxy.setSourceModel(self._model)
        self.modality = QComboBox(self)
        self.table = read_only_table(self.proxy, self, sortable=False)
        self.detail = QTextBrowser(self)
        self._build_layout()
        self._connect_signals()
        self.refresh()

    def refresh(self) -> None:
        topics = self._clinic.curriculum()
        self._model.set_rows(topics)
        self.modality.blockSignals(True)
        self.modality.clear()
        for code, name in sorted(
            {(t.modality_code, t.modality) for t in topics}, key=lambda m: m[1]
        ):
            count = sum(1 for t in topics if t.modality_code == code)
            self.modality.addItem(f"{name} ({count})", code)
        self.modality.blockSignals(False)
        self._on_modality_changed(0)

    def _build_layout(self) -> None:
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        chooser = QHBoxLayout()
        chooser.addWidget(QLabel(self.tr("Modality:"), self))
        chooser.addWidget(self.modality, 1)
        left_layout.addLayout(chooser)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([420, 600])
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

    def _connect_signals(self) -> None:
        self.modality.currentIndexChanged.connect(self._on_modality_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)

    def _on_modality_changed(self, _index: int) -> None:
        self.proxy.set_modality(self.modality.currentData() or "")
        fit_columns(self.table)
        if self.proxy.rowCount():
            self.table.selectRow(0)
        else:
            self.detail.clear()

    def _on_table_selection_changed(self, selected: QItemSelection, _: object) -> None:
        indexes = selected.indexes()
        if indexes:
            topic = self.proxy.index(indexes[0].row(), 0).data(ROW_ROLE)
            assert isinstance(topic, TopicRow)
            self.detail.setHtml(topic_html(topic))


def topic_html(topic: TopicRow) -> str:
    """The topic's objectives, outline and handouts as simple rich text."""
    objectives = "".join(f"<li>{escape(o)}</li>" for o in topic.objectives)
    outline = "".join(
        f"<p>{escape(line)}</p>" for line in topic.outline.splitlines() if line.strip()
    )
    handouts = "".join(f"<li>{escape(h)}</li>" for h in topic.handouts)
    parts = [
        f"<h2>{escape(topic.title)}</h2>",
        f"<p><i>{escape(topic.modality)} · topic {topic.sequence}</i></p>",
        f"<h3>Objectives</h3><ul>{objectives}</ul>",
        f"<h3>Facilitator outline</h3>{outline}",
    ]
    if handouts:
        parts.append(f"<h3>Handouts</h3><ul>{handouts}</ul>")
    return "".join(parts)
