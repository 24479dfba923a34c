"""The clinic-setup services on a real SQLCipher clinic: what they store, what they refuse
(leaving the records as they were), and what they write to the audit log."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable, Iterator
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from facilitator.app import Clinic, open_clinic
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteTemplate, TemplateField
from facilitator.domain.service_codes import ServiceCode
from facilitator.domain.users import SignedInUser
from facilitator.services import group_schedule
from facilitator.services.clinic_profile import ClinicProfile
from facilitator.services.curriculum_setup import ModalityDetails, TopicDetails
from facilitator.services.group_schedule import ScheduleEntry
from facilitator.services.groups_setup import GroupDetails
from facilitator.services.note_templates import template_for_group
from facilitator.services.programs_setup import ProgramDetails
from facilitator.services.shipped_content import install_shipped_content
from facilitator.storage.models import (
    Attendance,
    AuditEvent,
    Block,
    Group,
    GroupSession,
    Participant,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.roster_clinic import table_contents
from tests.setup_clinic import make_setup_clinic

MONDAY = date(2030, 1, 7)  # far enough ahead to be "not before today"
CBT = ScheduleEntry(0, time(9), time(10), "CBT")
RP = ScheduleEntry(0, time(10, 15), time(11, 15), "RP")


@pytest.fixture(scope="module")
def setup_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SignedInUser]:
    folder = tmp_path_factory.mktemp("setup") / "clinic"
    return folder, make_setup_clinic(folder)


@pytest.fixture
def clinic(setup_folder: tuple[Path, SignedInUser], tmp_path: Path) -> Iterator[Clinic]:
    shutil.copytree(setup_folder[0], tmp_path / "clinic")
    opened = open_clinic(tmp_path / "clinic")
    yield opened
    opened.close()


@pytest.fixture
def admin(setup_folder: tuple[Path, SignedInUser]) -> SignedInUser:
    return setup_folder[1]


def _leader(clinic: Clinic, username: str) -> SignedInUser:
    row = next(c for c in clinic.accounts.clinicians() if c.username == username)
    return SignedInUser(row.id, username, row.display_name, "", row.role, False)


def _program_and_group(clinic: Clinic, admin: SignedInUser) -> tuple[uuid.UUID, uuid.UUID]:
    codes = (ServiceCode("H0015", per="day", modifiers=("HQ",), minimum_minutes=180),)
    program = clinic.setup.save_program(
        admin, None, ProgramDetails("Adult IOP", "IOP", service_codes=codes)
    )
    group = clinic.setup.save_group(
        admin,
        None,
        GroupDetails(program, "Morning", "Room A", 12, _leader(clinic, "mreyes").id),
    )
    return program, group


def _audit_count(clinic: Clinic) -> int:
    with unit_of_work(clinic.database) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def _refused(clinic: Clinic, message: str, action: Callable[[], object]) -> None:
    """`action` raises with `message` and leaves every table as it was."""
    before = table_contents(clinic.database)
    with pytest.raises(DomainError, match=message):
        action()
    assert table_contents(clinic.database) == before


def test_profile_is_stored_audited_and_validated(clinic: Clinic, admin: SignedInUser) -> None:
    assert clinic.setup.profile().time_zone  # the computer's zone until the clinic sets one
    profile = ClinicProfile("Riverbend", "1 Main St", "555-0100", "1234567893", "America/Chicago")
    assert clinic.setup.save_profile(admin, profile) is True
    assert clinic.setup.profile() == profile
    assert clinic.setup.save_profile(admin, profile) is False  # nothing changed, nothing audited
    with unit_of_work(clinic.database) as session:
        entry = session.scalars(
            select(AuditEvent).where(AuditEvent.object_id == "clinic_profile")
        ).one()
    assert entry.action == "settings_change"
    assert entry.detail["npi_now"] == "1234567893"
    assert entry.detail["time_zone_was"] is None
    assert entry.detail["name_now"].startswith("text:")  # free text is fingerprinted
    for bad, message in (
        (ClinicProfile("", npi="1234567893"), "name is required"),
        (ClinicProfile("R", npi="1234567890"), "check digit"),
        (ClinicProfile("R", time_zone="Mars/Base"), "not a known IANA time zone"),
    ):
        _refused(clinic, message, lambda bad=bad: clinic.setup.save_profile(admin, bad))


def test_only_administrators_change_the_setup(clinic: Clinic) -> None:
    facilitator = _leader(clinic, "mreyes")
    _refused(
        clinic,
        "Only an administrator",
        lambda: clinic.setup.save_profile(facilitator, ClinicProfile("X")),
    )


def test_program_validation(clinic: Clinic, admin: SignedInUser) -> None:
    program, _ = _program_and_group(clinic, admin)
    row = clinic.setup.programs()[0]
    assert row.details.service_codes[0].minimum_minutes == 180 and row.groups == 1
    for details, message in (
        (ProgramDetails("PHP", "PHP", days_per_week=8), "days per week"),
        (ProgramDetails("PHP", "PHP", note_template="NOPE"), "no note template 'NOPE'"),
        (
            ProgramDetails(
                "PHP", "PHP", service_codes=(ServiceCode("90853", modalities=("YOGA",)),)
            ),
            "no modality YOGA",
        ),
        (ProgramDetails("Adult IOP", "IOP"), "already a program named Adult IOP"),
    ):
        _refused(clinic, message, lambda d=details: clinic.setup.save_program(admin, None, d))
    _refused(
        clinic,
        "still has active groups",
        lambda: clinic.setup.set_program_active(admin, program, False),
    )


def test_group_leaders_are_active_clinicians(clinic: Clinic, admin: SignedInUser) -> None:
    program, _ = _program_and_group(clinic, admin)
    gone = next(c for c in clinic.accounts.clinicians() if c.username == "gone")
    details = GroupDetails(program, "Evening", facilitator_id=gone.id)
    _refused(clinic, "gone is deactivated", lambda: clinic.setup.save_group(admin, None, details))
    same = GroupDetails(program, "Morning")
    _refused(clinic, "already a group named", lambda: clinic.setup.save_group(admin, None, same))


def test_schedule_changes_from_a_date(clinic: Clinic, admin: SignedInUser) -> None:
    _, group = _program_and_group(clinic, admin)
    setup = clinic.setup
    setup.change_schedule(admin, group, MONDAY, [CBT, RP])
    later = MONDAY + timedelta(weeks=4)
    setup.change_schedule(admin, group, later, [CBT])
    periods = setup.groups()[0].schedule
    assert [(p.effective_from, p.effective_until, p.entries) for p in periods] == [
        (MONDAY, later, (CBT, RP)),
        (later, None, (CBT,)),
    ]
    with unit_of_work(clinic.database) as session:
        row = session.get_one(Group, group)
        assert group_schedule.entries_on(row, later - timedelta(days=7)) == (CBT, RP)
        assert group_schedule.entries_on(row, later) == (CBT,)
        assert group_schedule.entries_on(row, MONDAY - timedelta(days=7)) == ()


def test_bad_schedules_are_refused(clinic: Clinic, admin: SignedInUser) -> None:
    _, group = _program_and_group(clinic, admin)
    setup = clinic.setup
    setup.change_schedule(admin, group, MONDAY, [CBT])
    overlapping = ScheduleEntry(0, time(9, 30), time(10, 30), "RP")
    for entries, day, message in (
        ([CBT, overlapping], MONDAY, "Monday blocks overlap: 09:00-10:00 and 09:30-10:30"),
        ([ScheduleEntry(1, time(9), time(10), "YOGA")], MONDAY, "no known modality 'YOGA'"),
        ([CBT], date(2020, 1, 6), "before today"),
    ):
        _refused(
            clinic,
            message,
            lambda e=entries, d=day: setup.change_schedule(admin, group, d, e),
        )
    yoga = setup.save_modality(admin, None, ModalityDetails("yoga", "Yoga", "", ("Breathing",)))
    setup.set_modality_active(admin, yoga, False)
    yoga_block = [ScheduleEntry(1, time(9), time(10), "YOGA")]
    _refused(
        clinic,
        "YOGA is deactivated",
        lambda: setup.change_schedule(admin, group, MONDAY, yoga_block),
    )
    cbt = next(m for m in setup.modalities() if m.details.code == "CBT")
    _refused(clinic, "uses CBT", lambda: setup.set_modality_active(admin, cbt.id, False))


def test_a_session_with_attendance_never_moves(clinic: Clinic, admin: SignedInUser) -> None:
    _, group = _program_and_group(clinic, admin)
    clinic.setup.change_schedule(admin, group, MONDAY, [CBT, RP])
    with unit_of_work(clinic.database) as session:
        held = GroupSession(group_id=group, day=MONDAY + timedelta(weeks=1))
        empty = GroupSession(group_id=group, day=MONDAY + timedelta(weeks=2))
        session.add_all([held, empty])
        session.flush()
        modality = session.get_one(Group, group).schedule[0].modality_id
        blocks = [
            Block(
                session_id=s.id,
                sequence=1,
                modality_id=modality,
                planned_start=time(9),
                planned_end=time(10),
            )
            for s in (held, empty)
        ]
        session.add_all(blocks)
        person = Participant(
            chart_number="S-1",
            legal_first="Sam",
            legal_last="Field",
            date_of_birth=date(1990, 1, 1),
        )
        session.add(person)
        session.flush()
        session.add(Attendance(block_id=blocks[0].id, participant_id=person.id, status="present"))
    _refused(
        clinic,
        "on 2030-01-14 already holds attendance or notes: a schedule change can take effect "
        "from 2030-01-15",
        lambda: clinic.setup.change_schedule(admin, group, MONDAY + timedelta(days=3), [CBT]),
    )
    clinic.setup.change_schedule(admin, group, MONDAY + timedelta(days=8), [CBT])
    with unit_of_work(clinic.database) as session:
        days = session.scalars(select(GroupSession.day).where(GroupSession.group_id == group))
        assert list(days) == [MONDAY + timedelta(weeks=1)]  # the empty one is made again later


def test_group_template_overrides_the_program(clinic: Clinic, admin: SignedInUser) -> None:
    program, group = _program_and_group(clinic, admin)
    mine = NoteTemplate(
        "STEPS", "Steps note", "", (TemplateField("step", "Step", "", True, ("Took ",)),)
    )
    clinic.setup.save_template(admin, mine)
    with unit_of_work(clinic.database) as session:
        assert template_for_group(session, session.get_one(Group, group)).code == "GIRP"
    details = clinic.setup.groups()[0].details
    clinic.setup.save_group(
        admin, group, GroupDetails(**{**details.__dict__, "note_template": "STEPS"})
    )
    with unit_of_work(clinic.database) as session:
        assert template_for_group(session, session.get_one(Group, group)) == mine
    assert clinic.quick_phrases.phrases("STEPS", "step") == ("Took ",)
    _refused(
        clinic, "chosen by Morning", lambda: clinic.setup.set_template_active(admin, "STEPS", False)
    )
    assert program


def test_topics_and_modalities(clinic: Clinic, admin: SignedInUser) -> None:
    setup = clinic.setup
    art = setup.save_modality(admin, None, ModalityDetails("ART", "Art therapy", "", ("Collage",)))
    topic = setup.save_topic(
        admin, art, None, TopicDetails("Collage of supports", 1, ("Name two",))
    )
    setup.save_topic(admin, art, topic, TopicDetails("Collage of my supports", 2))
    row = next(m for m in setup.modalities() if m.id == art)
    assert [t.details.title for t in row.topics] == ["Collage of my supports"]
    _refused(
        clinic,
        "already a modality coded ART",
        lambda: setup.save_modality(admin, None, ModalityDetails("art", "Again")),
    )
    setup.remove_topic(admin, topic)
    assert not next(m for m in setup.modalities() if m.id == art).topics
    assert _audit_count(clinic) >= 4


def test_shipped_templates_are_installed_once(clinic: Clinic) -> None:
    codes = {t.template.code: t.shipped for t in clinic.setup.templates()}
    assert codes == {"BIRP": True, "DAP": True, "GIRP": True, "SOAP": True}
    with unit_of_work(clinic.database) as session:
        assert install_shipped_content(session) == 0
    assert len(clinic.setup.templates()) == 4
