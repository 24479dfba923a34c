"""Running a session: block times, topic, group note, attendance, roster changes and drafts."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from facilitator.app import Clinic, open_clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError, InvalidTimesError
from facilitator.domain.notes import NoteProgress, NoteStatus
from facilitator.services.session_runner import SessionRunner
from facilitator.services.session_sheet import (
    AttendanceRow,
    BlockSheet,
    NoteDraft,
    RiskFlags,
    RosterEntry,
    SessionSheet,
)
from facilitator.storage.models import CurriculumTopic, Enrollment, Group, GroupSession

DEMO_MONDAY = date(2026, 11, 23)
LAST_MONDAY = DEMO_MONDAY - timedelta(weeks=1)
MORNING = "Adult IOP Morning"
EVENING = "Adult IOP Evening"
GIRP_COMPLETE = {
    "goal": "Identify high-risk situations",
    "intervention": "Facilitator led a thought-record exercise",
    "response": "Participant named two triggers and a coping plan",
    "plan": "Practise the thought record daily",
}

NoteRows = dict[uuid.UUID, tuple[Any, ...]]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Monday demo clinic, built once and closed; tests work on copies of the folder."""
    folder = tmp_path_factory.mktemp("runner-demo") / "clinic"
    clinic = open_clinic(folder)
    try:
        clinic.create_demo(DEMO_MONDAY)
    finally:
        clinic.close()
    return folder


@pytest.fixture
def clinic(demo_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    """A private copy of the demo clinic (database and key information) a test may change."""
    folder = tmp_path / "clinic"
    shutil.copytree(demo_folder, folder)
    opened = open_clinic(folder)
    yield opened
    opened.close()


def session_id(clinic: Clinic, group: str, day: date) -> uuid.UUID:
    with clinic.database.sessions() as session:
        found = session.scalars(
            select(GroupSession.id).join(Group).where(Group.name == group, GroupSession.day == day)
        ).all()
    assert len(found) == 1, (group, day)
    return found[0]


@dataclass(frozen=True)
class Run:
    """One group's session: `start` as it was when the test began, `sheet()` as it is now."""

    runner: SessionRunner
    start: SessionSheet

    @classmethod
    def of(cls, clinic: Clinic, group: str, day: date) -> Run:
        runner = clinic.runner
        return cls(runner, runner.sheet(session_id(clinic, group, day)))

    @property
    def session_id(self) -> uuid.UUID:
        return self.start.session_id

    def block_id(self, sequence: int) -> uuid.UUID:
        return self.start.blocks[sequence - 1].block_id

    def member(self, index: int) -> uuid.UUID:
        """The index-th participant on the first block's roster (roster order)."""
        return self.start.blocks[0].roster[index].participant_id

    def sheet(self) -> SessionSheet:
        return self.runner.sheet(self.session_id)

    def block(self, sequence: int) -> BlockSheet:
        return self.sheet().blocks[sequence - 1]

    def entry(self, sequence: int, participant_id: uuid.UUID) -> RosterEntry:
        return self.block(sequence).entry(participant_id)


@pytest.fixture
def today(clinic: Clinic) -> Run:
    """The morning group's session today: three blocks, attendance not yet taken."""
    return Run.of(clinic, MORNING, DEMO_MONDAY)


@pytest.fixture
def last_week(clinic: Clinic) -> Run:
    """The morning group's session a week ago: attendance taken, notes signed."""
    return Run.of(clinic, MORNING, LAST_MONDAY)


def note_rows(clinic: Clinic) -> NoteRows:
    """Every participant note row exactly as stored, by note id."""
    with clinic.database.engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM participant_note")).all()
    return {uuid.UUID(str(row._mapping["id"])): tuple(row) for row in rows}


def taken(entry: RosterEntry) -> AttendanceRow:
    """The entry's attendance, which the test has already recorded."""
    assert entry.attendance is not None, entry.name
    return entry.attendance


def girp(fields: dict[str, str], **extra: Any) -> NoteDraft:
    return NoteDraft(template="GIRP", fields=fields, **extra)


# Block times ------------------------------------------------------------------------------


def test_start_and_end_record_actual_times(today: Run) -> None:
    block_id = today.block_id(1)
    today.runner.start_block(block_id, time(9, 4))
    today.runner.end_block(block_id, time(10, 2))
    sheet = today.sheet()
    block = sheet.blocks[0]
    assert (block.actual_start, block.actual_end) == (time(9, 4), time(10, 2))
    assert (block.planned.start, block.planned.end) == (time(9), time(10))
    assert (block.span.start, block.span.end) == (time(9, 4), time(10, 2))
    assert sheet.blocks[1].actual_start is None  # only that block


def test_end_before_start_is_refused(today: Run) -> None:
    block_id = today.block_id(1)
    today.runner.start_block(block_id, time(9, 10))
    with pytest.raises(InvalidTimesError):
        today.runner.end_block(block_id, time(9, 5))
    assert today.block(1).actual_end is None


def test_end_before_planned_start_is_refused_when_not_started(today: Run) -> None:
    with pytest.raises(InvalidTimesError):
        today.runner.end_block(today.block_id(1), time(8, 30))
    assert today.block(1).actual_end is None


def test_start_after_end_is_refused(today: Run) -> None:
    block_id = today.block_id(1)
    today.runner.start_block(block_id, time(9))
    today.runner.end_block(block_id, time(10))
    with pytest.raises(DomainError, match="already ended"):
        today.runner.start_block(block_id, time(10, 5))
    assert today.block(1).actual_start == time(9)


# Topic and group note ---------------------------------------------------------------------


def topics_by_modality(clinic: Clinic) -> dict[str, list[tuple[uuid.UUID, str]]]:
    with clinic.database.sessions() as session:
        found: dict[str, list[tuple[uuid.UUID, str]]] = {}
        for topic in session.scalars(select(CurriculumTopic)):
            found.setdefault(topic.modality.code, []).append((topic.id, topic.title))
    return found


def test_topic_of_the_blocks_modality_is_set(clinic: Clinic, today: Run) -> None:
    block = today.start.blocks[0]
    choices = [t for t in topics_by_modality(clinic)[block.modality_code] if t[0] != block.topic_id]
    topic_id, title = choices[0]
    today.runner.set_topic(block.block_id, topic_id)
    after = today.block(1)
    assert (after.topic_id, after.topic, after.free_topic) == (topic_id, title, None)


def test_topic_of_another_modality_is_refused(clinic: Clinic, today: Run) -> None:
    block = today.start.blocks[0]
    others = [
        topic
        for code, topics in topics_by_modality(clinic).items()
        if code != block.modality_code
        for topic in topics
    ]
    assert others
    with pytest.raises(DomainError, match="not in this block's curriculum"):
        today.runner.set_topic(block.block_id, others[0][0])
    with pytest.raises(DomainError, match="not in this block's curriculum"):
        today.runner.set_topic(block.block_id, uuid.uuid4())
    after = today.block(1)
    assert (after.topic_id, after.topic) == (block.topic_id, block.topic)


def test_free_topic_replaces_the_curriculum_topic(clinic: Clinic, today: Run) -> None:
    block_id = today.block_id(1)
    today.runner.set_topic(block_id, None, "  Coping with the holidays  ")
    after = today.block(1)
    assert (after.topic_id, after.free_topic) == (None, "Coping with the holidays")
    assert after.topic == "Coping with the holidays"
    topic_id, title = topics_by_modality(clinic)[after.modality_code][0]
    today.runner.set_topic(block_id, topic_id)  # and back to the curriculum
    again = today.block(1)
    assert (again.topic_id, again.topic, again.free_topic) == (topic_id, title, None)


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_empty_free_topic_is_refused(today: Run, empty: str | None) -> None:
    before = today.start.blocks[0]
    with pytest.raises(DomainError, match="Give the topic a title"):
        today.runner.set_topic(before.block_id, None, empty)
    after = today.block(1)
    assert (after.topic_id, after.topic) == (before.topic_id, before.topic)


def test_group_note_round_trip(today: Run) -> None:
    block = today.start.blocks[1]
    chosen = block.intervention_choices[:2]
    summary = "Group identified triggers and practised refusal skills in pairs."
    today.runner.save_group_note(block.block_id, chosen, "Grounding exercise", summary)
    sheet = today.sheet()
    after = sheet.blocks[1]
    assert after.interventions == chosen
    assert (after.other_interventions, after.group_note) == ("Grounding exercise", summary)
    assert sheet.blocks[0].group_note == ""  # the other blocks keep theirs
    today.runner.save_group_note(block.block_id, [], "", "Shortened group.")
    again = today.block(2)
    assert (again.interventions, again.other_interventions) == ((), "")
    assert again.group_note == "Shortened group."


# Attendance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "arrived", "left", "minutes"),
    [
        (AttendanceStatus.PRESENT, None, None, 60),
        (AttendanceStatus.LATE, time(9, 20), None, 40),
        (AttendanceStatus.LEFT_EARLY, None, time(9, 45), 45),
        (AttendanceStatus.PRESENT, time(9, 10), time(9, 50), 40),
    ],
)
def test_attended_statuses_keep_their_times(
    today: Run, status: AttendanceStatus, arrived: time | None, left: time | None, minutes: int
) -> None:
    person = today.member(0)
    today.runner.record_attendance(
        today.block_id(1), person, status, arrived, left, absence_reason="ignored"
    )
    entry = today.entry(1, person)
    assert entry.attendance is not None
    assert entry.attendance.status is status
    assert (entry.attendance.arrived, entry.attendance.left) == (arrived, left)
    assert entry.attendance.absence_reason is None  # only an absence has a reason
    assert entry.attendance.minutes == minutes
    assert entry.progress is NoteProgress.DUE


@pytest.mark.parametrize(
    "status", [AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED]
)
def test_absence_clears_times_and_keeps_the_reason(today: Run, status: AttendanceStatus) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.LATE, time(9, 15))
    today.runner.record_attendance(
        block_id, person, status, time(9, 15), time(9, 30), absence_reason="Court date"
    )
    entry = today.entry(1, person)
    assert entry.attendance is not None
    assert entry.attendance.status is status
    assert (entry.attendance.arrived, entry.attendance.left) == (None, None)
    assert entry.attendance.absence_reason == "Court date"
    assert entry.attendance.minutes == 0
    assert entry.progress is None  # no note due


def test_late_minutes_count_from_the_actual_start(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.start_block(block_id, time(9, 10))
    today.runner.record_attendance(block_id, person, AttendanceStatus.LATE, time(9, 25))
    entry = today.entry(1, person)
    assert entry.attendance is not None
    assert entry.attendance.minutes == 35  # 9:25 to the planned end at 10:00
    today.runner.record_attendance(block_id, person, AttendanceStatus.LATE, time(9, 5))
    assert taken(today.entry(1, person)).minutes == 50


def test_departure_before_arrival_is_refused(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    with pytest.raises(InvalidTimesError):
        today.runner.record_attendance(
            block_id, person, AttendanceStatus.LATE, time(9, 30), time(9, 10)
        )
    assert today.entry(1, person).attendance is None  # nothing recorded


def test_mark_all_present_fills_only_untaken_entries(today: Run) -> None:
    late, away = today.member(0), today.member(1)
    block_id = today.block_id(1)
    today.runner.record_attendance(block_id, late, AttendanceStatus.LATE, time(9, 15))
    today.runner.record_attendance(
        block_id, away, AttendanceStatus.ABSENT_EXCUSED, absence_reason="Medical appointment"
    )
    roster_size = len(today.start.blocks[0].roster)
    assert today.runner.mark_all_present(block_id, today.session_id) == roster_size - 2
    sheet = today.sheet()
    block = sheet.blocks[0]
    statuses = {e.participant_id: e.attendance.status for e in block.roster if e.attendance}
    assert len(statuses) == roster_size
    assert statuses.pop(late) is AttendanceStatus.LATE
    assert statuses.pop(away) is AttendanceStatus.ABSENT_EXCUSED
    assert set(statuses.values()) == {AttendanceStatus.PRESENT}
    assert taken(block.entry(late)).arrived == time(9, 15)
    assert taken(block.entry(away)).absence_reason == "Medical appointment"
    assert block.present == roster_size - 1
    assert all(e.attendance is None for e in sheet.blocks[1].roster)  # other blocks untouched
    assert today.runner.mark_all_present(block_id, today.session_id) == 0  # nothing left


def test_copy_previous_attendance(today: Run) -> None:
    first, second = today.block_id(1), today.block_id(2)
    present, late, left_early, excused, unexcused, removed = (today.member(i) for i in range(6))
    record = today.runner.record_attendance
    record(first, present, AttendanceStatus.PRESENT)
    record(first, late, AttendanceStatus.LATE, arrived=time(9, 20))
    record(first, left_early, AttendanceStatus.LEFT_EARLY, left=time(9, 40))
    record(first, excused, AttendanceStatus.ABSENT_EXCUSED, absence_reason="Medical appointment")
    record(first, unexcused, AttendanceStatus.ABSENT_UNEXCUSED)
    record(first, removed, AttendanceStatus.PRESENT)
    today.runner.remove_participant(first, removed, "Sent home unwell")
    assert len(today.start.blocks[0].roster) > 6  # the rest stay untaken in the first block

    assert today.runner.copy_previous_attendance(second, today.session_id) == 5

    copied = {
        e.participant_id: e.attendance for e in today.block(2).roster if e.attendance is not None
    }
    assert set(copied) == {present, late, left_early, excused, unexcused}  # not removed, untaken
    expected = {
        present: (AttendanceStatus.PRESENT, None),
        late: (AttendanceStatus.PRESENT, None),
        left_early: (AttendanceStatus.ABSENT_UNEXCUSED, "Left during the previous block"),
        excused: (AttendanceStatus.ABSENT_EXCUSED, "Medical appointment"),
        unexcused: (AttendanceStatus.ABSENT_UNEXCUSED, None),
    }
    for person, (status, reason) in expected.items():
        row = copied[person]
        assert (row.status, row.absence_reason) == (status, reason), person
        assert (row.arrived, row.left) == (None, None)  # times belong to the earlier block
        assert row.removed_reason is None and row.added_reason is None


def test_copy_previous_attendance_keeps_what_is_already_taken(today: Run) -> None:
    first, second = today.block_id(1), today.block_id(2)
    person, other = today.member(0), today.member(1)
    today.runner.record_attendance(first, person, AttendanceStatus.PRESENT)
    today.runner.record_attendance(first, other, AttendanceStatus.PRESENT)
    today.runner.record_attendance(second, person, AttendanceStatus.LATE, arrived=time(10, 15))

    assert today.runner.copy_previous_attendance(second, today.session_id) == 1

    kept = today.entry(2, person).attendance
    assert kept is not None and (kept.status, kept.arrived) == (AttendanceStatus.LATE, time(10, 15))
    copied = today.entry(2, other).attendance
    assert copied is not None and copied.status is AttendanceStatus.PRESENT


def test_copy_previous_attendance_is_refused_for_the_first_block(today: Run) -> None:
    today.runner.mark_all_present(today.block_id(1), today.session_id)
    with pytest.raises(DomainError, match="first block"):
        today.runner.copy_previous_attendance(today.block_id(1), today.session_id)


# Adding and removing people ---------------------------------------------------------------


def evening_member(clinic: Clinic) -> uuid.UUID:
    """Someone enrolled in the evening group, not the morning one."""
    with clinic.database.sessions() as session:
        found = session.scalars(
            select(Enrollment.participant_id)
            .join(Group)
            .where(Group.name == EVENING, Enrollment.discharged.is_(None))
        ).first()
    assert found is not None
    return found


def test_add_someone_from_the_other_group(clinic: Clinic, today: Run) -> None:
    guest = evening_member(clinic)
    assert guest not in {e.participant_id for e in today.start.blocks[0].roster}
    today.runner.add_participant(today.block_id(1), guest, "  Drop-in from evening group ")
    sheet = today.sheet()
    entry = sheet.blocks[0].entry(guest)
    assert entry.attendance is not None
    assert entry.attendance.status is AttendanceStatus.PRESENT
    assert entry.attendance.added_reason == "Drop-in from evening group"
    assert not entry.removed
    assert entry.progress is NoteProgress.DUE
    assert guest not in {e.participant_id for e in sheet.blocks[1].roster}  # just this block
    today.runner.save_draft(today.block_id(1), guest, None, girp({"goal": "Stay sober"}))
    assert today.entry(1, guest).progress is NoteProgress.DRAFTED


def test_adding_twice_is_refused(clinic: Clinic, today: Run) -> None:
    guest, block_id = evening_member(clinic), today.block_id(1)
    today.runner.add_participant(block_id, guest, "Drop-in")
    with pytest.raises(DomainError, match="already on the block's roster"):
        today.runner.add_participant(block_id, guest, "Drop-in again")
    assert taken(today.entry(1, guest)).added_reason == "Drop-in"


def test_adding_someone_already_marked_is_refused(today: Run) -> None:
    member, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, member, AttendanceStatus.LATE, time(9, 20))
    with pytest.raises(DomainError, match="already on the block's roster"):
        today.runner.add_participant(block_id, member, "Drop-in")
    attendance = today.entry(1, member).attendance
    assert attendance is not None
    assert (attendance.status, attendance.arrived) == (AttendanceStatus.LATE, time(9, 20))


def test_adding_an_enrolled_member_not_yet_marked_is_refused(today: Run) -> None:
    member, block_id = today.member(0), today.block_id(1)
    assert today.entry(1, member).attendance is None  # on the roster, attendance not taken
    with pytest.raises(DomainError, match="already on the block's roster"):
        today.runner.add_participant(block_id, member, "Drop-in")


@pytest.mark.parametrize("reason", ["", "   "])
def test_adding_without_a_reason_is_refused(clinic: Clinic, today: Run, reason: str) -> None:
    guest = evening_member(clinic)
    with pytest.raises(DomainError, match="Say why"):
        today.runner.add_participant(today.block_id(1), guest, reason)
    assert guest not in {e.participant_id for e in today.block(1).roster}


def test_removing_keeps_the_draft_exactly(clinic: Clinic, today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.LATE, time(9, 10))
    draft = girp(GIRP_COMPLETE, mood="Anxious", risk=RiskFlags(craving=4))
    note_id = today.runner.save_draft(block_id, person, None, draft)
    present_before = today.block(1).present
    rows_before = note_rows(clinic)

    today.runner.remove_participant(block_id, person, "  Left for a medical emergency ")

    assert note_rows(clinic) == rows_before  # every note, byte for byte, updated_at included
    block = today.block(1)
    entry = block.entry(person)
    assert entry.removed
    assert entry.attendance is not None
    assert entry.attendance.removed_reason == "Left for a medical emergency"
    assert (entry.attendance.status, entry.attendance.arrived) == (
        AttendanceStatus.LATE,
        time(9, 10),
    )
    assert entry.progress is None  # no note due
    assert entry.note is not None
    assert (entry.note.note_id, entry.note.draft) == (note_id, draft)
    assert block.present == present_before - 1
    assert block.minutes == 0  # the only attendee was removed


def test_removed_participant_gets_no_new_draft(clinic: Clinic, today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.PRESENT)
    today.runner.remove_participant(block_id, person, "Wrong group")
    rows_before = note_rows(clinic)
    with pytest.raises(DomainError, match="only for participants marked present"):
        today.runner.save_draft(block_id, person, None, girp(GIRP_COMPLETE))
    assert note_rows(clinic) == rows_before


def test_removing_and_adding_back_brings_the_note_back(clinic: Clinic, today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.PRESENT)
    today.runner.save_draft(block_id, person, None, girp(GIRP_COMPLETE))
    today.runner.remove_participant(block_id, person, "Removed by mistake")
    rows_before = note_rows(clinic)
    today.runner.add_participant(block_id, person, "Back after the mistake")
    assert note_rows(clinic) == rows_before
    entry = today.entry(1, person)
    assert not entry.removed
    assert entry.progress is NoteProgress.COMPLETE


def test_adding_back_someone_removed_while_absent_leaves_no_absence_reason(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(
        block_id, person, AttendanceStatus.ABSENT_EXCUSED, absence_reason="Medical appointment"
    )
    today.runner.remove_participant(block_id, person, "Marked in the wrong block")
    today.runner.add_participant(block_id, person, "Arrived after all")
    attendance = today.entry(1, person).attendance
    assert attendance is not None
    assert attendance.status is AttendanceStatus.PRESENT
    assert attendance.absence_reason is None  # as record_attendance keeps it for attendees


def test_removing_someone_not_yet_marked(today: Run) -> None:
    person = today.member(0)
    today.runner.remove_participant(today.block_id(1), person, "Discharged this morning")
    sheet = today.sheet()
    entry = sheet.blocks[0].entry(person)
    assert entry.removed
    assert entry.attendance is not None and entry.attendance.minutes == 0
    assert entry.progress is None
    assert sheet.blocks[1].entry(person).attendance is None  # only that block


@pytest.mark.parametrize("reason", ["", "  "])
def test_removing_without_a_reason_is_refused(today: Run, reason: str) -> None:
    person = today.member(0)
    with pytest.raises(DomainError, match="Say why"):
        today.runner.remove_participant(today.block_id(1), person, reason)
    assert today.entry(1, person).attendance is None


# Drafts -----------------------------------------------------------------------------------


def test_save_draft_creates_then_updates_one_note(clinic: Clinic, today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.PRESENT)
    assert today.entry(1, person).progress is NoteProgress.DUE
    count_before = len(note_rows(clinic))

    first = today.runner.save_draft(block_id, person, None, girp({"goal": "Stay sober"}))
    entry = today.entry(1, person)
    assert entry.progress is NoteProgress.DRAFTED
    assert entry.note is not None
    assert (entry.note.note_id, entry.note.status) == (first, NoteStatus.DRAFT)
    assert entry.note.draft.fields == {"goal": "Stay sober"}

    second = today.runner.save_draft(block_id, person, None, girp(GIRP_COMPLETE))
    assert second == first
    assert len(note_rows(clinic)) == count_before + 1  # one row per block and participant
    entry = today.entry(1, person)
    assert entry.progress is NoteProgress.COMPLETE
    assert entry.note is not None and entry.note.draft.fields == GIRP_COMPLETE


def test_blank_required_field_leaves_the_draft_drafted(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, AttendanceStatus.PRESENT)
    today.runner.save_draft(block_id, person, None, girp({**GIRP_COMPLETE, "plan": "   "}))
    assert today.entry(1, person).progress is NoteProgress.DRAFTED


def test_draft_round_trip_keeps_every_part(today: Run) -> None:
    person, block_id = today.member(0), today.block_id(1)
    goal = today.start.blocks[0].entry(person).goals[0].goal_id
    today.runner.record_attendance(block_id, person, AttendanceStatus.LEFT_EARLY, left=time(9, 40))
    draft = girp(
        {**GIRP_COMPLETE, "additional": "Left for a medical appointment"},
        mood="Irritable",
        affect="Restricted",
        participation="Minimal",
        goals_addressed={str(goal): "Progressing"},
        risk=RiskFlags(use_since_last_session=True, craving=7),
    )
    today.runner.save_draft(block_id, person, None, draft)
    entry = today.entry(1, person)
    assert entry.note is not None
    assert entry.note.draft == draft
    assert entry.progress is NoteProgress.COMPLETE


@pytest.mark.parametrize(
    "status", [AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED]
)
def test_draft_for_an_absent_participant_is_refused(
    clinic: Clinic, today: Run, status: AttendanceStatus
) -> None:
    person, block_id = today.member(0), today.block_id(1)
    today.runner.record_attendance(block_id, person, status, absence_reason="Sick")
    rows_before = note_rows(clinic)
    with pytest.raises(DomainError, match="only for participants marked present"):
        today.runner.save_draft(block_id, person, None, girp(GIRP_COMPLETE))
    assert note_rows(clinic) == rows_before
    assert today.entry(1, person).note is None


def test_draft_before_attendance_is_refused(clinic: Clinic, today: Run) -> None:
    person = today.member(0)
    rows_before = note_rows(clinic)
    with pytest.raises(DomainError, match="only for participants marked present"):
        today.runner.save_draft(today.block_id(1), person, None, girp(GIRP_COMPLETE))
    assert note_rows(clinic) == rows_before


def test_draft_over_a_signed_note_is_refused(clinic: Clinic, last_week: Run) -> None:
    block = last_week.block(1)
    signed = next(e for e in block.roster if e.note is not None)
    assert signed.note is not None and signed.note.status is NoteStatus.SIGNED
    rows_before = note_rows(clinic)
    with pytest.raises(DomainError, match="signed and cannot change"):
        last_week.runner.save_draft(
            block.block_id, signed.participant_id, None, girp({"goal": "Rewritten"})
        )
    assert note_rows(clinic) == rows_before
    assert last_week.entry(1, signed.participant_id).note == signed.note


def test_saving_one_draft_changes_no_other_note(clinic: Clinic, today: Run) -> None:
    writer, neighbour = today.member(0), today.member(1)
    block_id = today.block_id(1)
    today.runner.mark_all_present(block_id, today.session_id)
    today.runner.save_draft(block_id, neighbour, None, girp({"goal": "Neighbour's goal"}))
    mine = today.runner.save_draft(block_id, writer, None, girp({"goal": "First words"}))
    before = note_rows(clinic)

    today.runner.save_draft(block_id, writer, None, girp(GIRP_COMPLETE))

    after = note_rows(clinic)
    assert set(after) == set(before)
    assert after[mine] != before[mine]
    del after[mine], before[mine]
    assert after == before  # the neighbour's draft and every signed note, byte for byte
    assert len(after) > 500
