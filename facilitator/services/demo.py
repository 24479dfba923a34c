"""Create a demo clinic through the paths a clinic uses, with synthetic people.

The accounts are made as a new clinic makes them (demo_staff); the setup is the shipped file
resources/demo/clinic.toml, previewed and imported like `facilitator config import`; the
participants are admitted by a roster file through the roster import; the past weeks are run
with the runner's, signing, measures and discharge services (demo_history, demo_progress);
today's sessions are opened, ready to run. Everything happens in one transaction (all of the
demo or none of it), and every audit entry the services write carries `demo: true`, so nobody
mistakes the demo's history for work done in a clinic.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator import content
from facilitator.security.audit import AuditAction, AuditTrail, DetailValue
from facilitator.services import demo_people as people
from facilitator.services.accounts import Accounts
from facilitator.services.clinic_config import ConfigImportError
from facilitator.services.clinic_setup import ClinicSetup
from facilitator.services.day_plan import plan_day
from facilitator.services.demo_history import DemoClock, DemoHistory
from facilitator.services.demo_progress import DemoProgress, Member
from facilitator.services.demo_staff import DemoStaff, create_staff
from facilitator.services.roster_import import RosterImport, RosterImportError
from facilitator.services.schedule_exceptions import ScheduleExceptions
from facilitator.services.shipped_content import install_shipped_content
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Clinician,
    Group,
    GroupSession,
    Participant,
    ParticipantNote,
)
from facilitator.storage.unit_of_work import one_transaction, unit_of_work
from facilitator.toml_writer import dumps

HISTORY_WEEKS = 4
MAKE_UP = "Make-up session (the demo always has a session to run on its day)"


class DemoRefusedError(Exception):
    """The database already holds a clinic; the demo never writes into real records."""


@dataclass(frozen=True)
class DemoSummary:
    groups: int
    participants: int
    sessions: int
    notes: int
    today_blocks: int
    passwords: dict[str, str]  # username -> the demo account's random password, shown once

    def counts(self) -> dict[str, int]:
        return {
            "groups": self.groups,
            "participants": self.participants,
            "sessions": self.sessions,
            "notes": self.notes,
            "today_blocks": self.today_blocks,
        }


class DemoAudit(AuditTrail):
    """The clinic's audit trail, marking each entry `demo: true`."""

    def record(
        self,
        session: Session,
        *,
        actor: UUID | None,
        action: AuditAction,
        object_type: str | None = None,
        object_id: str | None = None,
        outcome: str = "success",
        detail: Mapping[str, DetailValue] | None = None,
    ) -> None:
        super().record(
            session,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            outcome=outcome,
            detail={**(detail or {}), "demo": True},
        )


def create_demo_clinic(
    database: Database, today: date, audit: AuditTrail, seed: int = 7
) -> DemoSummary:
    """Fill an empty clinic with a demo clinic whose last day is `today`, all or nothing."""
    rng = random.Random(seed)
    trail = DemoAudit(audit.key)
    first_day = today - timedelta(weeks=HISTORY_WEEKS)
    with one_transaction(database) as demo:
        with unit_of_work(demo) as session:
            _refuse_a_clinic(session)
            install_shipped_content(session)
        staff = create_staff(Accounts(demo, trail))
        clock = DemoClock(_import_setup(demo, trail, staff, first_day))
        members = _admit(demo, trail, staff, rng, today)
        history = DemoHistory(demo, trail, staff, clock, rng, today)
        progress = DemoProgress(demo, trail, staff, clock, members, today)
        day = first_day
        while day < today:
            progress.discharge_before(day)
            history.run_day(day)
            day += timedelta(days=1)
        progress.discharge_before(today)
        if not history.meeting(today):
            _make_up_session(demo, trail, staff, today)
        today_blocks = history.open_today()
        history.review_examples()
        progress.add_progress(rng)
        with unit_of_work(demo) as session:
            summary = _summary(session, today_blocks, staff.passwords)
            trail.record(
                session,
                actor=None,
                action=AuditAction.CREATE,
                object_type="clinic",
                detail=dict(summary.counts()),
            )
    return summary


def _refuse_a_clinic(session: Session) -> None:
    if session.scalar(select(Participant.id).limit(1)) or session.scalar(
        select(Clinician.id).limit(1)
    ):
        raise DemoRefusedError(
            "This database already holds a clinic (participants or accounts); the demo clinic "
            "is only created in an empty data folder. Use --data-dir to choose a new folder."
        )


def demo_config(first_day: date) -> str:
    """The shipped demo setup, each group's schedule in force from `first_day`."""
    data = content.demo_setup()
    for group in data["group"]:
        group["schedule"][0]["effective_from"] = first_day
    return dumps(data)


def _import_setup(database: Database, audit: AuditTrail, staff: DemoStaff, first_day: date) -> str:
    """Import the demo's setup as its administrator; returns the clinic's time zone."""
    setup = ClinicSetup(database, audit)
    plan = setup.preview_import(demo_config(first_day))
    if not plan.ok:
        raise ConfigImportError(plan.problems)
    setup.apply_import(staff.administrator, plan)
    return setup.profile().time_zone


def _admit(
    database: Database, audit: AuditTrail, staff: DemoStaff, rng: random.Random, today: date
) -> list[list[Member]]:
    """The administrator imports the demo's roster; its members by group, in admission
    order."""
    users = {u.id: u for u in staff.users.values()}
    with unit_of_work(database) as session:
        groups = session.execute(
            select(Group.name, Group.default_facilitator_id).order_by(Group.name.desc())
        ).all()
    data, admissions = people.roster(rng, [name for name, _ in groups], today)
    roster = RosterImport(database, audit, lambda: today)
    preview = roster.preview(data, "demo-roster.csv")
    if not preview.importable:
        raise RosterImportError(f"The demo roster has {preview.error_count} problems.")
    roster.apply(preview, staff.administrator.id)
    with unit_of_work(database) as session:
        ids = {
            chart: pid
            for chart, pid in session.execute(select(Participant.chart_number, Participant.id))
        }
    return [
        [Member(ids[a.chart_number], a, users[lead]) for a in admissions if a.group == name]
        for name, lead in groups
        if lead is not None
    ]


def _make_up_session(database: Database, audit: AuditTrail, staff: DemoStaff, today: date) -> None:
    """On a day the groups do not meet, the supervisor adds this week's Monday blocks to it."""
    monday = today - timedelta(days=today.weekday())
    with unit_of_work(database) as session:
        rows = plan_day(session, monday)
    changes = ScheduleExceptions(database, audit, staff.supervisor)
    for row in rows:
        for block in row.blocks:
            changes.add_extra_block(
                row.group_id, today, block.start, block.end, block.modality_code, MAKE_UP
            )


def _summary(session: Session, today_blocks: int, passwords: dict[str, str]) -> DemoSummary:
    def count(what: Any) -> int:
        return session.scalar(select(func.count()).select_from(what)) or 0

    return DemoSummary(
        groups=count(Group),
        participants=count(Participant),
        sessions=count(GroupSession),
        notes=count(ParticipantNote),
        today_blocks=today_blocks,
        passwords=passwords,
    )
