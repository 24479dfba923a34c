"""The Administration menu's setup actions (administrators): clinic profile, programs,
modalities and curriculum, note templates, groups and schedules; one window of each."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from ui.setup.clinic_profile_dialog import ClinicProfileDialog
from ui.setup.curriculum_window import CurriculumWindow
from ui.setup.groups_window import GroupsWindow
from ui.setup.note_templates_window import NoteTemplatesWindow
from ui.setup.programs_window import ProgramsWindow
from ui.views.setup_checklist import SetupStep

W = TypeVar("W", bound=QWidget)


class SetupActions(QObject):
    """`setup_changed` follows any saved change (the main window reads the clinic again)."""

    setup_changed = Signal()

    def __init__(self, clinic: Clinic, user: SignedInUser, window: QMainWindow) -> None:
        super().__init__(window)
        self._clinic = clinic
        self._user = user
        self._window = window
        self.windows: dict[str, QWidget] = {}
        self.profile_action = self._action(
            self.tr("Clinic &profile…"), "Ctrl+Shift+F", self.open_profile
        )
        self.programs_action = self._action(
            self.tr("P&rograms…"), "Ctrl+Shift+Y", self.open_programs
        )
        self.curriculum_action = self._action(
            self.tr("Mo&dalities and curriculum…"), "Ctrl+Shift+H", self.open_curriculum
        )
        self.templates_action = self._action(
            self.tr("&Note templates…"), "Ctrl+Shift+T", self.open_templates
        )
        self.groups_action = self._action(
            self.tr("&Groups and schedules…"), "Ctrl+Shift+G", self.open_groups
        )

    def steps(self, admit_action: QAction) -> list[SetupStep]:
        """What a new clinic sets up next, for Today's checklist (none once a group has a
        schedule); the last step admits participants through `admit_action`."""
        setup = self._clinic.setup
        if any(g.active and g.schedule for g in setup.groups()):
            return []
        tr = self.tr
        return [
            SetupStep(
                tr("Name, address, facility NPI and time zone (documents use them)."),
                self.profile_action,
                bool(setup.profile().name),
            ),
            SetupStep(
                tr("A program or level of care: days, minimum minutes, note template, codes."),
                self.programs_action,
                any(p.active for p in setup.programs()),
            ),
            SetupStep(
                tr("A group with its leaders and weekly schedule of blocks."),
                self.groups_action,
            ),
            SetupStep(
                tr("Participants: admit them, or import a roster."),
                admit_action,
                self._clinic.has_participants(),
            ),
        ]

    @property
    def actions(self) -> tuple[QAction, ...]:
        """In the order a new clinic sets them up."""
        return (
            self.profile_action,
            self.programs_action,
            self.curriculum_action,
            self.templates_action,
            self.groups_action,
        )

    def _action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        self._window.addAction(action)
        return action

    def open_profile(self) -> ClinicProfileDialog:
        setup = self._clinic.setup
        dialog = ClinicProfileDialog(
            setup.profile(), lambda p: setup.save_profile(self._user, p), self._window
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self.setup_changed.emit)
        dialog.open()
        return dialog

    def open_programs(self) -> ProgramsWindow:
        window = self.windows.get("programs")
        if not isinstance(window, ProgramsWindow):
            window = ProgramsWindow(self._clinic, self._user)
            window.programs_changed.connect(self.setup_changed.emit)
        return self._show("programs", window)

    def open_curriculum(self) -> CurriculumWindow:
        window = self.windows.get("curriculum")
        if not isinstance(window, CurriculumWindow):
            window = CurriculumWindow(self._clinic.setup, self._user)
            window.curriculum_changed.connect(self.setup_changed.emit)
        return self._show("curriculum", window)

    def open_templates(self) -> NoteTemplatesWindow:
        window = self.windows.get("templates")
        if not isinstance(window, NoteTemplatesWindow):
            window = NoteTemplatesWindow(self._clinic.setup, self._user)
        return self._show("templates", window)

    def open_groups(self) -> GroupsWindow:
        window = self.windows.get("groups")
        if not isinstance(window, GroupsWindow):
            window = GroupsWindow(self._clinic.setup, self._user)
            window.groups_changed.connect(self.setup_changed.emit)
        return self._show("groups", window)

    def _show(self, name: str, window: W) -> W:
        if name not in self.windows:
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(lambda _=None, n=name: self.windows.pop(n, None))
            self.windows[name] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window
