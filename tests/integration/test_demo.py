"""The demo clinic: a realistic, internally consistent clinic built into an empty database."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import date, time, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.notes import NoteStatus, content_hash
from facilitator.security.audit import AuditTrail, audit_key
from facilitator.security.audit_verify import verify_audit_log
from facilitator.services import views
from facilitator.services.demo import DemoRefusedError, DemoSummary, create_demo_clinic
from facilitator.services.notes_content import canonical_note_content
from facilitator.storage.database import open_database
from facilitator.storage.models import (
    Addendum,
    Attendance,
    AuditEvent,
    Block,
    BlockTemplate,
    Clinician,
    Discharge,
    Enrollment,
    Group,
    GroupSession,
    NoteReview,
    ParticipantNote,
    Signature,
    TreatmentGoal,
)
from tests.keys import TEST_KEY, keyed_connection

DEMO_MONDAY = date(2026, 11, 23)
DEMO_SATURDAY = date(2026, 11, 28)
MON_TO_THU = {0, 1, 2, 3}
SIGNED = {s.value for s in NoteStatus if s.locked}  # one is returned: still locked
AUDIT = AuditTrail(audit_key(TEST_KEY))


DemoClinic = tuple[Path, DemoSummary]


def build_demo(folder: Path, today: date) -> DemoClinic:
    """Create a demo clinic in `folder` and close it, so the file is complete on disk."""
    database = open_database(folder / "facilitator.db", TEST_KEY)
    try:
        summary = create_demo_clinic(database, today, AUDIT)
    finally:
        database.close()
    return database.path, summary


@pytest.fixture(scope="module")
def monday_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoClinic:
    """A demo clinic whose 'today' is a Monday, built once; tests must not write to it."""
    return build_demo(tmp_path_factory.mktemp("monday-demo"), DEMO_MONDAY)


@pytest.fixture(scope="module")
def saturday_demo(tmp_path_factory: pytest.TempPathFactory) -> DemoClinic:
    """A demo clinic whose 'today' is a Saturday, a day the schedule skips."""
    return build_demo(tmp_path_factory.mktemp("saturday-demo"), DEMO_SATURDAY)


def _session(path: Path) -> Iterator[Session]:
    database = open_database(path, TEST_KEY)
    try:
        with database.sessions() as session:
            yield session
            session.rollback()
    finally:
        database.close()


@pytest.fixture(scope="module")
def monday(monday_demo: DemoClinic) -> Iterator[Session]:
    """A read-only session on the Monday demo clinic."""
    yield from _session(monday_demo[0])


@pytest.fixture(scope="module")
def saturday(saturday_demo: DemoClinic) -> Iterator[Session]:
    """A read-only session on the Saturday demo clinic."""
    yield from _session(saturday_demo[0])


def _enrollments_by_group(session: Session) -> dict[str, list[Enrollment]]:
    found: dict[str, list[Enrollment]] = {}
    for enrollment in session.scalars(select(Enrollment)):
        found.setdefault(enrollment.group.name, []).append(enrollment)
    return found


def test_summary_matches_the_records(monday_demo: DemoClinic, monday: Session) -> None:
    summary = monday_demo[1]
    assert summary.groups == 2
    assert summary.participants == sum(len(v) for v in _enrollments_by_group(monday).values())
    assert summary.sessions == monday.scalar(select(func.count()).select_from(GroupSession))
    assert summary.notes == monday.scalar(select(func.count()).select_from(ParticipantNote))
    assert summary.today_blocks == 6


def test_two_groups_with_staggered_enrollment(monday: Session) -> None:
    groups = monday.scalars(select(Group)).all()
    assert len(groups) == 2
    by_group = _enrollments_by_group(monday)
    assert set(by_group) == {g.name for g in groups}
    for name, enrollments in by_group.items():
        assert 12 <= len(enrollments) <= 15, name
        admissions = {e.admitted for e in enrollments}
        assert len(admissions) >= 5, name
        assert all(e.admitted <= DEMO_MONDAY for e in enrollments), name
        for enrollment in enrollments:
            EnrollmentPeriod(enrollment.admitted, enrollment.discharged)  # a valid period
    participants = [e.participant_id for v in by_group.values() for e in v]
    assert len(participants) == len(set(participants))  # each person in one group


def test_each_participant_has_two_or_three_goals(monday: Session) -> None:
    counts = Counter(monday.scalars(select(TreatmentGoal.participant_id)))
    enrolled = {e.participant_id for e in monday.scalars(select(Enrollment))}
    assert set(counts) == enrolled
    assert set(counts.values()) <= {2, 3}
    for goal in monday.scalars(select(TreatmentGoal)):
        assert goal.text.strip()


def test_schedule_is_three_one_hour_blocks_monday_to_thursday(monday: Session) -> None:
    for group in monday.scalars(select(Group)):
        by_day: dict[int, list[BlockTemplate]] = {}
        for template in group.schedule:
            by_day.setdefault(template.weekday, []).append(template)
        assert set(by_day) == MON_TO_THU, group.name
        for templates in by_day.values():
            assert len(templates) == 3
            spans = [(t.start, t.end) for t in sorted(templates, key=lambda t: t.start)]
            for start, end in spans:
                assert end.hour - start.hour == 1 and start.minute == end.minute == 0
            assert all(a[1] <= b[0] for a, b in pairwise(spans))


def test_past_sessions_only_on_monday_to_thursday(monday: Session) -> None:
    days = monday.scalars(select(GroupSession.day).where(GroupSession.day < DEMO_MONDAY)).all()
    assert days
    assert {d.weekday() for d in days} == MON_TO_THU
    assert min(days) >= DEMO_MONDAY - timedelta(weeks=4)


def test_every_past_block_was_run(monday: Session) -> None:
    past = monday.scalars(
        select(Block).join(GroupSession).where(GroupSession.day < DEMO_MONDAY)
    ).all()
    assert len(past) == 2 * 16 * 3  # two groups, four weeks of four days, three blocks
    for block in past:
        assert block.actual_start == block.planned_start
        assert block.topic is not None
        assert block.group_note.strip()
        assert block.facilitators


def _today_blocks(session: Session, today: date) -> list[Block]:
    return list(session.scalars(select(Block).join(GroupSession).where(GroupSession.day == today)))


def test_todays_blocks_exist_without_attendance_or_notes(monday: Session) -> None:
    blocks = _today_blocks(monday, DEMO_MONDAY)
    assert len(blocks) == 6
    assert all(b.actual_start is None for b in blocks)
    assert all(b.attendance == [] and b.notes == [] for b in blocks)


def test_saturday_demo_still_has_a_session_today(saturday: Session) -> None:
    blocks = _today_blocks(saturday, DEMO_SATURDAY)
    assert len(blocks) == 6
    assert sorted(b.sequence for b in blocks) == [1, 1, 2, 2, 3, 3]
    assert all(b.attendance == [] for b in blocks)
    past = saturday.scalars(select(GroupSession.day).where(GroupSession.day < DEMO_SATURDAY)).all()
    assert {d.weekday() for d in past} == MON_TO_THU


def test_every_past_note_is_signed_over_its_content(monday: Session) -> None:
    notes = monday.scalars(select(ParticipantNote)).all()
    assert len(notes) > 500
    statuses = Counter(n.status for n in notes)
    assert set(statuses) <= SIGNED
    assert statuses[NoteStatus.SIGNED.value] > 0  # the lead who signs alone
    assert statuses[NoteStatus.COSIGNED.value] > 0  # the associate, reviewed by a supervisor
    for note in notes:
        expected = content_hash(canonical_note_content(note))
        assert note.content_hash == expected
        authors = [s for s in note.signatures if s.role == "author"]
        assert len(authors) == 1
        assert all(s.content_hash == expected for s in note.signatures)
        assert authors[0].clinician_id == note.author_id
        assert all(s.signed_at.tzinfo is not None for s in note.signatures)
        cosigned = any(s.role == "cosigner" for s in note.signatures)
        assert cosigned == (note.status == NoteStatus.COSIGNED.value)


def test_recent_notes_of_an_associate_await_cosignature(saturday: Session) -> None:
    # On a Saturday, Monday's to Thursday's notes are at most five days old.
    rows = saturday.execute(
        select(ParticipantNote.status, GroupSession.day)
        .join(Block, ParticipantNote.block_id == Block.id)
        .join(GroupSession, Block.session_id == GroupSession.id)
        .where(ParticipantNote.status == NoteStatus.AWAITING_COSIGN.value)
    ).all()
    assert rows
    assert {day for _, day in rows} == {DEMO_SATURDAY - timedelta(days=d) for d in (2, 3, 4, 5)}


def test_signatures_come_after_the_block(monday: Session) -> None:
    rows = monday.execute(
        select(Signature, GroupSession.day)
        .join(ParticipantNote, Signature.note_id == ParticipantNote.id)
        .join(Block, ParticipantNote.block_id == Block.id)
        .join(GroupSession, Block.session_id == GroupSession.id)
    ).all()
    assert rows
    for signature, day in rows:
        assert signature.signed_at.date() >= day


def test_notes_only_for_attending_participants(monday: Session) -> None:
    attended = {
        (a.block_id, a.participant_id): a.status for a in monday.scalars(select(Attendance))
    }
    for note in monday.scalars(select(ParticipantNote)):
        status = attended.get((note.block_id, note.participant_id))
        assert status in {"present", "late", "left_early"}


def test_no_attendance_outside_enrollment(monday: Session) -> None:
    periods = {
        e.participant_id: (e.group_id, EnrollmentPeriod(e.admitted, e.discharged))
        for e in monday.scalars(select(Enrollment))
    }
    rows = monday.execute(
        select(Attendance.participant_id, GroupSession.day, GroupSession.group_id)
        .join(Block, Attendance.block_id == Block.id)
        .join(GroupSession, Block.session_id == GroupSession.id)
    ).all()
    assert rows
    for participant_id, day, group_id in rows:
        enrolled_group, period = periods[participant_id]
        assert group_id == enrolled_group
        assert period.is_active_on(day), (participant_id, day)


def test_discharged_participant_attended_until_discharge(monday: Session) -> None:
    discharged = [e for e in monday.scalars(select(Enrollment)) if e.discharged is not None]
    assert discharged
    for enrollment in discharged:
        assert enrollment.discharged is not None
        days = monday.scalars(
            select(GroupSession.day)
            .join(Block, Block.session_id == GroupSession.id)
            .join(Attendance, Attendance.block_id == Block.id)
            .where(Attendance.participant_id == enrollment.participant_id)
        ).all()
        assert days
        assert max(days) <= enrollment.discharged


def test_day_blocks_for_today(monday: Session) -> None:
    rows = views.day_blocks(monday, DEMO_MONDAY)
    assert len(rows) == 6
    assert [(r.start, r.group) for r in rows] == sorted((r.start, r.group) for r in rows)
    assert [r.start for r in rows] == [time(h) for h in (9, 10, 11, 18, 19, 20)]
    census = {g.name: g.active_participants for g in views.groups(monday, DEMO_MONDAY)}
    expected = {
        name: sum(
            EnrollmentPeriod(e.admitted, e.discharged).is_active_on(DEMO_MONDAY) for e in members
        )
        for name, members in _enrollments_by_group(monday).items()
    }
    assert census == expected
    for row in rows:
        assert row.notes_due == census[row.group] > 0
        assert row.notes_signed == 0
        assert row.topic and row.facilitators and row.room


def test_day_blocks_for_a_past_day_count_signed_notes(monday: Session) -> None:
    last_thursday = DEMO_MONDAY - timedelta(days=4)
    rows = views.day_blocks(monday, last_thursday)
    assert len(rows) == 6
    for row in rows:
        assert row.notes_due > 0
        assert row.notes_signed == row.notes_due  # every attendee's note was signed


def _dump(path: Path) -> list[str]:
    """The schema and every row, in a stable order (SQLCipher has no iterdump)."""
    connection = keyed_connection(path)
    try:
        schema = connection.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        lines = [repr(row) for row in schema]
        for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'"):
            lines += sorted(repr(row) for row in connection.execute(f'SELECT * FROM "{table}"'))
        return lines
    finally:
        connection.close()


def test_the_demo_audits_what_its_services_did(monday_demo: DemoClinic, monday: Session) -> None:
    """The entries are the services' own (accounts, setup, roster, runner, signing ...), each
    marked demo, and the last says the demo made the clinic, with its counts."""
    report = verify_audit_log(monday, AUDIT.key)
    assert report.intact, report.problems
    events = monday.scalars(select(AuditEvent).order_by(AuditEvent.sequence)).all()
    assert report.entries == len(events) and all(e.detail["demo"] is True for e in events)
    created = events[-1]
    assert (created.action, created.object_type, created.clinician_id) == ("create", "clinic", None)
    assert created.detail["notes"] == monday_demo[1].notes

    changes = Counter(e.detail["change"] for e in events if e.action == "account_change")
    assert changes == {"first_administrator": 1, "created": 3, "password_changed": 3}
    accounts = {e.object_id for e in events if e.action == "account_change"}
    assert accounts == {str(i) for i in monday.scalars(select(Clinician.id))}
    imports = [e.object_type for e in events if e.action == "import"]
    assert imports == ["clinic_config", "roster"]  # the setup file, then the admissions

    on_notes = Counter(
        (e.action, e.clinician_id, e.object_id)
        for e in events
        if e.object_type == "participant_note" and e.action != "create"
    )
    expected = Counter(
        ("cosign" if s.role == "cosigner" else "sign", s.clinician_id, str(s.note_id))
        for s in monday.scalars(select(Signature))
    )
    expected.update(
        ("return", r.clinician_id, str(r.note_id)) for r in monday.scalars(select(NoteReview))
    )
    expected.update(
        ("addendum", a.author_id, str(a.note_id)) for a in monday.scalars(select(Addendum))
    )
    assert on_notes == expected
    assert {k[0] for k in expected} == {"sign", "cosign", "return", "addendum"}
    drafted = {
        (e.clinician_id, e.object_id)
        for e in events
        if e.object_type == "participant_note" and e.action == "create"
    }
    notes = monday.scalars(select(ParticipantNote)).all()
    assert drafted == {(n.author_id, str(n.id)) for n in notes}  # written in the runner
    signed_discharges = monday.scalars(select(Discharge).where(Discharge.signed_by.is_not(None)))
    assert {(e.action, e.object_id) for e in events if e.object_type == "discharge"} == {
        ("create", str(d.id)) for d in monday.scalars(select(Discharge))
    } | {("sign", str(d.id)) for d in signed_discharges}


def test_second_demo_is_refused_and_changes_nothing(
    monday_demo: DemoClinic, tmp_path: Path
) -> None:
    path = tmp_path / "facilitator.db"
    shutil.copyfile(monday_demo[0], path)
    before = _dump(path)
    database = open_database(path, TEST_KEY)
    try:
        with pytest.raises(DemoRefusedError, match="already holds a clinic"):
            create_demo_clinic(database, DEMO_MONDAY + timedelta(days=1), AUDIT)
    finally:
        database.close()
    assert _dump(path) == before
