"""The days after the demo's day run from the demo's setup alone, as in any clinic: Today for
the next Monday to Thursday shows both groups' blocks from the schedule (nothing made yet),
and opening a group's block makes its session with the schedule's blocks and the roster of
that day."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path

import pytest

from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.storage.models import Enrollment, Group
from facilitator.storage.unit_of_work import unit_of_work
from tests.clinic_copies import DEMO_MONDAY, clinic_copy
from tests.users import signed_in

MORNING, EVENING = "Adult IOP Morning", "Adult IOP Evening"
HOURS = {MORNING: (9, 10, 11), EVENING: (18, 19, 20)}
LEADS = {MORNING: ("mreyes", "Morgan Reyes"), EVENING: ("sokafor", "Sam Okafor")}
ROOMS = {MORNING: "Room 2 (Cedar)", EVENING: "Room 4 (Willow)"}
MODALITIES = ["Cognitive behavioral therapy", "Relapse prevention", "Psychoeducation"]


@pytest.mark.parametrize(
    ("day", "group"),
    [
        (DEMO_MONDAY + timedelta(days=1), MORNING),  # the next day, a Tuesday
        (DEMO_MONDAY + timedelta(days=3), EVENING),  # Thursday
        (DEMO_MONDAY + timedelta(weeks=1), MORNING),  # the Monday after
    ],
)
def test_a_later_meeting_day_shows_both_groups_and_opening_makes_the_session(
    demo_clinic_folder: Path, tmp_path: Path, day: date, group: str
) -> None:
    with clinic_copy(demo_clinic_folder, tmp_path / "clinic") as clinic:
        rows = clinic.day_blocks(day)
        assert [(r.group, r.start) for r in rows] == [
            (name, time(hour)) for name in (MORNING, EVENING) for hour in HOURS[name]
        ]
        with unit_of_work(clinic.database) as session:
            ids = {g.name: g.id for g in session.query(Group)}
            enrolled = {
                name: sum(
                    EnrollmentPeriod(e.admitted, e.discharged).is_active_on(day)
                    for e in session.query(Enrollment).filter(Enrollment.group_id == gid)
                )
                for name, gid in ids.items()
            }
        for name in (MORNING, EVENING):
            mine = [r for r in rows if r.group == name]
            assert [r.modality for r in mine] == MODALITIES
            assert {(r.session_id, r.block_id, r.marker) for r in mine} == {(None, None, None)}
            assert {(r.room, r.facilitators) for r in mine} == {(ROOMS[name], LEADS[name][1])}
            assert {r.notes_due for r in mine} == {enrolled[name]} and enrolled[name] >= 12

        lead = signed_in(clinic.database, LEADS[group][0])
        session_id = clinic.open_session(lead, ids[group], day)
        sheet = clinic.runner.sheet(session_id)
        assert (sheet.group, sheet.day, sheet.room) == (group, day, ROOMS[group])
        assert [(b.planned.start, b.modality, b.lead_id) for b in sheet.blocks] == [
            (time(hour), modality, lead.id)
            for hour, modality in zip(HOURS[group], MODALITIES, strict=True)
        ]
        assert {len(b.roster) for b in sheet.blocks} == {enrolled[group]}
        made = [r for r in clinic.day_blocks(day) if r.group == group]
        assert {r.session_id for r in made} == {session_id}
        assert {r.block_id for r in made} == {b.block_id for b in sheet.blocks}
        assert clinic.open_session(lead, ids[group], day) == session_id  # made once
