"""The session sheet: one group's day, block by block, as the runner shows it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteProgress, NoteStatus
from facilitator.services.session_sheet import BlockSheet, RosterEntry, SessionSheet
from facilitator.storage.models import Enrollment, Group, GroupSession, Participant
from tests.clinic_copies import demo_copy

DEMO_MONDAY = date(2026, 11, 23)
LAST_MONDAY = DEMO_MONDAY - timedelta(weeks=1)
LAST_WEEK = [LAST_MONDAY + timedelta(days=d) for d in range(4)]  # Monday to Thursday
MORNING = "Adult IOP Morning"
EVENING = "Adult IOP Evening"
LOCKED = {s for s in NoteStatus if s.locked}  # the demo returned one note: still locked


@dataclass(frozen=True)
class Member:
    participant_id: uuid.UUID
    legal_last: str
    group: str
    period: EnrollmentPeriod


@pytest.fixture(scope="module")
def clinic(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Clinic]:
    """The Monday demo clinic; these tests only read it."""
    opened = open_clinic(demo_copy(demo_clinic, tmp_path_factory.mktemp("sheet-demo") / "c"))
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="module")
def members(clinic: Clinic) -> list[Member]:
    """Every enrollment of the demo clinic, read straight from the tables."""
    with clinic.database.sessions() as session:
        rows = session.execute(
            select(Enrollment, Participant).join(
                Participant, Enrollment.participant_id == Participant.id
            )
        ).all()
        return [
            Member(
                participant_id=participant.id,
                legal_last=participant.legal_last,
                group=enrollment.group.name,
                period=EnrollmentPeriod(enrollment.admitted, enrollment.discharged),
            )
            for enrollment, participant in rows
        ]


SheetFor = Callable[[str, date], SessionSheet]


@pytest.fixture(scope="module")
def sheet_for(clinic: Clinic) -> SheetFor:
    """The sheet of one group's session on one day, loaded once per module."""
    loaded: dict[tuple[str, date], SessionSheet] = {}

    def sheet(group: str, day: date) -> SessionSheet:
        if (group, day) not in loaded:
            with clinic.database.sessions() as session:
                ids = session.scalars(
                    select(GroupSession.id)
                    .join(Group)
                    .where(Group.name == group, GroupSession.day == day)
                ).all()
            assert len(ids) == 1, (group, day)
            loaded[group, day] = clinic.runner.sheet(ids[0])
        return loaded[group, day]

    return sheet


def active(members: list[Member], group: str, day: date) -> set[uuid.UUID]:
    return {m.participant_id for m in members if m.group == group and m.period.is_active_on(day)}


def roster_ids(block: BlockSheet) -> set[uuid.UUID]:
    return {e.participant_id for e in block.roster}


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def expected_minutes(entry: RosterEntry, block: BlockSheet) -> int:
    """Minutes computed here from the raw times, independently of the domain function."""
    assert entry.attendance is not None
    if not entry.attendance.status.attended:
        return 0
    start = max(entry.attendance.arrived or block.span.start, block.span.start)
    end = min(entry.attendance.left or block.span.end, block.span.end)
    return max(0, minutes_between(start, end))


def test_todays_sheet_has_three_blocks_in_time_order(sheet_for: SheetFor) -> None:
    sheet = sheet_for(MORNING, DEMO_MONDAY)
    assert (sheet.group, sheet.room, sheet.day) == (MORNING, "Room 2 (Cedar)", DEMO_MONDAY)
    assert sheet.template.code == "GIRP"
    assert [b.sequence for b in sheet.blocks] == [1, 2, 3]
    assert [b.planned.start for b in sheet.blocks] == [time(9), time(10), time(11)]
    assert [b.planned.end for b in sheet.blocks] == [time(10), time(11), time(12)]
    assert [b.modality_code for b in sheet.blocks] == ["CBT", "RP", "PSYED"]
    for block in sheet.blocks:
        assert block.modality.strip()
        assert block.intervention_choices
        assert block.topic_id is not None and block.topic.strip()
        assert block.free_topic is None
        assert block.actual_start is None and block.actual_end is None
        assert block.facilitators == "Morgan Reyes"
        assert block.lead_id is not None


def test_todays_rosters_are_the_active_members_without_attendance(
    sheet_for: SheetFor, members: list[Member]
) -> None:
    expected = active(members, MORNING, DEMO_MONDAY)
    assert len(expected) == 13  # 14 enrolled, one discharged last week
    for block in sheet_for(MORNING, DEMO_MONDAY).blocks:
        assert roster_ids(block) == expected
        assert len(block.roster) == len(expected)  # nobody listed twice
        for entry in block.roster:
            assert entry.attendance is None
            assert entry.note is None
            assert entry.progress is None
            assert not entry.removed
            assert entry.name.strip() and entry.chart_number.startswith("IOP-")
            assert 2 <= len(entry.goals) <= 3
        assert block.present == 0
        assert block.minutes == 0


def test_rosters_are_sorted_by_last_name(sheet_for: SheetFor, members: list[Member]) -> None:
    last_names = {m.participant_id: m.legal_last for m in members}
    for group in (MORNING, EVENING):
        for block in sheet_for(group, DEMO_MONDAY).blocks:
            lasts = [last_names[e.participant_id].casefold() for e in block.roster]
            assert lasts == sorted(lasts)
            assert len(set(lasts)) > 1  # a meaningful order, not a single name


def test_other_groups_participants_never_appear(sheet_for: SheetFor, members: list[Member]) -> None:
    for group, other in ((MORNING, EVENING), (EVENING, MORNING)):
        others = {m.participant_id for m in members if m.group == other}
        assert others
        for day in [*LAST_WEEK, DEMO_MONDAY]:
            for block in sheet_for(group, day).blocks:
                assert not roster_ids(block) & others, (group, day, block.sequence)


def test_past_sessions_roster_is_who_was_enrolled_that_day(
    sheet_for: SheetFor, members: list[Member]
) -> None:
    then = active(members, MORNING, LAST_MONDAY)
    assert then != active(members, MORNING, DEMO_MONDAY)  # admissions since then
    for block in sheet_for(MORNING, LAST_MONDAY).blocks:
        assert roster_ids(block) == then


def test_past_session_shows_attendance_minutes_and_signed_notes(sheet_for: SheetFor) -> None:
    sheet = sheet_for(MORNING, LAST_MONDAY)
    assert len(sheet.blocks) == 3
    for block in sheet.blocks:
        assert block.actual_start == block.planned.start
        assert block.actual_end == block.planned.end
        assert block.group_note.strip() and block.interventions
        for entry in block.roster:
            assert entry.attendance is not None
            assert entry.attendance.minutes == expected_minutes(entry, block)
            if entry.attendance.status.attended:
                assert entry.note is not None
                assert entry.note.status is NoteStatus.SIGNED  # the lead signs alone
                assert entry.progress is NoteProgress.SIGNED
                assert entry.note.draft.template == "GIRP"
                assert entry.note.draft.fields["goal"].strip()
            else:
                assert entry.attendance.minutes == 0
                assert entry.note is None
                assert entry.progress is None


def test_last_weeks_sheets_show_every_status_with_its_minutes(sheet_for: SheetFor) -> None:
    seen: dict[AttendanceStatus, list[int]] = {}
    for group in (MORNING, EVENING):
        for day in LAST_WEEK:
            for block in sheet_for(group, day).blocks:
                for entry in block.roster:
                    assert entry.attendance is not None
                    seen.setdefault(entry.attendance.status, []).append(entry.attendance.minutes)
                    if entry.note is not None:
                        assert entry.note.status in LOCKED
                        assert entry.progress is NoteProgress.SIGNED
    assert set(seen) == set(AttendanceStatus)
    assert set(seen[AttendanceStatus.PRESENT]) == {60}
    assert all(0 < m < 60 for m in seen[AttendanceStatus.LATE])
    assert set(seen[AttendanceStatus.LATE]) <= {55, 50, 45, 40}  # 5 to 20 minutes late
    assert all(0 < m < 60 for m in seen[AttendanceStatus.LEFT_EARLY])
    assert set(seen[AttendanceStatus.ABSENT_EXCUSED]) == {0}
    assert set(seen[AttendanceStatus.ABSENT_UNEXCUSED]) == {0}


def test_block_totals_count_attendees_and_their_minutes(sheet_for: SheetFor) -> None:
    checked = 0
    for day in LAST_WEEK:
        for block in sheet_for(MORNING, day).blocks:
            attended = [
                e for e in block.roster if e.attendance is not None and e.attendance.status.attended
            ]
            assert block.present == len(attended)
            assert block.minutes == sum(expected_minutes(e, block) for e in attended)
            assert block.minutes <= 60 * block.present
            checked += block.present < len(block.roster)  # some blocks have absences
    assert checked > 0


def test_discharged_participant_leaves_the_roster_after_discharge(
    sheet_for: SheetFor, members: list[Member]
) -> None:
    discharged = [m for m in members if m.group == MORNING and m.period.discharged is not None]
    assert len(discharged) == 1
    leaver = discharged[0]
    discharge_day = leaver.period.discharged
    assert discharge_day == date(2026, 11, 17)  # last Tuesday
    for block in sheet_for(MORNING, discharge_day).blocks:
        entry = block.entry(leaver.participant_id)  # the discharge day still counts
        assert entry.attendance is not None
    for day in (discharge_day + timedelta(days=1), DEMO_MONDAY):
        for block in sheet_for(MORNING, day).blocks:
            assert leaver.participant_id not in roster_ids(block)
            with pytest.raises(KeyError):
                block.entry(leaver.participant_id)


def test_unknown_session_is_refused(clinic: Clinic) -> None:
    with pytest.raises(DomainError, match="no longer exists"):
        clinic.runner.sheet(uuid.uuid4())
