"""The roster import dialog: a preview with problems marked by cell, import only when clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.services.roster_import import ImportResult
from tests.ui.conftest import DEMO_TODAY
from ui.main_window import MainWindow
from ui.roster_import.preview_model import PROBLEM_BACKGROUND
from ui.roster_import.roster_import_dialog import RosterImportDialog

HEADER = "chart_number,first_name,last_name,date_of_birth,group,admitted\n"
BAD = (
    HEADER
    + "EX-1,Marisol,Quenby,1988-02-14,Adult IOP Morning,2026-11-23\n"
    + "EX-2,,Ashgrove,31/12/1975,Adult IOP Morning,2026-11-23\n"
)
GOOD = (
    HEADER
    + "EX-1,Marisol,Quenby,1988-02-14,Adult IOP Morning,2026-11-23\n"
    + "EX-2,Theo,Ashgrove,12/31/1975,,\n"
)


def column(dialog: RosterImportDialog, header: str) -> int:
    model = dialog.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    return headers.index(header)


def make_dialog(qtbot: QtBot, clinic: Clinic, user: SignedInUser) -> RosterImportDialog:
    dialog = RosterImportDialog(clinic.roster_import, user)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_preview_with_errors_marks_the_cells_and_offers_no_import(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser, tmp_path: Path, qtmodeltester: ModelTester
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(BAD, encoding="utf-8")
    dialog = make_dialog(qtbot, clinic, user)
    dialog.load(path)

    qtmodeltester.check(dialog.model)
    assert not dialog.import_button.isEnabled()
    assert "2 participant lines; 1 new, 0 to update, 0 unchanged." in dialog.summary_label.text()
    assert "2 problems to fix before anything can be imported" in dialog.summary_label.text()
    model = dialog.model
    first, birth = column(dialog, "First name"), column(dialog, "Date of birth")
    bad_name = model.index(1, first)
    assert bad_name.data(Qt.ItemDataRole.BackgroundRole) == PROBLEM_BACKGROUND
    assert bad_name.data(Qt.ItemDataRole.ToolTipRole) == "The first name is missing."
    assert "Day-first dates are not accepted" in model.index(1, birth).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert model.index(0, first).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(1, column(dialog, "Last name")).data(Qt.ItemDataRole.BackgroundRole) is None
    assert model.index(1, column(dialog, "Action")).data() == "Error"
    assert model.index(0, column(dialog, "Action")).data() == "Create"
    # The first line with problems is the current one (not selected, so its shading shows),
    # and its problems are spelled out below the table.
    assert dialog.table.currentIndex().row() == 1
    assert not dialog.table.selectionModel().hasSelection()
    assert dialog.details_label.text().splitlines()[:2] == [
        "Line 3:",
        "• The first name is missing.",
    ]
    problems = model.index(1, column(dialog, "Problems"))
    assert problems.data().startswith("The first name is missing. Date of birth: '31/12/1975'")
    assert problems.data(Qt.ItemDataRole.ToolTipRole).count("\n") == 1


def test_clean_preview_imports_on_request(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    dialog = make_dialog(qtbot, writable_clinic, user)
    dialog.load(path)
    assert dialog.import_button.isEnabled()
    assert dialog.import_button.text() == "&Import 2 participants"

    with qtbot.waitSignal(dialog.roster_imported) as imported:
        dialog.import_button.click()  # no events processed until the assertions are done
        # Written on a worker thread: the dialog shows it is busy and stays open meanwhile.
        assert dialog.busy.isVisible() and not dialog.choose_button.isEnabled()
        assert dialog.summary_label.text() == "Importing 2 participants…"
        dialog.reject()
        assert dialog.isVisible()

    assert not dialog.busy.isVisible() and dialog.choose_button.isEnabled()
    assert imported.args == [ImportResult(2, 0, 0, 1, 0)]
    assert dialog.summary_label.text() == (
        "Imported: 2 created, 0 updated, 0 unchanged; 1 enrollment and 0 goals added."
    )
    assert not dialog.import_button.isEnabled()
    charts = {row.chart_number for row in writable_clinic.roster(DEMO_TODAY)}
    assert {"EX-1", "EX-2"} <= charts


def test_an_import_refused_in_the_background_says_why(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    dialog = make_dialog(qtbot, writable_clinic, user)
    dialog.load(path)
    assert dialog.preview is not None
    writable_clinic.roster_import.apply(dialog.preview, user.id)  # elsewhere, meanwhile

    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.worker is None, timeout=5000)

    assert "changed since the preview was made" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled() and not dialog.busy.isVisible()


def test_file_problems_are_shown_above_the_table(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser, tmp_path: Path
) -> None:
    path = tmp_path / "roster.csv"
    path.write_bytes(GOOD.replace("Theo", "Théo").encode("cp1252"))
    dialog = make_dialog(qtbot, clinic, user)
    dialog.load(path)
    assert dialog.file_problems_label.isVisible()
    assert dialog.file_problems_label.text().startswith("Line 3: Line 3 is not UTF-8 text")
    assert dialog.model.rowCount() == 0
    assert not dialog.import_button.isEnabled()


def test_file_menu_opens_the_dialog_and_the_chooser_loads_the_file(
    qtbot: QtBot,
    clinic: Clinic,
    user: SignedInUser,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "roster.csv"
    path.write_text(GOOD, encoding="utf-8")
    window = MainWindow(clinic, user, today=lambda: DEMO_TODAY)
    qtbot.addWidget(window)
    (action,) = [a for a in window.findChildren(QAction) if a.text() == "&Import roster…"]
    assert action.shortcut() == QKeySequence("Ctrl+Shift+I")
    action.trigger()
    dialog = window.findChild(RosterImportDialog)
    assert isinstance(dialog, RosterImportDialog) and dialog.isVisible()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(path), ""))
    qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
    assert dialog.path_edit.text() == str(path)
    assert dialog.model.rowCount() == 2
    dialog.close()
