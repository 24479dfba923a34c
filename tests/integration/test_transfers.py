"""Transfer to another group of the program and step down to another program, on a copy of the
demo clinic (a real SQLCipher file): a continued stay, not a discharge, and every refusal leaves
the records as they were."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.domain.discharge import DischargeReason, DischargeRequest, TransitionPlan
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services import this_week
from facilitator.storage.models import Enrollment, Group, Participant, Program
from facilitator.storage.unit_of_work import unit_of_work
from tests.roster_clinic import table_contents
from tests.users import signed_in

TODAY = date(2026, 11, 23)  # the demo's last day, a Monday
LAST_ATTENDED = date(2026, 11, 19)
MORNING = "Adult IOP Morning"
EVENING = "Adult IOP Evening"
OP_GROUP = "Outpatient Tuesday"


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    opened = open_clinic(folder)
    with unit_of_work(opened.database) as session:
        program = Program(
            name="Adult OP", level_of_care="ASAM Level 1 Outpatient", weekly_target_minutes=180
        )
        session.add(program)
        session.flush()
        session.add(Group(program_id=program.id, name=OP_GROUP, room="Room 5"))
    yield opened
    opened.close()


@pytest.fixture
def mreyes(clinic: Clinic) -> SignedInUser:
    return signed_in(clinic.database, "mreyes")


def group_id(clinic: Clinic, name: str) -> uuid.UUID:
    with unit_of_work(clinic.database) as session:
        return session.scalars(select(Group.id).where(Group.name == name)).one()


def morning_member(clinic: Clinic) -> uuid.UUID:
    """Someone enrolled in the morning group for weeks (the demo's last attended day is
    LAST_ATTENDED, the Thursday before TODAY)."""
    with unit_of_work(clinic.database) as session:
        return session.scalars(
            select(Enrollment.participant_id)
            .join(Group, Enrollment.group_id == Group.id)
            .where(
                Group.name == MORNING,
                Enrollment.discharged.is_(None),
                Enrollment.admitted < LAST_ATTENDED - timedelta(weeks=2),
            )
            .order_by(Enrollment.admitted)
        ).first()


def enrollments(clinic: Clinic, participant_id: uuid.UUID) -> list[Enrollment]:
    with unit_of_work(clinic.database) as session:
        return list(
            session.scalars(
                select(Enrollment)
                .where(Enrollment.participant_id == participant_id)
                .order_by(Enrollment.admitted)
            )
        )


def week_lists(clinic: Clinic, pid: uuid.UUID) -> tuple[list[object], list[object]]:
    """The person's milestones and measures due this week, without the group's name."""
    with unit_of_work(clinic.database) as session:
        milestones = [
            (m.day, m.label)
            for m in this_week.week_milestones(session, TODAY)
            if m.participant_id == pid
        ]
        due = [
            (r.code, r.scheduled, r.reason, r.overdue)
            for r in this_week.week_measures_due(session, TODAY, [pid])
        ]
    return milestones, due


def test_a_transfer_continues_the_stay_in_the_new_group(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    pid = morning_member(clinic)
    before = clinic.participant_record(pid, TODAY)
    week_before = week_lists(clinic, pid)
    placement = clinic.transfers.placement(pid)
    assert placement.group == MORNING and placement.last_attended == LAST_ATTENDED
    assert placement.earliest == LAST_ATTENDED + timedelta(days=1)
    assert [c.name for c in placement.same_program] == [EVENING]
    assert [c.name for c in placement.other_programs] == [OP_GROUP]
    new_id = clinic.transfers.transfer(mreyes, pid, group_id(clinic, EVENING), TODAY, TODAY)
    old, new = enrollments(clinic, pid)[-2:]
    yesterday = TODAY - timedelta(days=1)
    assert (old.discharged, old.discharge_reason, old.transferred_to_id) == (
        yesterday,
        "Transferred",
        new_id,
    )
    assert (new.id, new.admitted, new.discharged) == (new_id, TODAY, None)
    # not a discharge: no summary, still on the rosters, in the new group from today
    assert clinic.discharges.latest(pid) is None
    before_row = next(r for r in clinic.roster(yesterday) if r.participant_id == pid)
    assert (before_row.group, before_row.status) == (MORNING, "active")
    row = next(r for r in clinic.roster(TODAY) if r.participant_id == pid)
    assert (row.group, row.status, row.discharged) == (EVENING, "active", None)
    after = clinic.participant_record(pid, TODAY)
    assert not after.discharged
    assert [e.status for e in after.enrollments[-2:]] == ["transferred", "active"]
    assert after.enrollments[-2].transferred_to == EVENING
    # the attendance history and hours stay whole across the transfer
    assert after.attendance == before.attendance
    assert sum(w.minutes for w in after.weeks) == sum(w.minutes for w in before.weeks)
    # this week's milestones and measures due are counted from the program admission, once
    assert week_lists(clinic, pid) == week_before
    markers = [(m.day, m.label) for m in clinic.trends(pid, TODAY).markers]
    assert (TODAY, "Transferred") in markers and (TODAY, "Admitted") not in markers


def test_a_discharge_after_a_transfer_summarises_the_whole_stay(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    pid = morning_member(clinic)
    admitted = clinic.participant_record(pid, TODAY).enrollments[-1].admitted
    clinic.transfers.transfer(mreyes, pid, group_id(clinic, EVENING), TODAY, TODAY)
    later = TODAY + timedelta(days=3)
    request = DischargeRequest(later, DischargeReason.COMPLETED, TransitionPlan())
    row = clinic.discharges.discharge(mreyes, pid, request, later)
    summary = clinic.discharges.document(row.discharge_id).summary
    assert (summary.admitted, summary.discharged, summary.group) == (admitted, later, EVENING)
    assert summary.attendance.blocks_attended > 0  # the morning group's blocks count


def test_a_step_down_moves_to_the_other_program(clinic: Clinic, mreyes: SignedInUser) -> None:
    pid = morning_member(clinic)
    day = TODAY + timedelta(days=2)
    clinic.transfers.step_down(mreyes, pid, group_id(clinic, OP_GROUP), day, TODAY)
    old, new = enrollments(clinic, pid)[-2:]
    assert (old.discharged, old.discharge_reason, old.transferred_to_id) == (
        day - timedelta(days=1),
        "Stepped down",
        new.id,
    )
    record = clinic.participant_record(pid, day)
    assert [(e.program, e.status) for e in record.enrollments[-2:]] == [
        ("Adult IOP", "transferred"),
        ("Adult OP", "active"),
    ]
    assert clinic.discharges.latest(pid) is None
    with unit_of_work(clinic.database) as session:
        due = this_week.week_measures_due(session, day, [pid])
    assert {r.group for r in due} <= {OP_GROUP}


def test_refused_moves_change_nothing(clinic: Clinic, mreyes: SignedInUser) -> None:
    pid = morning_member(clinic)
    evening, morning, op = (group_id(clinic, n) for n in (EVENING, MORNING, OP_GROUP))
    admitted = clinic.participant_record(pid, TODAY).enrollments[-1].admitted
    tomorrow = TODAY + timedelta(days=1)
    before = table_contents(clinic.database)
    transfer, step_down = clinic.transfers.transfer, clinic.transfers.step_down
    for move, group, day, message in (
        (transfer, evening, LAST_ATTENDED, "after the last day attended (from 2026-11-20)"),
        (transfer, evening, LAST_ATTENDED - timedelta(days=9), "after the last day attended"),
        (transfer, morning, tomorrow, "already in Adult IOP Morning"),
        (transfer, op, tomorrow, "is a step down (or up) in level of care, not a transfer"),
        (step_down, evening, tomorrow, "that is a transfer, not a step down"),
        (transfer, evening, admitted, "must be after the admission"),
        (transfer, evening, TODAY + timedelta(days=31), "more than 30 days ahead"),
        (transfer, uuid.uuid4(), tomorrow, "no longer active"),
    ):
        with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
            move(mreyes, pid, group, day, TODAY)
    assert table_contents(clinic.database) == before


def test_someone_not_enrolled_cannot_be_moved(clinic: Clinic, mreyes: SignedInUser) -> None:
    with unit_of_work(clinic.database) as session:
        discharged = session.scalars(
            select(Participant.id)
            .join(Enrollment)
            .where(Enrollment.discharged.is_not(None), Enrollment.transferred_to_id.is_(None))
        ).first()
    assert discharged is not None
    before = table_contents(clinic.database)
    with pytest.raises(DomainError, match="no open enrollment"):
        clinic.transfers.transfer(
            mreyes, discharged, group_id(clinic, EVENING), TODAY + timedelta(days=1), TODAY
        )
    assert table_contents(clinic.database) == before
