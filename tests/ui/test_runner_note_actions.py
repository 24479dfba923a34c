"""The runner and the selected participant note: a signed note read only with its addenda, an
addendum added there, and the note printed or exported (audited like any print or export)."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.storage.models import Addendum, Block, ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import ExportResult
from reports.manifest import read_manifest
from tests.ui.conftest import DEMO_TODAY
from tests.ui.test_export_actions import action, last_audit, save_to
from tests.ui.test_session_runner import type_into_field
from ui.dialogs.addendum_dialog import AddendumDialog
from ui.runner.session_runner_window import SessionRunnerWindow


def addended_note(clinic: Clinic) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID, uuid.UUID]:
    """The demo's note with an addendum: note, session, block and participant ids."""
    with unit_of_work(clinic.database) as session:
        note = session.scalars(
            select(ParticipantNote).join(Addendum, Addendum.note_id == ParticipantNote.id)
        ).first()
        assert note is not None
        block = session.get_one(Block, note.block_id)
        return note.id, block.session_id, block.id, note.participant_id


def runner_on(
    qtbot: QtBot,
    clinic: Clinic,
    user: SignedInUser,
    session_id: uuid.UUID,
    block_id: uuid.UUID | None = None,
    participant_id: uuid.UUID | None = None,
) -> SessionRunnerWindow:
    """The runner on the block, the participant chosen on the notes page (F4)."""
    window = SessionRunnerWindow(clinic, user, session_id, block_id)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.show_tab(2)
    if participant_id is not None:
        ids = [e.participant_id for e in window.block.roster]
        window.notes.people.setCurrentRow(ids.index(participant_id))
    return window


def print_to(
    monkeypatch: pytest.MonkeyPatch, path: Path, when_asked: Callable[[], object] = lambda: None
) -> None:
    """The print dialog "chooses" a PDF file as the printer (calling `when_asked` first)."""

    def chosen(dialog: QPrintDialog) -> QDialog.DialogCode:
        when_asked()
        dialog.printer().setOutputFileName(str(path))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", chosen)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_signed_note_shows_read_only_with_its_addenda_after_it(
    qtbot: QtBot, clinic: Clinic, user: SignedInUser
) -> None:
    note_id, session_id, block_id, participant_id = addended_note(clinic)
    window = runner_on(qtbot, clinic, user, session_id, block_id, participant_id)

    assert window.notes.pages.currentWidget() is window.signed_view
    assert "locked" in window.signed_view.banner.text()
    text = window.signed_view.record.toPlainText()
    record = clinic.signing.note_record(note_id)
    (addendum,) = record.addenda
    author = record.signatures[0]
    assert text.index(f"Signed: {author.printed_name}") < text.index("Addendum 1")
    after = text[text.index("Addendum 1") :]
    assert addendum.text in after
    assert f"Signed: {addendum.signature.printed_name}" in after
    assert addendum.signature.when in after  # dated, with its time zone
    buttons = [b.defaultAction() for b in window.signed_view.buttons]
    assert buttons == window.note_actions.actions  # addendum, print, export


def test_an_addendum_written_in_the_runner_is_signed_and_shown_at_once(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    demo_passwords: dict[str, str],
) -> None:
    note_id, session_id, block_id, participant_id = addended_note(writable_clinic)
    window = runner_on(qtbot, writable_clinic, user, session_id, block_id, participant_id)
    addendum = action(window, "Addendum to selected note…")
    assert addendum.shortcut().toString() == "Ctrl+Shift+N"
    addendum.trigger()
    dialog = window.note_actions.dialog
    assert isinstance(dialog, AddendumDialog) and dialog.isVisible()
    dialog.text.setPlainText("Correction: the handout was given on Tuesday.")
    dialog.password.setText(demo_passwords["mreyes"])
    dialog.sign_button.click()

    text = window.signed_view.record.toPlainText()
    assert text.index("Addendum 1") < text.index("Addendum 2")
    assert "Correction: the handout was given on Tuesday." in text[text.index("Addendum 2") :]
    assert "Addendum signed" in window.statusBar().currentMessage()
    event = last_audit(writable_clinic)
    assert (event.action, event.object_id) == ("addendum", str(note_id))


def test_an_addendum_to_a_draft_is_explained_not_offered(
    qtbot: QtBot, writable_clinic: Clinic, user: SignedInUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = writable_clinic.day_blocks(DEMO_TODAY)[0]
    writable_clinic.runner.mark_all_present(today.block_id, today.session_id)
    window = runner_on(qtbot, writable_clinic, user, today.session_id)
    type_into_field(qtbot, window, 1, "A draft")
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda _p, _t, text, *a: told.append(text))
    )
    action(window, "Addendum to selected note…").trigger()
    assert window.note_actions.dialog is None
    assert told and "a draft is changed directly" in told[0]


def test_print_selected_note_prints_what_was_just_typed_and_is_audited(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    today = writable_clinic.day_blocks(DEMO_TODAY)[0]
    writable_clinic.runner.mark_all_present(today.block_id, today.session_id)
    window = runner_on(qtbot, writable_clinic, user, today.session_id)
    type_into_field(qtbot, window, 1, "Named three early warning signs")
    saved: list[str] = []  # the draft as the database holds it when the dialog comes up

    def read_draft() -> None:
        entry = writable_clinic.runner.sheet(today.session_id).blocks[0].roster[0]
        saved.append(entry.note.draft.fields["goal"] if entry.note else "")

    print_to(monkeypatch, tmp_path / "note.pdf", read_draft)
    printing = action(window, "Print selected note…")
    assert printing.shortcut().toString() == "Ctrl+Alt+Shift+P"
    printing.trigger()  # at once, before the autosave's delay: the draft is saved first

    assert saved == ["Named three early warning signs"]
    assert len(PdfReader(tmp_path / "note.pdf").pages) >= 1
    event = last_audit(writable_clinic)
    assert (event.action, event.object_type) == ("print", "participant_note")
    assert event.detail["printer_path"] == str(tmp_path / "note.pdf")


def test_print_preview_of_selected_note_shows_its_pages_and_printing_from_it_is_audited(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    today = writable_clinic.day_blocks(DEMO_TODAY)[0]
    writable_clinic.runner.mark_all_present(today.block_id, today.session_id)
    window = runner_on(qtbot, writable_clinic, user, today.session_id)
    type_into_field(qtbot, window, 1, "Practised a refusal script")
    target = tmp_path / "previewed.pdf"

    def print_from_preview(dialog: QPrintPreviewDialog) -> QDialog.DialogCode:
        printer = dialog.printer()
        printer.setOutputFileName(str(target))
        dialog.paintRequested.emit(printer)  # what the preview draws, then prints
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintPreviewDialog, "exec", print_from_preview)
    previewing = action(window, "Print preview of selected note…")
    assert previewing.shortcut().toString() == "Ctrl+Alt+Shift+V"
    previewing.trigger()

    assert len(PdfReader(target).pages) >= 1
    event = last_audit(writable_clinic)
    assert (event.action, event.object_type) == ("print", "participant_note")
    assert event.detail["printer_path"] == str(target)


def test_export_selected_note_signs_a_signed_note(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    demo_passwords: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    note_id, session_id, block_id, participant_id = addended_note(writable_clinic)
    window = runner_on(qtbot, writable_clinic, user, session_id, block_id, participant_id)
    save_to(monkeypatch, tmp_path / "note.pdf")
    asked: list[str] = []

    def password(*_args: object, **_kwargs: object) -> tuple[str, bool]:
        asked.append("password")
        return demo_passwords["mreyes"], True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(password))
    export = action(window, "Export selected note…")
    assert export.shortcut().toString() == "Ctrl+Alt+N"
    with qtbot.waitSignal(window.exporter.exported, timeout=30000) as done:
        export.trigger()
    result: ExportResult = done.args[0]
    assert result.signed and asked == ["password"]
    manifest = read_manifest(result.path.read_bytes())
    assert manifest.kind == "participant_note"
    assert [i.kind for i in manifest.signed] == ["note", "addendum"]
    event = last_audit(writable_clinic)
    assert (event.action, event.object_id) == ("export", str(note_id))


def test_export_selected_draft_asks_no_password(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    today = writable_clinic.day_blocks(DEMO_TODAY)[0]
    writable_clinic.runner.mark_all_present(today.block_id, today.session_id)
    window = runner_on(qtbot, writable_clinic, user, today.session_id)
    type_into_field(qtbot, window, 1, "A draft goal")
    save_to(monkeypatch, tmp_path / "draft.pdf")
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(pytest.fail))
    with qtbot.waitSignal(window.exporter.exported, timeout=30000) as done:
        action(window, "Export selected note…").trigger()
    assert not done.args[0].signed
    assert "A draft goal" in pdf_text((tmp_path / "draft.pdf").read_bytes())


def test_a_participant_without_a_note_is_explained(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    today = writable_clinic.day_blocks(DEMO_TODAY)[0]
    writable_clinic.runner.mark_all_present(today.block_id, today.session_id)
    window = runner_on(qtbot, writable_clinic, user, today.session_id)
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", staticmethod(lambda _p, _t, text, *a: told.append(text))
    )
    before = last_audit(writable_clinic).sequence
    action(window, "Print selected note…").trigger()
    action(window, "Export selected note…").trigger()
    assert told == ["No note was written for this block."] * 2
    assert last_audit(writable_clinic).sequence == before  # nothing printed or exported


def test_the_sign_in_sheet_prints_from_the_runner_before_the_group(
    qtbot: QtBot,
    writable_clinic: Clinic,
    user: SignedInUser,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    session_id = writable_clinic.day_blocks(DEMO_TODAY)[0].session_id
    window = runner_on(qtbot, writable_clinic, user, session_id)
    printing = action(window, "Print sign-in sheet…")
    assert printing.shortcut().toString() == "Ctrl+Shift+I"
    assert action(window, "Print preview of sign-in sheet…").shortcut().toString() == (
        "Ctrl+Alt+Shift+I"
    )
    printed = tmp_path / "sign-in.pdf"
    print_to(monkeypatch, printed)
    printing.trigger()

    assert len(PdfReader(printed).pages) == 1  # the sheet's one page, drawn as an image
    event = last_audit(writable_clinic)
    assert (event.action, event.object_id) == ("print", str(session_id))
    assert event.detail["kind"] == "sign_in_sheet"
    assert event.detail["printer_path"] == str(printed)
