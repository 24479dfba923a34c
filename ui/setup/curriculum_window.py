"""Modalities and curriculum (administrators): the modalities (add, edit, deactivate) and the
selected one's topics (add, edit, remove one no session covered)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.clinic_setup import ClinicSetup
from facilitator.services.curriculum_setup import (
    ModalityDetails,
    ModalityRow,
    TopicDetails,
    TopicRow,
)
from ui.models.row_table_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel
from ui.setup import curriculum_files
from ui.setup.modality_dialog import ModalityDialog
from ui.setup.setup_list_window import SetupListWindow
from ui.setup.topic_dialog import TopicDialog
from ui.widgets import fit_columns, read_only_table

COLUMNS: tuple[Column[ModalityRow], ...] = (
    Column("Code", lambda r: r.details.code),
    Column("Name", lambda r: r.details.name),
    Column("Topics", lambda r: str(len(r.topics)), lambda r: len(r.topics), align_right=True),
    Column(
        "Status", lambda r: "Active" if r.active else "Deactivated", flagged=lambda r: not r.active
    ),
)
TOPIC_COLUMNS: tuple[Column[TopicRow], ...] = (
    Column("#", lambda r: str(r.details.order), lambda r: r.details.order, align_right=True),
    Column("Title", lambda r: r.details.title),
    Column("Objectives", lambda r: str(len(r.details.objectives)), align_right=True),
    Column("Outline", lambda r: r.details.outline.replace("\n", " ")[:120]),
)


class CurriculumWindow(SetupListWindow[ModalityRow]):
    """Editing never changes a signed note: notes keep the text they were signed with."""

    curriculum_changed = Signal()

    def __init__(
        self, setup: ClinicSetup, user: SignedInUser, parent: QWidget | None = None
    ) -> None:
        super().__init__(COLUMNS, lambda r: r.id, lambda r: r.active, parent)
        self.describe(
            self.tr("Modalities and curriculum"),
            self.tr(
                "The modalities groups run and the topics of each. Shipped content is the "
                "default; editing it never changes a signed note."
            ),
            self.tr("&Modality"),
            self.tr("&Add modality…"),
        )
        self._setup = setup
        self.user = user
        self.topics_model: RowTableModel[TopicRow] = RowTableModel(TOPIC_COLUMNS, self)
        self.topics_proxy = QSortFilterProxyModel(self)
        self.topics_proxy.setSourceModel(self.topics_model)
        self.topics_proxy.setSortRole(SORT_ROLE)
        self.topics = read_only_table(self.topics_proxy, self, stretch_column=3)
        self.topics.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.topics_label = QLabel(self.tr("T&opics of the selected modality:"), self)
        self.topics_label.setBuddy(self.topics)
        self.layout_.addWidget(self.topics_label)
        self.layout_.addWidget(self.topics, 1)
        self.add_topic_action = self.action(self.tr("Add &topic…"), "Ctrl+Shift+N", self.add_topic)
        self.edit_topic_action = self.action(
            self.tr("Edit to&pic…"), "Ctrl+Shift+E", self.edit_topic
        )
        self.remove_topic_action = self.action(
            self.tr("&Remove topic"), "Ctrl+Shift+Del", self.remove_topic
        )
        for action in (self.add_topic_action, self.edit_topic_action, self.remove_topic_action):
            self.add_button(action)
        self.menu.addSeparator()
        self.import_action = self.action(
            self.tr("&Import a curriculum…"), "Ctrl+I", self.import_curriculum
        )
        self.export_action = self.action(
            self.tr("E&xport this modality's curriculum…"), "Ctrl+Shift+X", self.export_curriculum
        )
        self.menu.addAction(self.import_action)
        self.menu.addAction(self.export_action)
        self.finish_menu()
        self.topics.activated.connect(self._on_topics_activated)
        self.resize(1000, 720)
        self.refresh()

    def load(self) -> list[ModalityRow]:
        return self._setup.modalities()

    def update_actions(self) -> None:
        super().update_actions()
        row = self.selected()
        self.topics_model.set_rows(list(row.topics) if row else [])
        fit_columns(self.topics)
        if self.topics_proxy.rowCount():
            self.topics.selectRow(0)

    def add(self) -> None:
        self._modality_dialog(None, None)

    def edit(self, row: ModalityRow) -> None:
        self._modality_dialog(row.id, row.details)

    def _modality_dialog(
        self, modality_id: uuid.UUID | None, details: ModalityDetails | None
    ) -> None:
        saved: list[uuid.UUID] = []

        def save(new: ModalityDetails) -> None:
            saved.append(self._setup.save_modality(self.user, modality_id, new))

        if ModalityDialog(details, save, self).exec() == QDialog.DialogCode.Accepted:
            self._changed(saved[-1])

    def set_active(self, row: ModalityRow, active: bool) -> None:
        self._setup.set_modality_active(self.user, row.id, active)
        self.curriculum_changed.emit()

    def selected_topic(self) -> TopicRow | None:
        index = self.topics.currentIndex()
        row = index.data(ROW_ROLE) if index.isValid() else None
        return row if isinstance(row, TopicRow) else None

    def add_topic(self) -> None:
        modality = self.selected()
        if modality is None:
            return
        order = max((t.details.order for t in modality.topics), default=0) + 1
        self._topic_dialog(modality, None, TopicDetails(title="", order=order))

    def edit_topic(self) -> None:
        modality, topic = self.selected(), self.selected_topic()
        if modality is not None and topic is not None:
            self._topic_dialog(modality, topic.id, topic.details)

    def _topic_dialog(
        self, modality: ModalityRow, topic_id: uuid.UUID | None, details: TopicDetails
    ) -> None:
        def save(new: TopicDetails) -> None:
            self._setup.save_topic(self.user, modality.id, topic_id, new)

        dialog = TopicDialog(modality.details.name, details, save, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._changed(modality.id)

    def remove_topic(self) -> None:
        modality, topic = self.selected(), self.selected_topic()
        if modality is None or topic is None:
            return
        try:
            self._setup.remove_topic(self.user, topic.id)
        except DomainError as error:
            self.refuse(str(error))
            return
        self._changed(modality.id)

    def import_curriculum(self) -> None:
        code = curriculum_files.import_curriculum(self, self._setup, self.user)
        if code is None:
            return
        self.refresh()
        found = next((m for m in self._setup.modalities() if m.details.code == code), None)
        if found is not None:
            self.select(found.id)
        self.curriculum_changed.emit()

    def export_curriculum(self) -> None:
        modality = self.selected()
        if modality is not None:
            curriculum_files.export_curriculum(self, self._setup, modality.details.code)

    def _changed(self, modality_id: uuid.UUID) -> None:
        self.refresh()
        self.select(modality_id)
        self.curriculum_changed.emit()

    def _on_topics_activated(self, _index: QModelIndex) -> None:
        self.edit_topic()
