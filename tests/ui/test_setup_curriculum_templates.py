"""Modalities and curriculum (with a curriculum shared through a TOML file), note templates
(a shipped one copied to make the clinic's own), a schedule changed from a later day, and the
Administration menu's shortcuts, driven by keyboard on new clinics."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QWidget,
)
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from facilitator.app import Clinic, open_clinic
from facilitator.domain.notes import TemplateField
from facilitator.domain.users import SignedInUser
from facilitator.services.curriculum_setup import TopicDetails
from facilitator.services.group_schedule import ScheduleEntry
from facilitator.services.groups_setup import GroupDetails
from facilitator.services.programs_setup import ProgramDetails
from tests.ui.setup_clinic import (
    CTRL,
    PASSWORD,
    back_to,
    new_clinic,
    save,
    shown,
    when_dialog,
)
from ui.main_window import MainWindow
from ui.setup.clinic_profile_dialog import ClinicProfileDialog
from ui.setup.curriculum_window import CurriculumWindow
from ui.setup.group_dialog import GroupDialog
from ui.setup.groups_window import GroupsWindow
from ui.setup.modality_dialog import ModalityDialog
from ui.setup.note_template_dialog import NoteTemplateDialog
from ui.setup.note_templates_window import NoteTemplatesWindow
from ui.setup.programs_window import ProgramsWindow
from ui.setup.service_code_editor import CodeDraft, ServiceCodeEditor
from ui.setup.template_field_editor import TemplateFieldEditor
from ui.setup.topic_dialog import TopicDialog

__all__ = ["new_clinic"]  # the fixture


def add_modality(qtbot: QtBot, window: CurriculumWindow, code: str, name: str) -> None:
    """Ctrl+N, then the modality's code and name typed, Ctrl+S."""

    def fill_modality(dialog: QWidget) -> None:
        assert isinstance(dialog, ModalityDialog)
        qtbot.keyClicks(dialog.code, code)
        dialog.name.setFocus()
        qtbot.keyClicks(dialog.name, name)
        save(qtbot, dialog)

    when_dialog(lambda d: isinstance(d, ModalityDialog), fill_modality)
    qtbot.keyClick(window.table, Qt.Key.Key_N, CTRL)


def add_yoga(qtbot: QtBot, window: CurriculumWindow) -> None:
    """A modality, then a topic with two objectives, each through its dialog by keyboard."""
    add_modality(qtbot, window, "yoga", "Trauma-informed yoga")

    def fill_topic(dialog: QWidget) -> None:
        assert isinstance(dialog, TopicDialog)
        qtbot.keyClicks(dialog.title, "Breath and grounding")
        dialog.objectives.setFocus()
        qtbot.keyClicks(dialog.objectives, "Name two grounding skills")
        qtbot.keyClick(dialog.objectives, Qt.Key.Key_Return)
        qtbot.keyClicks(dialog.objectives, "Practise box breathing")
        save(qtbot, dialog)

    when_dialog(lambda d: isinstance(d, TopicDialog), fill_topic)
    back_to(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)


def test_a_modality_and_its_topic_travel_to_another_clinic_as_a_curriculum_file(
    qtbot: QtBot,
    new_clinic: tuple[Clinic, SignedInUser],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clinic, admin = new_clinic
    window = CurriculumWindow(clinic.setup, admin)
    shown(qtbot, window)
    add_yoga(qtbot, window)
    yoga = next(m for m in clinic.setup.modalities() if m.details.code == "YOGA")
    assert yoga.details.name == "Trauma-informed yoga"
    (topic,) = yoga.topics
    assert topic.details.title == "Breath and grounding"
    assert topic.details.objectives == ("Name two grounding skills", "Practise box breathing")
    assert window.selected() is not None and window.selected().details.code == "YOGA"
    assert window.topics_proxy.index(0, 1).data() == "Breath and grounding"

    path = tmp_path / "shared" / "yoga.toml"
    path.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    back_to(qtbot, window)
    qtbot.keyClick(window.table, Qt.Key.Key_X, CTRL | Qt.KeyboardModifier.ShiftModifier)
    text = path.read_text(encoding="utf-8")
    assert 'modality = "YOGA"' in text and "Practise box breathing" in text

    other = open_clinic(tmp_path / "other")
    try:
        other_admin = other.accounts.create_first_administrator("boss", "B Boss", "", PASSWORD)
        receiving = CurriculumWindow(other.setup, other_admin)
        shown(qtbot, receiving)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
        warned: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
        qtbot.keyClick(receiving.table, Qt.Key.Key_I, CTRL)  # no YOGA modality there yet
        assert warned == [
            "Nothing was imported: There is no modality coded YOGA: add the modality first."
        ]
        add_modality(qtbot, receiving, "yoga", "Yoga")
        back_to(qtbot, receiving)
        qtbot.keyClick(receiving.table, Qt.Key.Key_I, CTRL)
        assert told[-1].startswith("YOGA: 1 topics added, 0 changed, 0 unchanged.")
        copied = next(m for m in other.setup.modalities() if m.details.code == "YOGA")
        assert [t.details for t in copied.topics] == [topic.details]
        assert receiving.selected() is not None and receiving.selected().id == copied.id
    finally:
        other.close()


def test_a_file_that_is_not_a_curriculum_is_refused_and_nothing_changes(
    qtbot: QtBot,
    new_clinic: tuple[Clinic, SignedInUser],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clinic, admin = new_clinic
    path = tmp_path / "setup.toml"
    path.write_text(clinic.setup.export_config(), encoding="utf-8")  # the whole setup
    before = clinic.setup.modalities()
    window = CurriculumWindow(clinic.setup, admin)
    shown(qtbot, window)
    warned: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    qtbot.keyClick(window.table, Qt.Key.Key_I, CTRL)
    assert len(warned) == 1 and warned[0].startswith("Nothing was imported: ")
    assert "unknown setting" in warned[0]
    assert clinic.setup.modalities() == before


def test_a_shipped_template_is_read_only_and_a_copy_becomes_the_clinics_own(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    window = NoteTemplatesWindow(clinic.setup, admin)
    shown(qtbot, window)
    assert window.select("GIRP")
    girp = window.selected()
    assert girp is not None and girp.shipped

    def copy(dialog: QWidget) -> None:
        assert isinstance(dialog, NoteTemplateDialog)
        assert dialog.name.isReadOnly() and dialog.fields.editor.model.read_only
        assert not dialog.fields.editor.add_action.isEnabled()
        qtbot.keyClick(dialog.copy_button, Qt.Key.Key_Space)

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, NoteTemplateDialog)
        qtbot.keyClicks(dialog.code, "group-girp")
        fields = dialog.fields.editor
        fields.table.setFocus()
        fields.table.setCurrentIndex(fields.model.index(fields.model.rowCount() - 1, 0))
        qtbot.keyClick(fields.table, Qt.Key.Key_Insert)
        row = fields.model.rowCount() - 1
        fields.table.setCurrentIndex(fields.model.index(row, 1))
        qtbot.keyClick(fields.table, Qt.Key.Key_F2)
        label = QApplication.focusWidget()
        assert label is not None
        qtbot.keyClicks(label, "Peer feedback")
        qtbot.keyClick(label, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: fields.rows()[row].label == "Peer feedback")
        save(qtbot, dialog)

    when_dialog(lambda d: isinstance(d, NoteTemplateDialog) and d.name.isReadOnly(), copy)
    when_dialog(lambda d: isinstance(d, NoteTemplateDialog) and not d.name.isReadOnly(), fill)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: any(t.template.code == "GROUP-GIRP" for t in clinic.setup.templates()))
    templates = {t.template.code: t for t in clinic.setup.templates()}
    own = templates["GROUP-GIRP"]
    assert not own.shipped and own.template.name == girp.template.name
    assert own.template.fields[:-1] == girp.template.fields
    assert own.template.fields[-1] == TemplateField("field_1", "Peer feedback", "", False)
    assert templates["GIRP"].template == girp.template  # the shipped one is unchanged


def scheduled_group(clinic: Clinic, admin: SignedInUser) -> None:
    """Adult IOP's Morning group, Monday to Thursday at 09:00 and 10:15, from today."""
    setup = clinic.setup
    program = setup.save_program(admin, None, ProgramDetails("Adult IOP", "IOP"))
    group = setup.save_group(admin, None, GroupDetails(program, "Morning", "Room 1"))
    setup.change_schedule(
        admin,
        group,
        setup.today(),
        [
            ScheduleEntry(day, start, end, "CBT")
            for day in range(4)
            for start, end in ((time(9), time(10)), (time(10, 15), time(11, 15)))
        ],
    )


def test_a_schedule_change_takes_effect_from_the_day_chosen(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    scheduled_group(clinic, admin)
    window = GroupsWindow(clinic.setup, admin)
    qtbot.addWidget(window)
    (row,) = clinic.setup.groups()
    today = clinic.setup.today()
    dialog = GroupDialog(row, window.choices(), today, window._save_group, window._change_schedule)
    shown(qtbot, dialog)
    schedule = dialog.schedule
    assert schedule.effective_date() == today + timedelta(days=1)
    table = schedule.editor.table
    table.setFocus()
    table.setCurrentIndex(schedule.editor.model.index(7, 0))  # Thursday 10:15
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.keyClick(table, Qt.Key.Key_Delete)  # Thursday 09:00, selected next
    assert {e.weekday for e in schedule.lines()} == {0, 1, 2}

    schedule.effective_from.setFocus()
    schedule.effective_from.setDate(schedule.effective_from.date().addDays(-2))  # yesterday
    save(qtbot, dialog)
    assert (
        "before today" in dialog.error.text() and "past sessions never move" in dialog.error.text()
    )
    assert clinic.setup.groups()[0].schedule == row.schedule  # nothing changed

    schedule.effective_from.setDate(schedule.effective_from.date().addDays(2))
    save(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error.text()
    first, second = clinic.setup.groups()[0].schedule
    tomorrow = today + timedelta(days=1)
    assert (first.effective_from, first.effective_until) == (today, tomorrow)
    assert len(first.entries) == 8
    assert (second.effective_from, second.effective_until) == (tomorrow, None)
    assert {e.weekday for e in second.entries} == {0, 1, 2}


def test_the_code_and_field_editors_flag_what_the_domain_refuses(
    qtbot: QtBot, qtmodeltester: ModelTester
) -> None:
    codes = ServiceCodeEditor(["CBT", "RP"])
    qtbot.addWidget(codes)
    codes.editor.set_rows(
        [
            CodeDraft("H0015", "IOP day", "day", "", "hq", "95", 180),
            CodeDraft("H15", "too short"),
            CodeDraft("90853", "Group", "block", "CBT, YOGA"),
            CodeDraft("H0015", "again", "day", "", "HQ"),
        ]
    )
    qtmodeltester.check(codes.editor.model)
    problems = codes.editor.model.problems()
    assert set(problems) == {1, 2, 3}
    assert "'H15' is not a billing code" in problems[1]
    assert "there is no modality YOGA" in problems[2]
    assert "listed twice" in problems[3]
    assert codes.editor.model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == problems[1]
    fields = TemplateFieldEditor()
    qtbot.addWidget(fields)
    fields.set_fields(
        [
            TemplateField("goal", "Goal", "", True),
            TemplateField("Goal Two", "Second", "", False),
            TemplateField("goal", "Again", "", False),
        ]
    )
    qtmodeltester.check(fields.editor.model)
    assert set(fields.editor.model.problems()) == {1, 2}
    assert fields.editor.model.index(0, 2).data(Qt.ItemDataRole.CheckStateRole) == (
        Qt.CheckState.Checked
    )


def test_the_administration_menu_has_the_setup_windows_and_no_shortcut_twice(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    window = MainWindow(clinic, admin)
    qtbot.addWidget(window)
    menu = next(m for m in window.findChildren(QMenu) if m.title() == "Ad&ministration")
    texts = [a.text() for a in menu.actions() if a.text()]
    for text in (
        "Clinic &profile…",
        "P&rograms…",
        "Mo&dalities and curriculum…",
        "&Note templates…",
        "&Groups and schedules…",
    ):
        assert text in texts
    keys = [a.text().split("&")[1][0].lower() for a in menu.actions() if "&" in a.text()]
    assert len(keys) == len(set(keys)), keys  # each access key once in the menu
    shortcuts = [
        a.shortcut().toString() for a in window.findChildren(QAction) if not a.shortcut().isEmpty()
    ]
    assert len(shortcuts) == len(set(shortcuts)), sorted(shortcuts)


def access_keys(dialog: QWidget) -> list[str]:
    """The letter after '&' in every label and button of `dialog` (what Alt+letter reaches)."""
    texts = [w.text() for w in dialog.findChildren(QLabel) if w.buddy() is not None]
    texts += [w.text() for w in dialog.findChildren(QAbstractButton)]
    return [t.split("&")[1][0].lower() for t in texts if "&" in t and not t.endswith("&")]


def test_each_setup_form_uses_an_access_key_once(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    scheduled_group(clinic, admin)
    setup = clinic.setup
    groups = GroupsWindow(setup, admin)
    qtbot.addWidget(groups)
    programs = ProgramsWindow(clinic, admin)
    qtbot.addWidget(programs)
    girp = next(t.template for t in setup.templates() if t.template.code == "GIRP")
    forms: list[QWidget] = [
        GroupDialog(setup.groups()[0], groups.choices(), setup.today(), print, print),
        programs._dialog(programs.selected()),
        ClinicProfileDialog(setup.profile(), print),
        NoteTemplateDialog(None, print, start=girp),
        NoteTemplateDialog(girp, print, read_only=True),
        ModalityDialog(None, print),
        TopicDialog("CBT", TopicDetails("", 1), print),
    ]
    for form in forms:
        qtbot.addWidget(form)
        keys = access_keys(form)
        assert keys and len(keys) == len(set(keys)), (type(form).__name__, sorted(keys))


def test_a_program_with_an_active_group_is_not_deactivated_and_the_window_says_why(
    qtbot: QtBot, new_clinic: tuple[Clinic, SignedInUser]
) -> None:
    clinic, admin = new_clinic
    scheduled_group(clinic, admin)
    window = ProgramsWindow(clinic, admin)
    shown(qtbot, window)
    assert window.active_action.text() == "&Deactivate"
    qtbot.keyClick(window.table, Qt.Key.Key_D, CTRL)
    assert window.error.isVisible()
    assert window.error.text() == (
        "Adult IOP still has active groups: deactivate them or move them first."
    )
    (program,) = clinic.setup.programs()
    assert program.active
