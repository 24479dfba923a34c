"""A full disk or a data folder turned read-only, for real (tmpfs): drafts wait in memory,
are written as soon as the folder takes writes again, and nothing is half-written."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from facilitator.app import Clinic, open_clinic
from facilitator.services.draft_writer import DraftKey, DraftWriter
from facilitator.services.session_sheet import NoteDraft
from facilitator.storage.errors import DISK_FULL, READ_ONLY, describe_write_failure
from facilitator.storage.models import Group, GroupSession, ParticipantNote
from tests.mounts import ext4_image, fill, remount, tmpfs, turn_read_only

DEMO_MONDAY = date(2026, 11, 23)
LONG = "Participant described the week's triggers and practised the plan. " * 8000  # ~0.5 MB


@pytest.fixture
def clinic_on_small_drive(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    with tmpfs(tmp_path / "drive", "24m") as folder:
        shutil.copytree(demo_clinic_folder, folder, dirs_exist_ok=True)
        clinic = open_clinic(folder)
        try:
            yield clinic
        finally:
            clinic.close()


def _note_key(clinic: Clinic) -> DraftKey:
    """A participant marked present in the first block of this morning's session."""
    with clinic.database.sessions() as session:
        session_id = session.scalars(
            select(GroupSession.id)
            .join(Group)
            .where(Group.name == "Adult IOP Morning", GroupSession.day == DEMO_MONDAY)
        ).one()
    runner = clinic.runner
    block = runner.sheet(session_id).blocks[0]
    runner.mark_all_present(block.block_id, session_id)
    return DraftKey(block.block_id, block.roster[0].participant_id)


def _signed(clinic: Clinic) -> dict[str, tuple[object, ...]]:
    with clinic.database.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT * FROM participant_note WHERE status != 'draft' ORDER BY id")
        ).all()
    return {str(row[0]): tuple(row) for row in rows}


def _stored(clinic: Clinic, key: DraftKey) -> dict[str, str] | None:
    with clinic.database.sessions() as session:
        note = session.scalars(
            select(ParticipantNote).where(
                ParticipantNote.block_id == key.block_id,
                ParticipantNote.participant_id == key.participant_id,
            )
        ).one_or_none()
        return dict(note.fields) if note is not None else None


def _wait_for(condition: object, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def _draft(goal: str) -> NoteDraft:
    return NoteDraft(template="GIRP", fields={"goal": goal, "response": LONG})


def _check_whole(clinic: Clinic) -> None:
    with clinic.database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]


def test_drafts_wait_in_memory_while_the_disk_is_full_then_are_written(
    clinic_on_small_drive: Clinic,
) -> None:
    clinic = clinic_on_small_drive
    key = _note_key(clinic)
    signed = _signed(clinic)
    failures: list[Exception] = []
    writer = DraftWriter(
        clinic.runner.save_draft, on_failed=lambda _k, e: failures.append(e), retry_seconds=0.05
    )
    try:
        writer.submit(key, None, _draft("first, saved"))
        assert writer.flush()
        ballast = fill(clinic.data_dir)
        writer.submit(key, None, _draft("older, never needed"))
        writer.submit(key, None, _draft("newest, typed while the disk was full"))
        _wait_for(lambda: len(failures) >= 2)  # tried, and tried again
        assert writer.pending() == {key}  # kept in memory
        assert describe_write_failure(failures[0]) == DISK_FULL
        assert _stored(clinic, key) == {"goal": "first, saved", "response": LONG}
        ballast.unlink()
        assert writer.flush()
    finally:
        writer.close()
    assert _stored(clinic, key) == {
        "goal": "newest, typed while the disk was full",
        "response": LONG,
    }
    assert _signed(clinic) == signed
    _check_whole(clinic)


def test_a_drive_turned_read_only_keeps_drafts_in_memory_and_the_file_whole(
    demo_clinic_folder: Path, tmp_path: Path
) -> None:
    with ext4_image(tmp_path / "drive", 64) as folder:
        shutil.copytree(demo_clinic_folder, folder / "clinic")
        clinic = open_clinic(folder / "clinic")
        key = _note_key(clinic)
        signed = _signed(clinic)
        failures: list[Exception] = []
        writer = DraftWriter(
            clinic.runner.save_draft,
            on_failed=lambda _k, e: failures.append(e),
            retry_seconds=0.05,
        )
        try:
            writer.submit(key, None, _draft("first, saved"))
            assert writer.flush()
            os.sync()  # the copied folder too (the app's own files are flushed as written)
            turn_read_only(folder)
            writer.submit(key, None, _draft("typed after the drive failed"))
            _wait_for(lambda: len(failures) >= 2)
            assert writer.pending() == {key}  # kept in memory
            assert describe_write_failure(failures[0], clinic.data_dir) == READ_ONLY
        finally:
            assert not writer.close(timeout=1)  # still unwritten: the window keeps it
            clinic.close()
        remount(folder)  # the drive is back
        reopened = open_clinic(folder / "clinic")
        try:
            _check_whole(reopened)
            assert _stored(reopened, key) == {"goal": "first, saved", "response": LONG}
            assert _signed(reopened) == signed
        finally:
            reopened.close()


def test_messages_say_what_to_do() -> None:
    assert describe_write_failure(OSError(28, "No space left on device")) == DISK_FULL
    assert describe_write_failure(OSError(30, "Read-only file system")) == READ_ONLY
    assert "free some space" in DISK_FULL and "keep Facilitator open" in READ_ONLY
    refusal = Exception("This note is signed and cannot change; add an addendum.")
    assert describe_write_failure(refusal) == str(refusal)
