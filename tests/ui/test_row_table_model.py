"""The generic table model passes Qt's own model checks."""

from dataclasses import dataclass

from pytestqt.modeltest import ModelTester

from ui.models.row_table_model import SORT_ROLE, Column, RowTableModel


@dataclass(frozen=True)
class Item:
    name: str
    size: int


def test_row_table_model_is_a_well_behaved_qt_model(qtmodeltester: ModelTester) -> None:
    model: RowTableModel[Item] = RowTableModel(
        (Column("Name", lambda i: i.name), Column("Size", lambda i: str(i.size), lambda i: i.size))
    )
    model.set_rows([Item("a", 2), Item("b", 10)])
    qtmodeltester.check(model)
    assert model.index(1, 1).data() == "10"
    assert model.index(1, 1).data(SORT_ROLE) == 10
    assert (
        model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "Name"
    )
