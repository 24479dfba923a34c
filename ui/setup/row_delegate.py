"""The editors of an EditableRowModel's cells: a combo box for choices, HH:mm for times,
a minutes box where 0 means none, a line edit otherwise."""

from __future__ import annotations

from datetime import time
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTimeEdit,
    QWidget,
)

from ui.models.editable_row_model import CHOICES_ROLE, EDITOR_ROLE, Editor

AnyIndex = QModelIndex | QPersistentModelIndex
MAX_MINUTES = 24 * 60


class RowEditDelegate(QStyledItemDelegate):
    """Makes the editor the column asks for and writes its value back as a Python value."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = index.data(EDITOR_ROLE)
        if editor is Editor.CHOICE:
            combo = QComboBox(parent)
            for label, value in index.data(CHOICES_ROLE) or ():
                combo.addItem(label, value)
            return combo
        if editor is Editor.TIME:
            time_edit = QTimeEdit(parent)
            time_edit.setDisplayFormat("HH:mm")
            return time_edit
        if editor is Editor.MINUTES:
            spin = QSpinBox(parent)
            spin.setRange(0, MAX_MINUTES)
            spin.setSpecialValueText(self.tr("none"))
            spin.setSuffix(self.tr(" min"))
            return spin
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        value: Any = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            position = editor.findData(value)
            editor.setCurrentIndex(max(position, 0))
        elif isinstance(editor, QTimeEdit):
            editor.setTime(QTime(value.hour, value.minute) if isinstance(value, time) else QTime())
        elif isinstance(editor, QSpinBox):
            editor.setValue(int(value or 0))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        elif isinstance(editor, QTimeEdit):
            chosen = editor.time()
            model.setData(index, time(chosen.hour(), chosen.minute()))
        elif isinstance(editor, QSpinBox):
            model.setData(index, editor.value() or None)
        else:
            super().setModelData(editor, model, index)
