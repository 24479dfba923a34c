"""The main window: Today, Participants, Groups and schedule, Curriculum."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, time, timedelta

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from facilitator import __version__
from facilitator.app import Clinic
from facilitator.documents.requests import AttendanceReportRequest
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.admissions import Admitted
from ui.accounts.clinicians_window import CliniciansWindow
from ui.audit.audit_window import AuditWindow
from ui.backup.backup_actions import BackupActions
from ui.dialogs.change_password_dialog import ChangePasswordDialog
from ui.dialogs.sign_in_sheet_dialog import SignInSheetDialog
from ui.export.document_exporter import DocumentExporter
from ui.export.period_dialog import PeriodDialog
from ui.lock.idle_minutes_prompt import ask_idle_minutes
from ui.participant.admit_dialog import AdmitDialog
from ui.participant.participant_window import ParticipantWindow
from ui.programs.measure_schedule_dialog import open_schedule_dialog
from ui.review.cosign_queue_window import CosignQueueWindow
from ui.review.review_window import ReviewWindow
from ui.roster_import.roster_import_dialog import RosterImportDialog
from ui.runner.session_runner_window import SessionRunnerWindow
from ui.schedule.day_change_actions import DayChangeActions
from ui.setup.setup_actions import SetupActions
from ui.views.curriculum_view import CurriculumView
from ui.views.groups_view import GroupsView
from ui.views.participants_view import ParticipantsView
from ui.views.today_view import TodayView
from ui.widgets import fit_to_screen

GEOMETRY_KEY = "main_window/geometry"


class MainWindow(QMainWindow):
    """One window per clinic; each page reads the clinic through the Clinic facade."""

    lock_requested = Signal()
    log_out_requested = Signal()  # the clinician's other windows are closed, work saved
    idle_minutes_changed = Signal(int)

    def __init__(
        self,
        clinic: Clinic,
        user: SignedInUser,
        today: Callable[[], date] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self.user = user
        self._today = today or clinic.today
        self.setWindowTitle(self.tr("Facilitator") + f" — {user.display_name}")
        self.today_view = TodayView(clinic, self._today, self)
        self.participants_view = ParticipantsView(clinic, self._today, self)
        self.groups_view = GroupsView(clinic, self._today, self)
        self.curriculum_view = CurriculumView(clinic, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        for page, title in (
            (self.today_view, self.tr("&Today")),
            (self.participants_view, self.tr("&Participants")),
            (self.groups_view, self.tr("&Groups and schedule")),
            (self.curriculum_view, self.tr("&Curriculum")),
        ):
            self.tabs.addTab(page, title)
        self.setCentralWidget(self.tabs)
        self.statusBar().addPermanentWidget(
            QLabel(self.tr("Data folder: ") + str(clinic.data_dir), self)
        )
        self.runners: dict[uuid.UUID, SessionRunnerWindow] = {}
        self.participant_windows: dict[uuid.UUID, ParticipantWindow] = {}
        self.audit_window: AuditWindow | None = None
        self.clinicians_window: CliniciansWindow | None = None
        self.review_window: ReviewWindow | None = None
        self.cosign_window: CosignQueueWindow | None = None
        self.today_view.block_opened.connect(self._on_today_view_block_opened)
        self.today_view.planned_block_opened.connect(self._on_today_view_planned_block_opened)
        self.participants_view.participant_opened.connect(
            self._on_participants_view_participant_opened
        )
        self.today_view.week.participant_opened.connect(self.open_participant)
        self.backup_actions = BackupActions(clinic, user, self)
        self.exporter = DocumentExporter(clinic, user, self)
        self.day_changes = DayChangeActions(clinic, user, lambda: self.today_view.day, self)
        self.day_changes.day_changed.connect(self.today_view.refresh)
        self.backup_actions.restored.connect(self._on_backup_actions_restored)
        self.setup_actions = SetupActions(clinic, user, self)
        self.setup_actions.setup_changed.connect(self._refresh_all)
        self._build_menus()
        self._restore_geometry()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self._add_action(
            file_menu, self.tr("&Refresh"), QKeySequence.StandardKey.Refresh, self._refresh_all
        )
        self.admit_action = self._add_action(
            file_menu, self.tr("Admit &new participant…"), QKeySequence.StandardKey.New, self.admit
        )
        self.admit_action.setEnabled(self.user.may_admit)
        self.participants_view.show_admit_action(self.admit_action)
        self.roster_import_action = self._add_action(
            file_menu,
            self.tr("&Import roster…"),
            QKeySequence("Ctrl+Shift+I"),
            self.open_roster_import,
        )
        file_menu.addAction(
            self.exporter.action(
                self.tr("Export &attendance report…"),
                "Ctrl+Alt+A",
                self._attendance_request,
                self._today().isoformat(),
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(self.backup_actions.back_up_action)
        file_menu.addAction(self.backup_actions.restore_action)
        file_menu.addSeparator()
        lock = self._add_action(
            file_menu, self.tr("&Lock"), QKeySequence("Ctrl+L"), self.lock_requested.emit
        )
        lock.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # from every window
        self._add_action(file_menu, self.tr("&Quit"), QKeySequence.StandardKey.Quit, self.close)
        view_menu = self.menuBar().addMenu(self.tr("&View"))
        for index in range(self.tabs.count()):
            self._add_action(
                view_menu,
                self.tabs.tabText(index),  # the tab's own access key: Alt+V, then T, P, G, C
                QKeySequence(f"Ctrl+{index + 1}"),
                lambda _=False, i=index: self.tabs.setCurrentIndex(i),
            )
        day_menu = self.menuBar().addMenu(self.tr("&Day"))
        for action in self.today_view.navigation_actions:
            action.triggered.connect(lambda: self.tabs.setCurrentWidget(self.today_view))
            day_menu.addAction(action)
            self.addAction(action)
        day_menu.addSeparator()
        review = self._add_action(
            day_menu,
            self.tr("Review and &sign the day…"),
            QKeySequence("Ctrl+Shift+R"),
            lambda: self.open_review(),
        )
        cosign = self._add_action(
            day_menu,
            self.tr("&Co-sign queue…"),
            QKeySequence("Ctrl+Shift+J"),
            self.open_cosign_queue,
        )
        cosign.setEnabled(self.user.can_cosign)
        self.today_view.show_signing_actions(review, cosign if self.user.can_cosign else None)
        day_menu.addSeparator()
        day_menu.addActions(self.day_changes.actions)
        if self.user.is_administrator:
            admin_menu = self.menuBar().addMenu(self.tr("Ad&ministration"))  # Alt+A: Account
            self._add_action(
                admin_menu,
                self.tr("&Clinicians…"),
                QKeySequence("Ctrl+Shift+U"),
                self.open_clinicians,
            )
            self._add_action(
                admin_menu, self.tr("&Audit log…"), QKeySequence("Ctrl+Shift+A"), self.open_audit
            )
            self._add_action(
                admin_menu,
                self.tr("&Measure schedule…"),
                QKeySequence("Ctrl+Shift+M"),
                self._edit_measure_schedule,
            )
            self._add_action(
                admin_menu,
                self.tr("&Idle lock…"),
                QKeySequence("Ctrl+Shift+K"),
                self._edit_idle_minutes,
            )
            self._add_action(
                admin_menu,
                self.tr("Sign-in s&heet names…"),
                QKeySequence("Ctrl+Shift+N"),
                self._edit_sign_in_names,
            )
            admin_menu.addAction(self.backup_actions.settings_action)
            admin_menu.addSeparator()
            for action in self.setup_actions.actions:
                admin_menu.addAction(action)
            self.today_view.show_setup_steps(lambda: self.setup_actions.steps(self.admit_action))
        self._build_account_menu()
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._add_action(help_menu, self.tr("&About Facilitator"), None, self._show_about)

    def _add_action(
        self,
        menu: object,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | None,
        slot: Callable[..., object],
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        return action

    def _attendance_request(self) -> AttendanceReportRequest | None:
        """The attendance report over a period and group the user picks (last four weeks)."""
        today = self._today()
        groups = [(g.name, g.group_id) for g in self._clinic.groups(today)]
        dialog = PeriodDialog(
            self.tr("Export attendance report"),
            today - timedelta(days=27),
            today,
            groups=groups,
            parent=self,
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        first, last = dialog.period()
        return AttendanceReportRequest(first, last, dialog.group_id())

    def open_runner(self, session_id: uuid.UUID, block_id: uuid.UUID | None = None) -> None:
        """Bring the session's runner to the front, opening it if needed."""
        runner = self.runners.get(session_id)
        if runner is None:
            runner = SessionRunnerWindow(self._clinic, self.user, session_id, block_id)
            runner.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            runner.closed.connect(self._on_runner_closed)
            self.runners[session_id] = runner
        elif block_id is not None:
            runner.show_block([b.block_id for b in runner.sheet.blocks].index(block_id))
        runner.show()
        runner.raise_()
        runner.activateWindow()

    def open_review(self, day: date | None = None) -> ReviewWindow:
        """Bring the review screen for `day` (Today's day by default) to the front."""
        day = day or self.today_view.day
        window = self.review_window
        if window is None or window.day != day:
            if window is not None:
                window.close()
            window = ReviewWindow(self._clinic, self.user, day)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.notes_signed.connect(self._on_review_window_notes_signed)
            window.destroyed.connect(self._on_review_window_destroyed)
            self.review_window = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_cosign_queue(self) -> CosignQueueWindow | None:
        """Bring the supervisor's co-sign queue to the front (supervisors only)."""
        if not self.user.can_cosign:
            return None
        window = self.cosign_window
        if window is None:
            window = CosignQueueWindow(self._clinic, self.user)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.queue_changed.connect(self._on_review_window_notes_signed)
            window.destroyed.connect(self._on_cosign_window_destroyed)
            self.cosign_window = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _on_review_window_notes_signed(self) -> None:
        self._refresh_all()

    def _on_review_window_destroyed(self) -> None:
        self.review_window = None

    def _on_cosign_window_destroyed(self) -> None:
        self.cosign_window = None

    def _on_today_view_block_opened(self, session_id: uuid.UUID, block_id: uuid.UUID) -> None:
        self.open_runner(session_id, block_id)

    def _on_today_view_planned_block_opened(
        self, group_id: uuid.UUID, day: date, start: time
    ) -> None:
        """Make the group's session of `day` from its schedule, then run the block."""
        try:
            session_id = self._clinic.open_session(self.user, group_id, day)
        except DomainError as error:
            QMessageBox.warning(self, self.tr("Session not opened"), str(error))
            self.today_view.refresh()
            return
        self.today_view.refresh()
        block_id = next(
            (
                r.block_id
                for r in self._clinic.day_blocks(day)
                if r.session_id == session_id and r.start == start
            ),
            None,
        )
        self.open_runner(session_id, block_id)

    def _on_runner_closed(self, session_id: uuid.UUID) -> None:
        self.runners.pop(session_id, None)
        self.today_view.refresh()

    def open_participant(self, participant_id: uuid.UUID) -> None:
        """Bring the participant's window to the front, opening it if needed."""
        window = self.participant_windows.get(participant_id)
        if window is None:
            window = ParticipantWindow(self._clinic, self.user, participant_id, self._today)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.closed.connect(self._on_participant_window_closed)
            self.participant_windows[participant_id] = window
        window.show()
        window.raise_()
        window.activateWindow()

    def _on_participants_view_participant_opened(self, participant_id: uuid.UUID) -> None:
        self.open_participant(participant_id)

    def _on_participant_window_closed(self, participant_id: uuid.UUID) -> None:
        self.participant_windows.pop(participant_id, None)

    def admit(self) -> AdmitDialog:
        """Open the Admit dialog; once admitted, the participant is selected on the
        Participants page (a readmission is said so)."""
        admissions = self._clinic.admissions
        dialog = AdmitDialog(
            admissions.groups(),
            self._today(),
            lambda request: admissions.admit(self.user, request, self._today()),
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_admit_dialog_accepted(dialog.admitted))
        dialog.open()
        return dialog

    def _on_admit_dialog_accepted(self, admitted: Admitted | None) -> None:
        if admitted is None:
            return
        self._refresh_all()
        self.tabs.setCurrentWidget(self.participants_view)
        self.participants_view.select(admitted.participant_id)
        self.statusBar().showMessage(admitted.message, 15000)
        if admitted.readmitted:
            QMessageBox.information(self, self.tr("Readmitted"), admitted.message)

    def open_roster_import(self) -> RosterImportDialog:
        """Open the roster import dialog (a new one each time: a fresh preview)."""
        dialog = RosterImportDialog(self._clinic.roster_import, self.user, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.roster_imported.connect(self._on_roster_import_dialog_roster_imported)
        dialog.open()
        return dialog

    def _on_roster_import_dialog_roster_imported(self, _result: object) -> None:
        self._refresh_all()

    def open_audit(self) -> AuditWindow:
        """The audit log (administrators), one window at a time."""
        if self.audit_window is None:
            self.audit_window = AuditWindow(self._clinic, self.user, self._today)
            self.audit_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.audit_window.destroyed.connect(self._on_audit_window_destroyed)
        self.audit_window.show()
        self.audit_window.raise_()
        self.audit_window.activateWindow()
        return self.audit_window

    def _build_account_menu(self) -> None:
        user = self.user
        signed_in = f"{user.display_name}" + (f", {user.credentials}" if user.credentials else "")
        self.signed_in_label = QLabel(
            self.tr("Signed in: %1 (%2)").replace("%1", signed_in).replace("%2", user.role.value),
            self,
        )
        self.statusBar().addWidget(self.signed_in_label)
        menu = self.menuBar().addMenu(self.tr("&Account"))
        who = menu.addAction(self.tr("Signed in as %1").replace("%1", signed_in))
        who.setEnabled(False)
        menu.addSeparator()
        self._add_action(
            menu,
            self.tr("Change my &password…"),
            QKeySequence("Ctrl+Shift+P"),
            self.change_password,
        )
        self._add_action(
            menu, self.tr("&Log out / switch user"), QKeySequence("Ctrl+Shift+L"), self.log_out
        )

    def change_password(self) -> None:
        ChangePasswordDialog(self._clinic.accounts, self.user, None, self).exec()

    def log_out(self) -> bool:
        """Close this clinician's other windows (saving their work), then ask for the next
        sign-in. False when a window stayed open (notes it could not save)."""
        for window in QApplication.topLevelWidgets():
            if window is not self and window.isVisible() and not window.close():
                return False
        self.log_out_requested.emit()
        return True

    def open_clinicians(self) -> CliniciansWindow:
        """The Clinicians window (administrators), one at a time."""
        if self.clinicians_window is None:
            self.clinicians_window = CliniciansWindow(self._clinic.accounts, self.user)
            self.clinicians_window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.clinicians_window.destroyed.connect(self._on_clinicians_window_destroyed)
        self.clinicians_window.show()
        self.clinicians_window.raise_()
        self.clinicians_window.activateWindow()
        return self.clinicians_window

    def _on_clinicians_window_destroyed(self) -> None:
        self.clinicians_window = None

    def _on_audit_window_destroyed(self) -> None:
        self.audit_window = None

    def _edit_measure_schedule(self) -> None:
        if open_schedule_dialog(self._clinic, self.user, self):
            self._refresh_all()  # the week's due list follows the schedule

    def _edit_idle_minutes(self) -> None:
        minutes = ask_idle_minutes(self, self._clinic.lock_settings, self.user)
        if minutes is not None:
            self.idle_minutes_changed.emit(minutes)

    def _edit_sign_in_names(self) -> None:
        settings = self._clinic.sign_in_settings
        SignInSheetDialog(
            settings.name_style(), lambda style: settings.set_name_style(self.user, style), self
        ).exec()

    def _on_backup_actions_restored(self, _result: object) -> None:
        self._refresh_all()

    def _refresh_all(self) -> None:
        for page in (
            self.today_view,
            self.participants_view,
            self.groups_view,
            self.curriculum_view,
        ):
            page.refresh()
        for window in self.participant_windows.values():
            window.refresh()

    def _show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About Facilitator"),
            self.tr(
                "Facilitator %1\nGroup notes, attendance and documentation for intensive "
                "outpatient programs."
            ).replace("%1", __version__),
        )

    def _restore_geometry(self) -> None:
        geometry = QSettings().value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            return
        fit_to_screen(self, 1280, 800)

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)
