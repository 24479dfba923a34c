"""Partial files of killed backups (in the data folder and in the folder a manual backup last
went to) are removed at the next start, audited by count; other files are left alone."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from facilitator.app import open_clinic
from facilitator.storage.models import AuditEvent
from facilitator.storage.unit_of_work import unit_of_work

NOW = datetime(2026, 11, 23, 17, 0).astimezone()


def test_partial_backups_a_kill_leaves_are_removed_at_the_next_start(
    demo_clinic_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    stick = tmp_path / "stick"
    stick.mkdir()
    clinic = open_clinic(folder)
    try:
        made = clinic.backups.back_up_to(stick, None, NOW)
        database_bytes = clinic.database.path.read_bytes()[:4096]
    finally:
        clinic.close()
    # What a backup killed mid-way leaves: its snapshot beside the database (with its journal)
    # and, when copied to another drive, the partial copy beside the backup.
    snapshot = folder / f".{made.path.name}.partial"
    leftovers = [snapshot, folder / f"{snapshot.name}-journal", stick / snapshot.name]
    for leftover in leftovers:
        leftover.write_bytes(database_bytes)
    strangers = [folder / ".notes.partial", stick / "Facilitator-notes.fbackup.partial"]
    for stranger in strangers:
        stranger.write_text("not a file Facilitator wrote")

    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            [entry] = session.scalars(select(AuditEvent).where(AuditEvent.action == "cleanup"))
    finally:
        clinic.close()
    assert not [p for p in leftovers if p.exists()]
    assert all(p.exists() for p in strangers) and made.path.exists()
    assert entry.detail == {"export_parts": 0, "backup_partials": 3}
    assert entry.clinician_id is None


def test_a_start_with_nothing_to_clean_audits_nothing(
    demo_clinic_folder: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            found = session.scalars(select(AuditEvent).where(AuditEvent.action == "cleanup")).all()
    finally:
        clinic.close()
    assert found == []
