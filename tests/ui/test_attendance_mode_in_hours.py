"""How someone attended shows in their record's attendance table (the hours they are
counted), as in the runner and the documents: the demo has a few video attendances."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.domain.attendance import AttendanceMode
from facilitator.storage.models import Attendance
from facilitator.storage.unit_of_work import unit_of_work
from tests.ui.conftest import DEMO_TODAY
from ui.participant.record_columns import status_text


def test_a_video_attendance_reads_by_video_in_the_record(clinic: Clinic) -> None:
    with unit_of_work(clinic.database) as session:
        remote = session.scalars(
            select(Attendance).where(Attendance.mode == AttendanceMode.VIDEO.value)
        ).first()
        assert remote is not None
        participant_id, block_id = remote.participant_id, remote.block_id
    record = clinic.participant_record(participant_id, DEMO_TODAY)
    rows = {row.block_id: row for row in record.attendance}
    assert rows[block_id].mode is AttendanceMode.VIDEO
    assert ", by video" in status_text(rows[block_id])
    in_person = [r for r in record.attendance if r.mode is AttendanceMode.IN_PERSON]
    assert in_person and all(", by " not in status_text(r) for r in in_person)
