"""Every day's sessions come from the schedule: reading a date writes nothing, opening a block
makes the session once, and closures and block changes show and hold (a real SQLCipher clinic)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from facilitator.app import Clinic
from facilitator.documents.common import DocumentNotFoundError
from facilitator.documents.requests import (
    AttendanceReportRequest,
    SessionRecordRequest,
    SignInSheetRequest,
)
from facilitator.domain.attendance import AttendanceMode, AttendanceStatus
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services.account_admin import AccountAdministration
from facilitator.storage.models import (
    AuditEvent,
    Base,
    Block,
    BlockTemplate,
    Clinician,
    Enrollment,
    Group,
    GroupSession,
    ScheduleException,
)
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document
from tests.clinic_copies import clinic_copy
from tests.storage_backends import Storage
from tests.users import signed_in

DEMO_MONDAY = date(2026, 11, 23)
TUESDAY = DEMO_MONDAY + timedelta(weeks=3, days=1)  # 2026-12-15
MORNING = "Adult IOP Morning"


@pytest.fixture
def clinic(
    storage: Storage, demo_clinics: Callable[[Storage], tuple[Path, dict[str, str]]], tmp_path: Path
) -> Iterator[Clinic]:
    """A copy of the demo clinic, on SQLCipher and on PostgreSQL."""
    with clinic_copy(demo_clinics(storage)[0], tmp_path / "clinic", storage) as copy:
        yield copy


@pytest.fixture
def admin(clinic: Clinic) -> SignedInUser:
    return signed_in(clinic.database, "admin")


def row_counts(clinic: Clinic) -> dict[str, int]:
    with unit_of_work(clinic.database) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def group_id(clinic: Clinic, name: str = MORNING) -> uuid.UUID:
    with unit_of_work(clinic.database) as session:
        return session.scalars(select(Group.id).where(Group.name == name)).one()


def template_at(clinic: Clinic, day: date, hour: int, name: str = MORNING) -> uuid.UUID:
    with unit_of_work(clinic.database) as session:
        return session.scalars(
            select(BlockTemplate.id).where(
                BlockTemplate.group_id == group_id(clinic, name),
                BlockTemplate.weekday == day.weekday(),
                BlockTemplate.start == time(hour),
            )
        ).one()


def enrolled_on(clinic: Clinic, name: str, day: date) -> int:
    with unit_of_work(clinic.database) as session:
        rows = session.scalars(
            select(Enrollment).where(Enrollment.group_id == group_id(clinic, name))
        ).all()
        return sum(EnrollmentPeriod(e.admitted, e.discharged).is_active_on(day) for e in rows)


def morning(clinic: Clinic, day: date = TUESDAY) -> list[object]:
    return [r for r in clinic.day_blocks(day) if r.group == MORNING]


def test_a_tuesday_three_weeks_on_shows_its_blocks_and_roster_and_writes_nothing(
    clinic: Clinic,
) -> None:
    before = row_counts(clinic)
    rows = clinic.day_blocks(TUESDAY)
    plans = clinic.day_plan(TUESDAY)
    assert row_counts(clinic) == before  # no session, block or audit entry was written
    assert [p.group for p in plans] == ["Adult IOP Morning", "Adult IOP Evening"]
    mine = [r for r in rows if r.group == MORNING]
    assert [(r.start, r.end, r.modality) for r in mine] == [
        (time(9), time(10), "Cognitive behavioral therapy"),
        (time(10), time(11), "Relapse prevention"),
        (time(11), time(12), "Psychoeducation"),
    ]
    expected = enrolled_on(clinic, MORNING, TUESDAY)
    assert expected == 13  # fourteen admitted, one discharged before
    assert {(r.session_id, r.block_id, r.notes_due, r.room) for r in mine} == {
        (None, None, expected, "Room 2 (Cedar)")
    }
    assert {r.facilitators for r in mine} == {"Morgan Reyes"}
    assert clinic.day_blocks(DEMO_MONDAY + timedelta(days=5)) == []  # a Saturday: no group


def test_opening_a_planned_block_makes_the_session_once(
    clinic: Clinic, admin: SignedInUser
) -> None:
    gid = group_id(clinic)
    first = clinic.open_session(admin, gid, TUESDAY)
    again = clinic.open_session(admin, gid, TUESDAY)
    assert first == again
    with unit_of_work(clinic.database) as session:
        made = session.get(GroupSession, first)
        assert made is not None
        blocks = made.blocks
        assert [(b.sequence, b.planned_start) for b in blocks] == [
            (1, time(9)),
            (2, time(10)),
            (3, time(11)),
        ]
        assert all(b.template_id is not None and b.room is None for b in blocks)
        lead = made.group.default_facilitator_id
        assert [[(f.clinician_id, f.role) for f in b.facilitators] for b in blocks] == [
            [(lead, "lead")]
        ] * 3
        created = session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == "group_session", AuditEvent.object_id == str(first)
            )
        ).all()
        assert [(e.action, e.object_id, e.clinician_id) for e in created] == [
            ("create", str(first), admin.id)
        ]
    rows = morning(clinic)
    assert {r.session_id for r in rows} == {first}  # Today now shows the session's rows
    sheet = clinic.runner.sheet(first)
    assert len(sheet.blocks) == 3 and len(sheet.blocks[0].roster) == 13


def test_a_made_session_does_not_move_when_the_schedule_changes(
    clinic: Clinic, admin: SignedInUser
) -> None:
    session_id = clinic.open_session(admin, group_id(clinic), TUESDAY)
    with unit_of_work(clinic.database) as session:  # the schedule changes from that week on
        for template in session.scalars(select(BlockTemplate)):
            template.effective_until = TUESDAY - timedelta(days=1)
    assert [r.start for r in morning(clinic)] == [time(9), time(10), time(11)]
    assert {r.session_id for r in morning(clinic)} == {session_id}
    assert morning(clinic, TUESDAY + timedelta(weeks=1)) == []  # no entries in force later


def test_a_closed_day_shows_closed_and_cannot_be_opened(
    clinic: Clinic, admin: SignedInUser
) -> None:
    christmas_eve = date(2026, 12, 24)
    exception_id = clinic.schedule_exceptions(admin).close_day(christmas_eve, "Holiday")
    rows = clinic.day_blocks(christmas_eve)
    assert len(rows) == 6 and {r.marker for r in rows} == {"closed: Holiday"}
    assert {r.notes_due for r in rows} == {0}
    assert {p.closed for p in clinic.day_plan(christmas_eve)} == {"Holiday"}
    with pytest.raises(DomainError, match=r"the day is closed \(Holiday\)"):
        clinic.open_session(admin, group_id(clinic), christmas_eve)
    clinic.schedule_exceptions(admin).withdraw(exception_id)
    assert {r.marker for r in clinic.day_blocks(christmas_eve)} == {None}
    with unit_of_work(clinic.database) as session:
        entries = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_id == str(exception_id))
            .order_by(AuditEvent.sequence)
        ).all()
        assert [(e.action, e.clinician_id, e.detail.get("withdrawn")) for e in entries] == [
            ("create", admin.id, None),
            ("edit", admin.id, True),
        ]
    with pytest.raises(DomainError, match="already withdrawn"):
        clinic.schedule_exceptions(admin).withdraw(exception_id)
    clinic.open_session(admin, group_id(clinic), christmas_eve)


def test_closing_one_group_leaves_the_other(clinic: Clinic, admin: SignedInUser) -> None:
    clinic.schedule_exceptions(admin).close_day(TUESDAY, "Staff retreat", group_id(clinic))
    markers = {(r.group, r.marker) for r in clinic.day_blocks(TUESDAY)}
    assert markers == {(MORNING, "closed: Staff retreat"), ("Adult IOP Evening", None)}


def test_closing_a_made_but_unused_session_takes_it_away(
    clinic: Clinic, admin: SignedInUser
) -> None:
    clinic.open_session(admin, group_id(clinic), TUESDAY)  # its sign-in sheet was printed
    clinic.schedule_exceptions(admin).close_day(TUESDAY, "Snow")
    with unit_of_work(clinic.database) as session:
        assert session.scalar(select(GroupSession).where(GroupSession.day == TUESDAY)) is None
    assert {r.marker for r in morning(clinic)} == {"closed: Snow"}


def test_a_day_with_attendance_cannot_be_closed_or_its_block_cancelled(
    clinic: Clinic, admin: SignedInUser
) -> None:
    last_thursday = DEMO_MONDAY - timedelta(days=4)
    before = row_counts(clinic)
    exceptions = clinic.schedule_exceptions(admin)
    with pytest.raises(DomainError, match="holds attendance or notes, so it cannot be closed"):
        exceptions.close_day(last_thursday, "Snow")
    with pytest.raises(DomainError, match="mark who was absent with the reason"):
        exceptions.cancel_block(
            group_id(clinic), last_thursday, template_at(clinic, last_thursday, 9), "Ill"
        )
    assert row_counts(clinic) == before


def test_a_moved_block_shows_its_new_time_and_overlaps_are_refused(
    clinic: Clinic, admin: SignedInUser
) -> None:
    exceptions = clinic.schedule_exceptions(admin)
    nine = template_at(clinic, TUESDAY, 9)
    with pytest.raises(DomainError, match="overlap"):
        exceptions.move_block(group_id(clinic), TUESDAY, nine, time(10, 30), time(11, 30), "x")
    exceptions.move_block(
        group_id(clinic), TUESDAY, nine, time(13), time(14), "Room booked", "Room 5"
    )
    rows = morning(clinic)
    assert [(r.start, r.modality, r.room) for r in rows][-1] == (
        time(13),
        "Cognitive behavioral therapy",
        "Room 5",
    )
    assert rows[-1].changes == ("moved from 09:00-10:00: Room booked",)
    session_id = clinic.open_session(admin, group_id(clinic), TUESDAY)
    sheet = clinic.runner.sheet(session_id)
    assert [b.planned.start for b in sheet.blocks] == [time(10), time(11), time(13)]
    assert [b.room for b in sheet.blocks] == ["Room 2 (Cedar)", "Room 2 (Cedar)", "Room 5"]
    record = clinic.load_document(SessionRecordRequest(session_id))
    assert [b.other_room for b in record.blocks] == [None, None, "Room 5"]  # type: ignore[attr-defined]


def test_a_cancelled_block_is_shown_cancelled_and_not_made(
    clinic: Clinic, admin: SignedInUser
) -> None:
    gid = group_id(clinic)
    session_id = clinic.open_session(admin, gid, TUESDAY)
    clinic.schedule_exceptions(admin).cancel_block(
        gid, TUESDAY, template_at(clinic, TUESDAY, 10), "Staff training"
    )
    rows = morning(clinic)
    assert [(r.start, r.marker, r.session_id) for r in rows] == [
        (time(9), None, session_id),
        (time(10), "cancelled: Staff training", None),
        (time(11), None, session_id),
    ]
    assert [b.sequence for b in clinic.runner.sheet(session_id).blocks] == [1, 2]


def test_an_extra_block_and_a_substitute_follow_into_the_made_session(
    clinic: Clinic, admin: SignedInUser
) -> None:
    gid = group_id(clinic)
    session_id = clinic.open_session(admin, gid, TUESDAY)
    exceptions = clinic.schedule_exceptions(admin)
    with unit_of_work(clinic.database) as session:
        jordan = session.scalars(select(Clinician.id).where(Clinician.username == "jlee")).one()
    exceptions.substitute(gid, TUESDAY, jordan, "Morgan on leave")
    extra = exceptions.add_extra_block(gid, TUESDAY, time(12), time(13), "MI", "Family night")
    rows = morning(clinic)
    assert {r.facilitators for r in rows} == {"Jordan Lee"}
    assert [(r.start, r.modality) for r in rows][-1] == (time(12), "Motivational interviewing")
    with unit_of_work(clinic.database) as session:
        blocks = session.scalars(select(Block).where(Block.session_id == session_id)).all()
        assert sorted(b.template_id is None for b in blocks) == [False, False, False, True]
    exceptions.withdraw(extra)
    assert len(clinic.runner.sheet(session_id).blocks) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("empty_reason", "Give a reason"),
        ("unknown_modality", 'no modality "YOGA"'),
        ("deactivated", "deactivated"),
        ("twice", "already closed"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_saved(
    clinic: Clinic, admin: SignedInUser, change: str, message: str
) -> None:
    exceptions = clinic.schedule_exceptions(admin)
    gid = group_id(clinic)
    if change == "deactivated":
        with unit_of_work(clinic.database) as session:
            sam = session.scalars(select(Clinician).where(Clinician.username == "sokafor")).one()
        AccountAdministration(clinic.database, clinic.audit).set_active(admin, sam.id, False)
    if change == "twice":
        exceptions.close_day(TUESDAY, "Snow")
    before = row_counts(clinic)
    with pytest.raises(DomainError, match=message):
        if change == "empty_reason":
            exceptions.close_day(TUESDAY, "   ")
        elif change == "unknown_modality":
            exceptions.add_extra_block(gid, TUESDAY, time(12), time(13), "YOGA", "Guest")
        elif change == "deactivated":
            exceptions.substitute(gid, TUESDAY, sam.id, "Cover")
        else:
            exceptions.close_day(TUESDAY, "Snow again")
    assert row_counts(clinic) == before


def test_only_administrators_and_supervisors_change_a_day(clinic: Clinic) -> None:
    with pytest.raises(DomainError, match="administrator or a supervisor"):
        clinic.schedule_exceptions(signed_in(clinic.database, "mreyes"))
    supervisor = signed_in(clinic.database, "jlee")
    exception_id = clinic.schedule_exceptions(supervisor).close_day(TUESDAY, "Snow")
    with unit_of_work(clinic.database) as session:
        row = session.get(ScheduleException, exception_id)
        assert row is not None and row.created_by == supervisor.id
        entry = session.scalars(
            select(AuditEvent).where(AuditEvent.object_id == str(exception_id))
        ).one()
        assert entry.detail == {
            "kind": "closed",
            "day": "2026-12-15",
            "group_id": None,
            "template_id": None,
        }


def test_a_closed_day_is_not_under_the_minimum_in_the_attendance_report(
    clinic: Clinic, admin: SignedInUser
) -> None:
    thursday = DEMO_MONDAY - timedelta(days=4)
    request = AttendanceReportRequest(thursday - timedelta(days=3), thursday, group_id(clinic))
    before = {r.chart_number: r for r in clinic.load_document(request).rows}  # type: ignore[attr-defined]
    short = {c for c, r in before.items() if thursday in {d.day for d in r.short_days}}
    assert short  # someone was absent or left early that day
    chart = clinic.documents.participant_id(sorted(short)[0])
    record_days = clinic.participant_record(chart, DEMO_MONDAY).short_days
    assert thursday in {d.day for d in record_days}
    with unit_of_work(clinic.database) as session:  # the clinic closed early that day (snow)
        session.add(ScheduleException(day=thursday, group_id=None, kind="closed", reason="Snow"))
    report = clinic.load_document(request)
    for row in report.rows:  # type: ignore[attr-defined]
        assert thursday not in {d.day for d in row.short_days}
        was = before[row.chart_number]
        met = int(thursday in {d.day for d in was.days})
        assert row.weeks[0].sessions_held == was.weeks[0].sessions_held - met
    record_days = clinic.participant_record(chart, DEMO_MONDAY).short_days
    assert thursday not in {d.day for d in record_days}  # the chart agrees


def test_a_sign_in_sheet_printed_before_the_group_makes_its_session(
    clinic: Clinic, admin: SignedInUser
) -> None:
    session_id = clinic.documents.session_id(MORNING, TUESDAY, admin.id)
    assert clinic.documents.session_id(MORNING, TUESDAY, admin.id) == session_id
    sheet = clinic.load_document(SignInSheetRequest(session_id))
    assert sheet.provenance is not None
    assert {r.session_id for r in morning(clinic)} == {session_id}
    clinic.schedule_exceptions(admin).close_day(TUESDAY + timedelta(days=1), "Holiday")
    with pytest.raises(DocumentNotFoundError, match=r"closed \(Holiday\)"):
        clinic.documents.session_id(MORNING, TUESDAY + timedelta(days=1), admin.id)


def test_the_session_record_pdf_says_who_attended_by_video(
    clinic: Clinic, admin: SignedInUser, tmp_path: Path
) -> None:
    session_id = clinic.documents.session_id(MORNING, TUESDAY, admin.id)
    sheet = clinic.runner.sheet(session_id)
    block = sheet.blocks[0]
    clinic.runner.mark_all_present(block.block_id, session_id)
    remote = block.roster[0]
    clinic.runner.record_attendance(
        block.block_id, remote.participant_id, AttendanceStatus.PRESENT, mode=AttendanceMode.VIDEO
    )
    result = export_document(clinic, admin, SessionRecordRequest(session_id), tmp_path / "s.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(result.path).pages)
    flat = " ".join(text.split())
    assert f"{remote.record_name} {remote.chart_number} Present, by video" in flat
    assert flat.count("by video") == 1


def test_a_substitute_on_a_day_under_way_is_given_block_by_block(
    clinic: Clinic, admin: SignedInUser
) -> None:
    gid = group_id(clinic)
    session_id = clinic.open_session(admin, gid, DEMO_MONDAY)  # the demo's session of today
    sheet = clinic.runner.sheet(session_id)
    clinic.runner.mark_all_present(sheet.blocks[0].block_id, session_id)  # the first block ran
    with unit_of_work(clinic.database) as session:
        jordan = session.scalars(select(Clinician.id).where(Clinician.username == "jlee")).one()
    exceptions = clinic.schedule_exceptions(admin)
    before = row_counts(clinic)
    with pytest.raises(DomainError, match="Give the substitute block by block"):
        exceptions.substitute(gid, DEMO_MONDAY, jordan, "Morgan went home ill")
    assert row_counts(clinic) == before
    exceptions.substitute(
        gid, DEMO_MONDAY, jordan, "Morgan went home ill", template_at(clinic, DEMO_MONDAY, 11)
    )
    after = clinic.runner.sheet(session_id)
    assert [b.facilitators for b in after.blocks] == ["Morgan Reyes", "Morgan Reyes", "Jordan Lee"]
    assert [b.block_id for b in after.blocks] == [b.block_id for b in sheet.blocks]  # same rows
