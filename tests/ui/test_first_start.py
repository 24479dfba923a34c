"""A clinic from an empty data folder, as its first administrator sets it up: the setup
dialog, then Today's checklist, the Programs and Groups windows opened by their shortcuts, a
program and a Monday-Thursday three-block group with two leaders, all by keyboard."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from facilitator.app import open_clinic
from facilitator.domain.users import Role
from facilitator.services.account_admin import ClinicianDetails
from tests.ui.setup_clinic import add_group, add_program, create_administrator, shown
from ui.main_window import MainWindow


def test_an_empty_folder_becomes_a_clinic_with_a_scheduled_group(
    qtbot: QtBot, tmp_path: Path
) -> None:
    clinic = open_clinic(tmp_path / "empty")
    try:
        admin = create_administrator(qtbot, clinic, "jlee", "Jordan Lee")
        for username, name in (("mreyes", "Morgan Reyes"), ("sokafor", "Sam Okafor")):
            clinic.accounts.add_clinician(
                admin, username, ClinicianDetails(name, "LPC", Role.FACILITATOR)
            )

        window = MainWindow(clinic, admin)
        shown(qtbot, window)
        checklist = window.today_view.checklist
        assert checklist.isVisible()

        add_program(qtbot, window, "Adult IOP")
        groups = add_group(qtbot, window, "Morning IOP", "Morgan Reyes", "Sam Okafor")

        (group,) = clinic.setup.groups()
        assert (group.details.name, group.program) == ("Morning IOP", "Adult IOP")
        assert (group.facilitator, group.co_facilitator) == ("Morgan Reyes", "Sam Okafor")
        (period,) = group.schedule
        assert sorted(e.weekday for e in period.entries) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
        assert not checklist.isVisible()  # the main window read the clinic again
        groups.close()
    finally:
        clinic.close()
