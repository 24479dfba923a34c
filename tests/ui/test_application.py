"""Starting the GUI on data it must not open shows a message instead of a traceback."""

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ui import application


@pytest.fixture
def shown_errors(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []

    def fake_critical(_parent: object, title: str, text: str) -> None:
        shown.append((title, text))

    monkeypatch.setattr(application.QMessageBox, "critical", fake_critical)
    return shown


def test_a_file_that_is_not_a_database_is_explained_and_left_alone(
    qtbot: QtBot, tmp_path: Path, shown_errors: list[tuple[str, str]]
) -> None:
    database = tmp_path / "facilitator.db"
    database.write_bytes(b"these are a clinician's shopping notes, not a database\n")
    before = database.read_bytes()
    assert application.run(tmp_path) == 2
    assert len(shown_errors) == 1
    title, text = shown_errors[0]
    assert "cannot open" in title
    assert "not a Facilitator database" in text and str(database) in text
    assert database.read_bytes() == before


def test_a_data_folder_that_cannot_be_created_is_explained(
    qtbot: QtBot, tmp_path: Path, shown_errors: list[tuple[str, str]]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert application.run(blocker / "data") == 2
    assert "cannot be used" in shown_errors[0][1]
