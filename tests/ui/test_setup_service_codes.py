"""The code table's billing columns: minutes per unit and the places of service, typed by
keyboard, read back as the domain's service code; a place that is not two digits is flagged."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from facilitator.domain.service_codes import ServiceCode
from ui.setup.service_code_editor import CodeDraft, ServiceCodeEditor

UNIT, PLACE, TELEHEALTH_PLACE = 7, 8, 9


def type_into(qtbot: QtBot, codes: ServiceCodeEditor, column: int, text: str) -> None:
    """F2 on the first row's cell, type over what it holds, Enter; wait for the commit."""
    table = codes.editor.table
    table.setFocus()
    table.setCurrentIndex(codes.editor.model.index(0, column))
    before = codes.editor.rows()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    field = QApplication.focusWidget()
    assert field is not None and field is not table
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: codes.editor.rows() != before)


def test_unit_minutes_and_places_of_service_are_typed_in_the_code_table(qtbot: QtBot) -> None:
    codes = ServiceCodeEditor(["CBT"])
    qtbot.addWidget(codes)
    with qtbot.waitActive(codes):
        codes.show()
        codes.activateWindow()
    codes.editor.set_rows([CodeDraft("H2019", "Therapy", "block")])
    assert codes.editor.model.headerData(UNIT, Qt.Orientation.Horizontal) == "Unit"
    type_into(qtbot, codes, UNIT, "15")
    type_into(qtbot, codes, PLACE, "22")
    type_into(qtbot, codes, TELEHEALTH_PLACE, "02")
    (code,) = codes.codes()
    assert code == ServiceCode.from_dict(
        {"code": "H2019", "description": "Therapy", "per": "block", "unit_minutes": 15,
         "place_of_service": "22", "telehealth_place_of_service": "02"}
    )  # fmt: skip
    assert (code.units(50), code.place_for(False), code.place_for(True)) == (3, "22", "02")
    assert CodeDraft.of(code) == codes.editor.rows()[0]  # the table shows what it saved

    type_into(qtbot, codes, PLACE, "office")
    problems = codes.editor.model.problems()
    assert "a place of service is two digits" in problems[0]
