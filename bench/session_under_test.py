"""The session bench.run measures: the biggest session on a day, attendance taken, its lead."""

from __future__ import annotations

import os
import platform
import uuid
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QApplication
from sqlalchemy import func, select

from facilitator.app import Clinic
from facilitator.domain.users import Role, SignedInUser
from facilitator.services.session_sheet import SessionSheet, load_session_sheet
from facilitator.storage.models import Clinician, GroupSession, ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work


def benchmark_session(clinic: Clinic, day: date | None) -> tuple[uuid.UUID, SessionSheet]:
    """The session with the most people on `day` (default: the last day with sessions),
    attendance taken (everyone present) for each of its blocks where nobody has yet."""
    with unit_of_work(clinic.database) as session:
        day = day or session.scalar(select(func.max(GroupSession.day)))
        if day is None:
            raise SystemExit("This clinic has no sessions: run `facilitator demo` first.")
        ids = session.scalars(select(GroupSession.id).where(GroupSession.day == day)).all()
        sheets = [load_session_sheet(session, session_id) for session_id in ids]
    sheet = max(sheets, key=lambda s: sum(len(b.roster) for b in s.blocks))
    runner = clinic.runner
    taken = 0
    for block in sheet.blocks:
        taken += runner.mark_all_present(block.block_id, sheet.session_id)
    if taken:
        print(f"Took attendance for the benchmark session: {taken} marked present.")
    return sheet.session_id, runner.sheet(sheet.session_id)


def session_lead(clinic: Clinic, sheet: SessionSheet) -> SignedInUser:
    """The session's first lead, signed in without a password as the benchmark's author."""
    with unit_of_work(clinic.database) as session:
        row = session.get_one(Clinician, sheet.blocks[0].lead_id)
        return SignedInUser(
            row.id,
            row.username,
            row.display_name,
            row.credentials,
            Role(row.role),
            row.needs_cosignature,
        )


def print_header(clinic: Clinic, data_dir: Path, sheet: SessionSheet, opened_ms: float) -> None:
    """The machine, the database and the session, above the results."""
    with unit_of_work(clinic.database) as session:
        notes = session.scalar(select(func.count()).select_from(ParticipantNote)) or 0
    size = sum(f.stat().st_size for f in data_dir.glob("facilitator.db*"))
    people = "/".join(str(len(b.roster)) for b in sheet.blocks)
    print(
        f"Facilitator benchmarks, {date.today()}, {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, Qt platform "
        f"{QApplication.platformName()}, load average {os.getloadavg()[0]:.2f}\n"
        f"Database: {data_dir} ({notes:,} participant notes, {size / 2**20:,.0f} MiB); "
        f"opened in {opened_ms:.0f} ms\n"
        f"Session: {sheet.group}, {sheet.day}, {len(sheet.blocks)} blocks x {people} people\n"
    )
