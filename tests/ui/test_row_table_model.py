"""The generic table model passes Qt's own model checks."""

from dataclasses import dataclass

from PySide6.QtWidgets import QApplication
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


def test_a_flagged_cell_is_bold_dark_red_and_the_model_still_passes(
    qtmodeltester: ModelTester,
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont

    from ui.models.row_table_model import FLAG_COLOR

    model: RowTableModel[Item] = RowTableModel(
        (
            Column("Name", lambda i: i.name),
            Column("Size", lambda i: str(i.size), flagged=lambda i: i.size < 5),
        )
    )
    model.set_rows([Item("a", 2), Item("b", 10)])
    qtmodeltester.check(model)
    small, large = model.index(0, 1), model.index(1, 1)
    assert small.data(Qt.ItemDataRole.ForegroundRole) == FLAG_COLOR
    font = small.data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    assert large.data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None  # other columns untouched


def test_a_flagged_cell_is_light_red_on_a_dark_palette(qapp: QApplication) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPalette

    from ui.colors import WARNING_ON_DARK, warning_style

    model: RowTableModel[Item] = RowTableModel(
        (Column("Size", lambda i: str(i.size), flagged=lambda i: i.size < 5),)
    )
    model.set_rows([Item("a", 2)])
    light = qapp.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    qapp.setPalette(dark)
    try:
        assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) == WARNING_ON_DARK
        assert WARNING_ON_DARK.name() in warning_style()
    finally:
        qapp.setPalette(light)


def test_user_text_with_direction_codes_is_isolated_and_shown(qtmodeltester: ModelTester) -> None:
    """A right-to-left override in a name must not reverse the cells or text beside it."""
    model: RowTableModel[Item] = RowTableModel((Column("Name", lambda i: i.name),))
    model.set_rows(
        [Item("Ana\u202eLopez", 1), Item("\u05e9\u05dc\u05d5\u05dd", 2), Item("Ana Lopez", 3)]
    )
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == "\u2068Ana[U+202E]Lopez\u2069"
    assert model.index(1, 0).data() == "\u2068\u05e9\u05dc\u05d5\u05dd\u2069"
    assert model.index(2, 0).data() == "Ana Lopez"  # plain text stays as it is
