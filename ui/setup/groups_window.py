"""Groups and schedules (administrators): list, add, edit (with the weekly schedule),
deactivate."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from facilitator.domain.schedule import WEEKDAY_NAMES
from facilitator.domain.users import SignedInUser
from facilitator.services.clinic_setup import ClinicSetup
from facilitator.services.group_schedule import ScheduleEntry
from facilitator.services.groups_setup import GroupDetails, GroupRow
from ui.models.row_table_model import Column
from ui.setup.group_dialog import GroupChoices, GroupDialog, current_entries
from ui.setup.setup_list_window import SetupListWindow
from ui.widgets import count_of


def schedule_text(row: GroupRow) -> str:
    """'Mon, Tue, Wed, Thu · 12 blocks a week (from 2026-12-07)': the latest schedule."""
    entries = current_entries(row)
    if not entries:
        return "No schedule yet"
    days = sorted({e.weekday for e in entries})
    names = ", ".join(WEEKDAY_NAMES[d][:3] for d in days)
    since = row.schedule[-1].effective_from
    start = f" (from {since:%Y-%m-%d})" if since else ""
    return f"{names} · {count_of(len(entries), 'block')} a week{start}"


COLUMNS: tuple[Column[GroupRow], ...] = (
    Column("Name", lambda r: r.details.name),
    Column("Program", lambda r: r.program),
    Column("Room", lambda r: r.details.room),
    Column("Capacity", lambda r: str(r.details.capacity or ""), lambda r: r.details.capacity or 0),
    Column("Facilitator", lambda r: r.facilitator),
    Column("Co-facilitator", lambda r: r.co_facilitator),
    Column("Schedule", schedule_text, flagged=lambda r: not current_entries(r)),
    Column(
        "Status", lambda r: "Active" if r.active else "Deactivated", flagged=lambda r: not r.active
    ),
)


class GroupsWindow(SetupListWindow[GroupRow]):
    """Saving a schedule calls change_schedule: from the chosen day, never moving the past."""

    groups_changed = Signal()

    def __init__(
        self, setup: ClinicSetup, user: SignedInUser, parent: QWidget | None = None
    ) -> None:
        super().__init__(COLUMNS, lambda r: r.id, lambda r: r.active, parent)
        self.describe(
            self.tr("Groups and schedules"),
            self.tr(
                "Each group meets on a weekly schedule of blocks. A schedule change takes effect "
                "from the day you choose: sessions before it keep their blocks. Deactivate a "
                "group that no longer meets; its records stay."
            ),
            self.tr("&Group"),
            self.tr("&Add group…"),
        )
        self._setup = setup
        self.user = user
        self.finish_menu()
        self.resize(1100, 560)
        self.refresh()

    def load(self) -> list[GroupRow]:
        return self._setup.groups()

    def choices(self) -> GroupChoices:
        return GroupChoices(
            programs=[(p.id, p.details.name) for p in self._setup.programs() if p.active],
            leaders=self._setup.leaders(),
            templates=[
                (t.template.code, f"{t.template.code} — {t.template.name}")
                for t in self._setup.templates()
                if t.active
            ],
            modalities=[
                (m.details.code, m.details.name) for m in self._setup.modalities() if m.active
            ],
        )

    def add(self) -> None:
        self._run(None)

    def edit(self, row: GroupRow) -> None:
        self._run(row)

    def _run(self, editing: GroupRow | None) -> GroupDialog:
        dialog = GroupDialog(
            editing,
            self.choices(),
            self._setup.today(),
            self._save_group,
            self._change_schedule,
            self,
        )
        dialog.exec()
        if dialog.saved_id is not None:  # saved, even if the schedule was then refused
            self.refresh()
            self.select(dialog.saved_id)
            self.groups_changed.emit()
        return dialog

    def _save_group(self, group_id: uuid.UUID | None, details: GroupDetails) -> uuid.UUID:
        return self._setup.save_group(self.user, group_id, details)

    def _change_schedule(
        self, group_id: uuid.UUID, day: date, entries: Sequence[ScheduleEntry]
    ) -> None:
        self._setup.change_schedule(self.user, group_id, day, entries)

    def set_active(self, row: GroupRow, active: bool) -> None:
        self._setup.set_group_active(self.user, row.id, active)
        self.groups_changed.emit()
