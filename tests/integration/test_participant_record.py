"""The participant record on the demo clinic: hours, short days, topics covered and to cover."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from facilitator.app import Clinic, open_clinic
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.errors import DomainError
from facilitator.domain.progress import week_of
from facilitator.services.participant_record import ParticipantRecord
from facilitator.storage.models import Attendance, Block, CurriculumTopic, GroupSession, Modality
from tests.clinic_copies import clinic_copy, demo_copy

DEMO_MONDAY = date(2026, 11, 23)
ATTENDED = [s.value for s in AttendanceStatus if s.attended]


@pytest.fixture(scope="module")
def demo_folder(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return demo_copy(demo_clinic, tmp_path_factory.mktemp("record-demo") / "clinic")


@pytest.fixture(scope="module")
def clinic(demo_folder: Path) -> Iterator[Clinic]:
    """The Monday demo clinic; these tests only read it."""
    opened = open_clinic(demo_folder)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def records(clinic: Clinic) -> dict[uuid.UUID, ParticipantRecord]:
    return {
        row.participant_id: clinic.participant_record(row.participant_id, DEMO_MONDAY)
        for row in clinic.roster(DEMO_MONDAY)
    }


def attended_topics(clinic: Clinic, participant_id: uuid.UUID) -> list[tuple[str, int, str]]:
    """(modality, sequence, title) of each attended block, in time order, from the tables."""
    with clinic.database.sessions() as session:
        rows = session.execute(
            select(Modality.name, CurriculumTopic.sequence, CurriculumTopic.title)
            .select_from(Attendance)
            .join(Block, Attendance.block_id == Block.id)
            .join(GroupSession, Block.session_id == GroupSession.id)
            .join(CurriculumTopic, Block.topic_id == CurriculumTopic.id)
            .join(Modality, CurriculumTopic.modality_id == Modality.id)
            .where(
                Attendance.participant_id == participant_id,
                Attendance.status.in_(ATTENDED),
                Attendance.removed_reason.is_(None),
            )
            .order_by(GroupSession.day, Block.sequence)
        ).all()
    return [(name, sequence, title) for name, sequence, title in rows]


def test_every_demo_participant_has_a_record(records: dict[uuid.UUID, ParticipantRecord]) -> None:
    assert len(records) == 28
    assert sum(1 for r in records.values() if r.attendance) >= 24
    sample = next(r for r in records.values() if r.attendance)
    assert sample.enrollments[0].program == "Adult IOP"
    assert sample.goals and sample.chart_number.startswith("IOP-")
    assert sum(r.discharged for r in records.values()) == 2  # one per group finished last week


def test_weekly_hours_add_up_to_the_minutes_attended(
    records: dict[uuid.UUID, ParticipantRecord],
) -> None:
    for record in records.values():
        attended = sum(a.minutes for a in record.attendance)
        assert sum(w.minutes for w in record.weeks) == attended
        assert sum(d.minutes for d in record.days) == attended


def test_weeks_run_from_admission_through_discharge_or_today(
    records: dict[uuid.UUID, ParticipantRecord],
) -> None:
    for record in records.values():
        enrollment = record.enrollments[-1]
        last = min(DEMO_MONDAY, enrollment.discharged or DEMO_MONDAY)
        mondays = [w.monday for w in record.weeks]
        assert mondays[0] == week_of(enrollment.admitted)
        assert mondays[-1] == week_of(last)
        assert all(b - a == timedelta(weeks=1) for a, b in itertools.pairwise(mondays))
        assert all(w.target_minutes == 9 * 60 for w in record.weeks)


def test_weeks_below_target_are_whole_weeks_the_group_met_and_the_person_fell_short(
    records: dict[uuid.UUID, ParticipantRecord],
) -> None:
    weeks = [w for r in records.values() for w in r.weeks]
    below = [w for w in weeks if w.below_target]
    assert below, "the demo has weeks below target"
    for week in weeks:
        full = not week.partial and week.sessions_held > 0
        assert week.below_target == (full and week.minutes < 9 * 60)
        assert (week.status == "Below target") == week.below_target
    assert any(w.status == "No sessions held" for w in weeks)  # before the demo's history
    assert all(w.in_progress for w in weeks if w.monday == DEMO_MONDAY)


def test_a_late_arrival_day_is_flagged_under_three_hours(
    records: dict[uuid.UUID, ParticipantRecord],
) -> None:
    late_days = 0
    for record in records.values():
        days = {d.day: d for d in record.days}
        for row in record.attendance:
            if row.status is AttendanceStatus.LATE:
                day = days[row.day]
                assert day.minutes < 180 and day.under_minimum
                assert day in record.short_days
                late_days += 1
        full = [d for d in record.days if d.minutes >= 180]
        assert not any(d.under_minimum for d in full)
    assert late_days > 0


def test_covered_topics_are_exactly_the_attended_blocks_topics(
    clinic: Clinic, records: dict[uuid.UUID, ParticipantRecord]
) -> None:
    for participant_id, record in records.items():
        expected = attended_topics(clinic, participant_id)
        covered = [(t.modality, t.sequence, t.title) for t in record.covered]
        assert covered == list(dict.fromkeys(expected))  # distinct, first covered first
        assert sum(len(t.dates) for t in record.covered) == len(expected)


def test_still_to_cover_excludes_covered_and_starts_after_the_last_covered(
    clinic: Clinic, records: dict[uuid.UUID, ParticipantRecord]
) -> None:
    catalogue: dict[str, list[int]] = {}
    for topic in clinic.curriculum():
        catalogue.setdefault(topic.modality, []).append(topic.sequence)
    checked = 0
    for participant_id, record in records.items():
        attended = attended_topics(clinic, participant_id)
        covered = {(t.modality, t.sequence) for t in record.covered}
        to_cover = [(t.modality, t.sequence) for t in record.to_cover]
        assert not covered & set(to_cover)
        for modality in {m for m, _ in to_cover}:
            mine = [t for t in record.to_cover if t.modality == modality]
            assert [t.order for t in mine] == list(range(1, len(mine) + 1))
            done = {s for m, s in covered if m == modality}
            assert {t.sequence for t in mine} == set(catalogue[modality]) - done
            last = [s for m, s, _ in attended if m == modality]
            if last:  # the cycle resumes after the last covered topic and wraps around
                cycle = sorted(catalogue[modality])
                after = cycle[cycle.index(last[-1]) + 1 :] + cycle[: cycle.index(last[-1]) + 1]
                assert [t.sequence for t in mine] == [s for s in after if s not in done]
                checked += 1
    assert checked > 20


def test_a_new_admission_starts_the_cycle_where_the_group_is(
    clinic: Clinic, records: dict[uuid.UUID, ParticipantRecord]
) -> None:
    new = [r for r in records.values() if r.enrollments[-1].admitted == DEMO_MONDAY]
    assert new and all(not r.covered for r in new)
    for record in new:
        group = record.enrollments[-1].group
        today = [b for b in clinic.day_blocks(DEMO_MONDAY) if b.group == group]
        firsts = {t.modality: t.title for t in record.to_cover if t.order == 1}
        assert firsts == {b.modality: b.topic for b in today}


def test_removing_someone_from_a_block_takes_its_minutes_and_topic_away(
    demo_folder: Path, tmp_path: Path, records: dict[uuid.UUID, ParticipantRecord]
) -> None:
    """Today's block, whose notes are not written yet (a signed note's attendance is corrected
    with an addendum instead), for someone admitted today: the block is their first topic."""
    newcomer = next(r for r in records.values() if not r.covered)
    group = newcomer.enrollments[-1].group
    with clinic_copy(demo_folder, tmp_path / "clinic") as clinic:
        today = next(b for b in clinic.day_blocks(DEMO_MONDAY) if b.group == group)
        pid = newcomer.participant_id
        clinic.runner.record_attendance(today.block_id, pid, AttendanceStatus.PRESENT)
        before = clinic.participant_record(pid, DEMO_MONDAY)
        block = next(a for a in before.attendance if a.block_id == today.block_id)
        assert block.minutes == 60 and block.topic in {t.title for t in before.covered}
        clinic.runner.remove_participant(today.block_id, pid, "Wrong group")
        after = clinic.participant_record(pid, DEMO_MONDAY)
    removed = next(a for a in after.attendance if a.block_id == today.block_id)
    assert removed.minutes == 0 and removed.note_progress is None
    assert removed.removed_reason == "Wrong group"
    assert sum(w.minutes for w in after.weeks) == sum(w.minutes for w in before.weeks) - 60
    assert block.topic not in {t.title for t in after.covered}


def test_the_record_is_read_in_a_few_queries_whatever_its_length(
    clinic: Clinic, records: dict[uuid.UUID, ParticipantRecord]
) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    longest = max(records.values(), key=lambda r: len(r.attendance))
    event.listen(clinic.database.engine, "before_cursor_execute", count)
    try:
        clinic.participant_record(longest.participant_id, DEMO_MONDAY)
    finally:
        event.remove(clinic.database.engine, "before_cursor_execute", count)
    assert len(longest.attendance) > 40
    assert len(statements) <= 8


def test_an_unknown_participant_is_refused(clinic: Clinic) -> None:
    with pytest.raises(DomainError, match="no longer in the records"):
        clinic.participant_record(uuid.uuid4(), DEMO_MONDAY)
