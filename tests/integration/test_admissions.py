"""Admitting participants in the app, editing their details and goals with history, on a copy
of the demo clinic (a real SQLCipher file); every refusal leaves the records as they were."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.domain.admission import AdmissionError
from facilitator.domain.users import SignedInUser
from facilitator.services.admissions import AdmissionRequest, ParticipantDetails
from facilitator.storage.models import AuditEvent, Enrollment, Group, Participant
from facilitator.storage.unit_of_work import unit_of_work
from tests.roster_clinic import table_contents
from tests.users import signed_in

TODAY = date(2026, 11, 23)  # the demo's last day, a Monday
MORNING = "Adult IOP Morning"
CLOSED = "Closed Track"
PERSON = ParticipantDetails(
    chart_number="NEW-0001",
    first_name="Avery",
    last_name="Quillfeather",
    preferred_name="Ave",
    pronouns="they/them",
    date_of_birth=date(1990, 5, 17),
    recovery_start=date(2026, 11, 1),
)


@pytest.fixture
def clinic(demo_clinic_folder: Path, tmp_path: Path) -> Iterator[Clinic]:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    opened = open_clinic(folder)
    with unit_of_work(opened.database) as session:
        program_id = session.scalars(select(Group.program_id)).first()
        session.add(Group(program_id=program_id, name=CLOSED, room="Room 9", active=False))
    yield opened
    opened.close()


@pytest.fixture
def mreyes(clinic: Clinic) -> SignedInUser:
    return signed_in(clinic.database, "mreyes")


def group_id(clinic: Clinic, name: str) -> uuid.UUID:
    with unit_of_work(clinic.database) as session:
        return session.scalars(select(Group.id).where(Group.name == name)).one()


def request(clinic: Clinic, **changes: object) -> AdmissionRequest:
    details = replace(PERSON, **{k: v for k, v in changes.items() if hasattr(PERSON, k)})
    values: dict[str, object] = {
        "details": details,
        "group_id": group_id(clinic, MORNING),
        "admitted": TODAY,
        "goals": ("Attend every group this week", "Call my sponsor daily"),
    }
    values.update({k: v for k, v in changes.items() if k in values})
    return AdmissionRequest(**values)  # type: ignore[arg-type]


def audit_details(clinic: Clinic, object_id: uuid.UUID) -> list[tuple[str, str]]:
    with unit_of_work(clinic.database) as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.detail)
            .where(AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.sequence)
        )
        return [(action, json.dumps(detail)) for action, detail in rows]


def a_discharged_participant(clinic: Clinic) -> Participant:
    with unit_of_work(clinic.database) as session:
        found = session.scalars(
            select(Participant).join(Enrollment).where(Enrollment.discharged.is_not(None))
        ).first()
        assert found is not None
        return found


def an_enrolled_participant(clinic: Clinic) -> Participant:
    with unit_of_work(clinic.database) as session:
        found = session.scalars(
            select(Participant).join(Enrollment).where(Enrollment.discharged.is_(None))
        ).first()
        assert found is not None
        return found


def test_admitting_puts_the_participant_on_the_roster_with_goals_audited_without_phi(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    admitted = clinic.admissions.admit(mreyes, request(clinic), TODAY)
    assert not admitted.readmitted and admitted.goals_added == 2
    record = clinic.participant_record(admitted.participant_id, TODAY)
    assert (record.name, record.legal_name, record.pronouns) == (
        "Ave Quillfeather",
        "Avery Quillfeather",
        "they/them",
    )
    assert [(e.group, e.status, e.admitted) for e in record.enrollments] == [
        (MORNING, "active", TODAY)
    ]
    assert [g.text for g in record.goals] == [
        "Attend every group this week",
        "Call my sponsor daily",
    ]
    assert clinic.measures.recovery_start(admitted.participant_id) == date(2026, 11, 1)
    row = next(r for r in clinic.roster(TODAY) if r.participant_id == admitted.participant_id)
    assert (row.chart_number, row.group, row.status) == ("NEW-0001", MORNING, "active")
    ((action, detail),) = audit_details(clinic, admitted.participant_id)
    assert action == "create" and str(admitted.enrollment_id) in detail
    for phi in ("Avery", "Quillfeather", "NEW-0001", "1990", "sponsor"):
        assert phi not in detail


def test_a_facilitator_a_supervisor_and_an_administrator_may_admit(clinic: Clinic) -> None:
    for number, username in enumerate(("sokafor", "jlee", "admin")):
        user = signed_in(clinic.database, username)
        chart = f"NEW-ROLE-{number}"
        clinic.admissions.admit(user, request(clinic, chart_number=chart), TODAY)
    assert {"NEW-ROLE-0", "NEW-ROLE-1", "NEW-ROLE-2"} <= {
        r.chart_number for r in clinic.roster(TODAY)
    }


REFUSALS = [
    ({"first_name": "  "}, "first_name", "The first name is missing."),
    ({"last_name": "Quill\tfeather"}, "last_name", "holds a control character"),
    ({"chart_number": ""}, "chart_number", "The chart number is missing."),
    ({"pronouns": "x" * 51}, "pronouns", "at most 50 fit"),
    ({"date_of_birth": TODAY + timedelta(days=3)}, "date_of_birth", "is in the future"),
    ({"date_of_birth": date(2015, 1, 1)}, "date_of_birth", "participants are at least 12"),
    ({"date_of_birth": date(1915, 1, 1)}, "date_of_birth", "more than 110"),
    ({"admitted": TODAY + timedelta(days=31)}, "admitted", "more than 30 days ahead"),
    ({"recovery_start": TODAY + timedelta(days=1)}, "recovery_start", "is in the future"),
    (
        {"recovery_start": TODAY, "admitted": TODAY - timedelta(days=2)},
        "recovery_start",
        "is after the admission",
    ),
    ({"group_id": None}, "group", "Choose the group"),
    ({"goals": ("Fine", "Line\nbreak")}, "goals", "control character"),
]


@pytest.mark.parametrize(("changes", "field", "message"), REFUSALS)
def test_each_refused_admission_says_which_field_and_changes_nothing(
    clinic: Clinic, mreyes: SignedInUser, changes: dict[str, object], field: str, message: str
) -> None:
    before = table_contents(clinic.database)
    with pytest.raises(AdmissionError) as refused:
        clinic.admissions.admit(mreyes, request(clinic, **changes), TODAY)
    assert message in refused.value.by_field()[field]
    assert table_contents(clinic.database) == before


def test_an_inactive_group_is_refused(clinic: Clinic, mreyes: SignedInUser) -> None:
    before = table_contents(clinic.database)
    with pytest.raises(AdmissionError, match="no longer active") as refused:
        clinic.admissions.admit(mreyes, request(clinic, group_id=group_id(clinic, CLOSED)), TODAY)
    assert set(refused.value.by_field()) == {"group"}
    assert table_contents(clinic.database) == before
    assert CLOSED not in {g.name for g in clinic.admissions.groups()}


def test_a_chart_number_of_someone_else_is_refused_without_their_details(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    other = an_enrolled_participant(clinic)
    before = table_contents(clinic.database)
    with pytest.raises(AdmissionError) as refused:
        clinic.admissions.admit(mreyes, request(clinic, chart_number=other.chart_number), TODAY)
    message = refused.value.by_field()["chart_number"]
    assert f"Chart number {other.chart_number} belongs to another participant" in message
    for phi in (other.legal_first, other.legal_last, other.date_of_birth.isoformat()):
        assert phi not in message
    same_person = request(
        clinic, chart_number=other.chart_number, date_of_birth=other.date_of_birth
    )
    with pytest.raises(AdmissionError, match="still enrolled"):
        clinic.admissions.admit(mreyes, same_person, TODAY)
    assert table_contents(clinic.database) == before


def test_a_known_chart_number_after_discharge_is_a_readmission_not_a_duplicate(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    known = a_discharged_participant(clinic)
    count = len(clinic.roster(TODAY))
    admitted = clinic.admissions.admit(
        mreyes,
        request(
            clinic,
            chart_number=known.chart_number,
            date_of_birth=known.date_of_birth,
            admitted=TODAY + timedelta(days=1),
            recovery_start=None,
        ),
        TODAY,
    )
    assert admitted.readmitted and admitted.participant_id == known.id
    assert "readmitted" in admitted.message
    assert len(clinic.roster(TODAY)) == count
    record = clinic.participant_record(known.id, TODAY + timedelta(days=1))
    assert record.enrollments[-1].admitted == TODAY + timedelta(days=1)
    assert record.legal_name == f"{known.legal_first} {known.legal_last}"  # kept as on record


def test_an_edit_records_each_changed_field_with_its_reason(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    admitted = clinic.admissions.admit(mreyes, request(clinic), TODAY)
    pid = admitted.participant_id
    edited = replace(PERSON, last_name="Quill-Feather", pronouns="she/her", preferred_name="")
    changed = clinic.admissions.edit_participant(mreyes, pid, edited, "Legal name change", TODAY)
    assert changed == 3
    history = clinic.admissions.participant_history(pid)
    assert {(h.label, h.was, h.now) for h in history} == {
        ("Legal last name", "Quillfeather", "Quill-Feather"),
        ("Pronouns", "they/them", "she/her"),
        ("Preferred name", "Ave", ""),
    }
    assert {(h.reason, h.by) for h in history} == {("Legal name change", "Morgan Reyes")}
    assert clinic.admissions.details(pid) == edited
    assert clinic.participant_record(pid, TODAY).name == "Avery Quill-Feather"
    edits = [d for action, d in audit_details(clinic, pid) if action == "edit"]
    assert len(edits) == 1
    for phi in ("Quill", "she/her", "Ave", "Legal name"):
        assert phi not in edits[0]


def test_refused_edits_change_nothing(clinic: Clinic, mreyes: SignedInUser) -> None:
    pid = clinic.admissions.admit(mreyes, request(clinic), TODAY).participant_id
    other = an_enrolled_participant(clinic)
    before = table_contents(clinic.database)
    for details, reason, field, message in (
        (PERSON, "No change", "reason", "Nothing was changed"),
        (replace(PERSON, pronouns="she/her"), "  ", "reason", "Say why"),
        (replace(PERSON, chart_number=other.chart_number), "Typo", "chart_number", "unique"),
        (replace(PERSON, date_of_birth=date(2020, 1, 1)), "Typo", "date_of_birth", "at least 12"),
        (replace(PERSON, first_name=""), "Typo", "first_name", "missing"),
        (
            replace(PERSON, recovery_start=TODAY + timedelta(days=2)),
            "Relapse",
            "recovery_start",
            "in the future",
        ),
    ):
        with pytest.raises(AdmissionError) as refused:
            clinic.admissions.edit_participant(mreyes, pid, details, reason, TODAY)
        assert message in refused.value.by_field()[field]
    assert table_contents(clinic.database) == before


def test_goals_are_added_edited_with_history_and_reordered(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    pid = clinic.admissions.admit(mreyes, request(clinic), TODAY).participant_id
    plan = clinic.goal_plan
    plan.add(mreyes, pid, "Sleep seven hours")
    first, second, third = (g.goal_id for g in plan.goals(pid))
    plan.edit(mreyes, pid, second, "Call my sponsor every evening", "Sponsor asked for evenings")
    plan.reorder(mreyes, pid, [third, first, second])
    assert [g.text for g in plan.goals(pid)] == [
        "Sleep seven hours",
        "Attend every group this week",
        "Call my sponsor every evening",
    ]
    history = [
        (h.field, h.was, h.now, h.reason) for h in clinic.admissions.participant_history(pid)
    ]
    assert ("goal", "", "Sleep seven hours", "Goal added") in history
    assert (
        "goal",
        "Call my sponsor daily",
        "Call my sponsor every evening",
        "Sponsor asked for evenings",
    ) in history
    order = next(h for h in history if h[0] == "goal_order")
    assert order[2].startswith("1. Sleep seven hours\n2. Attend")
    before = table_contents(clinic.database)
    with pytest.raises(AdmissionError, match="already has this goal"):
        plan.add(mreyes, pid, "sleep SEVEN hours")
    with pytest.raises(AdmissionError, match="Say why"):
        plan.edit(mreyes, pid, first, "Attend every group", "")
    with pytest.raises(AdmissionError, match="needs its text"):
        plan.edit(mreyes, pid, first, "   ", "Clearing it")
    with pytest.raises(Exception, match="not this participant's plan"):
        plan.reorder(mreyes, pid, [third, first])
    assert table_contents(clinic.database) == before


def test_the_recovery_start_set_from_the_record_menu_is_kept_in_the_history(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    pid = clinic.admissions.admit(mreyes, request(clinic), TODAY).participant_id
    clinic.measures.set_recovery_start(mreyes, pid, date(2026, 11, 10), TODAY)
    ((change,),) = [clinic.admissions.participant_history(pid)]
    assert (change.label, change.was, change.now, change.by) == (
        "Recovery start",
        "2026-11-01",
        "2026-11-10",
        "Morgan Reyes",
    )
