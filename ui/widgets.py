"""Small widget helpers shared by the views."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

SCREEN_MARGIN = 16  # pixels left around a window sized to fit the screen
TITLE_BAR = 32  # pixels the window manager adds above a window (an estimate)


def read_only_table(
    model: QAbstractItemModel,
    parent: QWidget | None = None,
    stretch_column: int | None = None,
    sortable: bool = True,
) -> QTableView:
    """A row-selecting, read-only table; one column (by default the last) stretches.

    A sortable table's model should be a proxy whose sort role gives comparable keys.
    """
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(sortable)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    if stretch_column is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    table.setWordWrap(False)
    return table


def fit_columns(table: QTableView) -> None:
    """Size columns to their contents once, leaving them resizable by the user."""
    table.resizeColumnsToContents()


def cap_columns(table: QTableView, widest: int) -> None:
    """Narrow columns wider than `widest` pixels (long free text), so the rest stays in view."""
    for column in range(table.model().columnCount()):
        if table.columnWidth(column) > widest:
            table.setColumnWidth(column, widest)


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """'1 block', '3 blocks'."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def duration_text(minutes: int) -> str:
    """'55 min', '3 h', '10 h 25 min'."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def page_title(text: str, parent: QWidget | None = None) -> QLabel:
    """A page's heading, larger and bolder than body text."""
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    return label


def grow_to_fit(window: QWidget) -> None:
    """Make `window` tall enough for its contents again, after a message appeared in it (a
    refusal under a form): never narrower, never shorter."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = window.width()
    height = layout.totalSizeHint().height()
    if layout.hasHeightForWidth():  # wrapped text: taller when the window is narrow
        height = max(height, layout.totalHeightForWidth(width))
    if height > window.height():
        window.resize(width, height)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Size a new window `width` x `height`, or smaller on a smaller screen (a laptop in a
    group room), leaving room for the title bar and the taskbar."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    window.resize(
        min(width, available.width() - SCREEN_MARGIN),
        min(height, available.height() - SCREEN_MARGIN - TITLE_BAR),
    )
