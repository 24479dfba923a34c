"""Create a demo clinic: synthetic program, groups, participants, history and today's session."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator import content
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.schedule import BlockTemplate as ScheduleEntry
from facilitator.domain.schedule import expand_schedule
from facilitator.security.audit import AuditTrail
from facilitator.security.passwords import generate_password
from facilitator.services import demo_people as people
from facilitator.services import demo_progress
from facilitator.services.account_store import default_hasher, signed_in_user
from facilitator.services.demo_audit import record_demo_audit
from facilitator.services.shipped_content import install_shipped_content
from facilitator.services.signing import (
    Stamp,
    add_addendum,
    cosign_note,
    return_note,
    sign_note,
)
from facilitator.services.views import participant_count
from facilitator.storage.models import (
    Attendance,
    Block,
    BlockFacilitator,
    BlockTemplate,
    Clinician,
    CurriculumTopic,
    Enrollment,
    Group,
    GroupSession,
    Modality,
    Participant,
    ParticipantNote,
    Program,
    TreatmentGoal,
)

HISTORY_WEEKS = 4
COSIGN_WITHIN_DAYS = 5  # the supervisor has not yet co-signed the associate's newer notes
DEMO_TIME_ZONE = "America/New_York"
RETURN_COMMENT = (
    "Please describe the participant's response in observable terms (what they said or did) "
    "and tie the plan to their treatment goal."
)
ADDENDUM_TEXT = (
    "Late entry: after group the participant asked for the relapse prevention worksheet "
    "discussed in session; a copy was given at the front desk."
)


class DemoRefusedError(Exception):
    """The database already holds a clinic; the demo never writes into real records."""


@dataclass(frozen=True)
class DemoSummary:
    groups: int
    participants: int
    sessions: int
    notes: int
    today_blocks: int
    passwords: dict[str, str]  # username -> the demo account's random password, shown once

    def counts(self) -> dict[str, int]:
        return {
            "groups": self.groups,
            "participants": self.participants,
            "sessions": self.sessions,
            "notes": self.notes,
            "today_blocks": self.today_blocks,
        }


@dataclass(frozen=True)
class _GroupPlan:
    name: str
    room: str
    starts: tuple[time, ...]


GROUP_PLANS = (
    _GroupPlan("Adult IOP Morning", "Room 2 (Cedar)", (time(9), time(10), time(11))),
    _GroupPlan("Adult IOP Evening", "Room 4 (Willow)", (time(18), time(19), time(20))),
)
BLOCK_MODALITIES = ("CBT", "RP", "PSYED")
MONDAY_TO_THURSDAY = (0, 1, 2, 3)


def create_demo_clinic(
    session: Session, today: date, audit: AuditTrail, seed: int = 7
) -> DemoSummary:
    """Fill an empty database with a demo clinic whose last day is `today`, and write its
    accounts and signatures to the audit log (demo_audit)."""
    if participant_count(session):
        raise DemoRefusedError(
            "This database already holds participants; the demo clinic is only created in an "
            "empty data folder. Use --data-dir to choose a new folder."
        )
    rng = random.Random(seed)
    install_shipped_content(session)
    session.flush()
    modalities = {m.code: m for m in session.scalars(select(Modality))}
    clinicians = _clinicians(session)
    passwords = _give_passwords(clinicians)
    program = Program(
        name="Adult IOP",
        level_of_care="ASAM Level 2.1 Intensive Outpatient",
        weekly_target_minutes=9 * 60,
        daily_minimum_minutes=180,
        note_template="GIRP",
        length_weeks=demo_progress.PROGRAM_WEEKS,
        measure_schedule=demo_progress.SCHEDULE.as_dict(),
    )
    session.add(program)
    enrolled: list[list[Enrollment]] = []
    names = _unique_names(rng)
    builder = _HistoryBuilder(session, rng, modalities, today)
    for plan, lead in zip(GROUP_PLANS, (clinicians[0], clinicians[1]), strict=True):
        group = Group(program=program, name=plan.name, room=plan.room, default_facilitator=lead)
        for weekday in MONDAY_TO_THURSDAY:
            for start, code in zip(plan.starts, BLOCK_MODALITIES, strict=True):
                group.schedule.append(
                    BlockTemplate(
                        weekday=weekday,
                        start=start,
                        end=time(start.hour + 1),
                        modality=modalities[code],
                    )
                )
        session.add(group)
        session.flush()
        members = _enroll(session, rng, group, names, today)
        builder.build_group(group, members, lead, cosigner=clinicians[2])
        enrolled.append(members)
    session.flush()
    demo_progress.add_progress(session, enrolled, clinicians[0], today, seed)
    builder.review_examples(clinicians[2])
    people_count = sum(1 for _ in session.scalars(select(Participant.id)))
    summary = builder.summary(participants=people_count, passwords=passwords)
    session.flush()
    record_demo_audit(session, audit, summary.counts())
    return summary


def _clinicians(session: Session) -> list[Clinician]:
    """Two group leads (one an associate who needs co-signature), a supervisor, an admin."""
    staff = [
        Clinician(
            username="mreyes",
            display_name="Morgan Reyes",
            credentials="LPC, LCADC",
            role="facilitator",
        ),
        Clinician(
            username="sokafor",
            display_name="Sam Okafor",
            credentials="LAC",
            role="facilitator",
            needs_cosignature=True,
        ),
        Clinician(
            username="jlee", display_name="Jordan Lee", credentials="LCSW, LCADC", role="supervisor"
        ),
        Clinician(
            username="admin",
            display_name="Clinic Administrator",
            credentials="",
            role="administrator",
        ),
    ]
    session.add_all(staff)
    session.flush()
    staff[1].supervisor_id = staff[2].id
    return staff


def _give_passwords(staff: list[Clinician]) -> dict[str, str]:
    """A random password for each demo account (never a fixed one: a demo left on a laptop
    must not open with a password from the README)."""
    hasher = default_hasher()
    passwords = {}
    for clinician in staff:
        passwords[clinician.username] = generate_password()
        clinician.password_hash = hasher.hash(passwords[clinician.username])
    return passwords


def _unique_names(rng: random.Random) -> Iterator[tuple[str, str]]:
    pairs = [(f, last) for f in people.FIRST_NAMES for last in people.LAST_NAMES]
    rng.shuffle(pairs)
    yield from pairs


def _enroll(
    session: Session,
    rng: random.Random,
    group: Group,
    names: Iterator[tuple[str, str]],
    today: date,
) -> list[Enrollment]:
    """14 participants with staggered admissions; the earliest finished the program last week."""
    enrollments = []
    count = 14
    for index in range(count):
        first, last = next(names)
        weeks_ago = 9 - index * 9 / (count - 1)  # from 9 weeks ago to today
        admitted = today - timedelta(days=round(weeks_ago * 7))
        discharged = today - timedelta(days=6) if index == 0 else None
        participant = Participant(
            chart_number=f"IOP-{rng.randrange(10000, 99999)}-{index:02d}",
            legal_first=first,
            legal_last=last,
            preferred_name=rng.choice(people.PREFERRED_NAMES) if index % 5 == 0 else None,
            pronouns=rng.choice(people.PRONOUNS),
            date_of_birth=date(
                rng.randrange(1960, 2004), rng.randrange(1, 13), rng.randrange(1, 29)
            ),
        )
        for sequence, text in enumerate(rng.sample(people.GOALS, k=rng.choice((2, 3))), start=1):
            participant.goals.append(
                TreatmentGoal(sequence=sequence, text=text, created_on=admitted)
            )
        enrollment = Enrollment(
            participant=participant,
            group=group,
            admitted=admitted,
            discharged=discharged,
            discharge_reason="Completed program" if discharged else None,
        )
        session.add(enrollment)
        enrollments.append(enrollment)
    session.flush()
    return enrollments


class _HistoryBuilder:
    """Sessions, attendance and signed notes for the past weeks, and today's open session."""

    def __init__(
        self,
        session: Session,
        rng: random.Random,
        modalities: dict[str, Modality],
        today: date,
    ) -> None:
        self.session = session
        self.rng = rng
        self.today = today
        self.topics = {
            code: list(
                session.scalars(
                    select(CurriculumTopic)
                    .where(CurriculumTopic.modality_id == modality.id)
                    .order_by(CurriculumTopic.sequence)
                )
            )
            for code, modality in modalities.items()
        }
        self.modality_codes = {m.id: code for code, m in modalities.items()}
        self.template = content.note_templates()["GIRP"]
        self.picks = content.pick_lists()
        self.sessions = self.notes = self.today_blocks = 0
        self.awaiting: list[tuple[ParticipantNote, datetime]] = []
        self.signed_alone: list[tuple[ParticipantNote, datetime]] = []

    def summary(self, participants: int, passwords: dict[str, str]) -> DemoSummary:
        return DemoSummary(
            passwords=passwords,
            groups=len(GROUP_PLANS),
            participants=participants,
            sessions=self.sessions,
            notes=self.notes,
            today_blocks=self.today_blocks,
        )

    def build_group(
        self, group: Group, members: list[Enrollment], lead: Clinician, cosigner: Clinician
    ) -> None:
        entries = [
            ScheduleEntry(
                t.weekday, t.start, t.end, self.modality_codes[t.modality_id], template_id=t.id
            )
            for t in group.schedule
        ]
        first = self.today - timedelta(weeks=HISTORY_WEEKS)
        planned = list(expand_schedule(entries, first, self.today))
        if not any(p.day == self.today for p in planned):
            # The demo always has a session to run today, even on a day the schedule skips.
            monday = [e for e in entries if e.weekday == MONDAY_TO_THURSDAY[0]]
            planned += list(
                expand_schedule(
                    [
                        ScheduleEntry(self.today.weekday(), e.start, e.end, e.modality)
                        for e in monday
                    ],
                    self.today,
                    self.today,
                )
            )
        cycle: dict[str, int] = {}
        sessions: dict[date, GroupSession] = {}
        for item in planned:
            group_session = sessions.get(item.day)
            if group_session is None:
                group_session = GroupSession(group=group, day=item.day)
                self.session.add(group_session)
                sessions[item.day] = group_session
                self.sessions += 1
            code = item.template.modality
            topics = self.topics[code]
            topic = topics[cycle.get(code, 0) % len(topics)]
            cycle[code] = cycle.get(code, 0) + 1
            block = Block(
                session=group_session,
                sequence=item.sequence,
                modality=topic.modality,
                topic=topic,
                planned_start=item.template.start,
                planned_end=item.template.end,
                template_id=item.template.template_id,
            )
            block.facilitators.append(BlockFacilitator(clinician=lead))
            self.session.add(block)
            if item.day == self.today:
                self.today_blocks += 1
                continue
            self._run_block(block, item.day, members, lead, cosigner)

    def _run_block(
        self,
        block: Block,
        day: date,
        members: list[Enrollment],
        lead: Clinician,
        cosigner: Clinician,
    ) -> None:
        rng = self.rng
        block.actual_start = block.planned_start
        block.actual_end = block.planned_end
        interventions = rng.sample(
            block.modality.interventions, k=min(3, len(block.modality.interventions))
        )
        block.interventions = interventions
        block.group_note = (
            f"Group reviewed the topic with a brief check-in, a skills segment and practice. "
            f"Interventions: {', '.join(interventions).lower()}. Members were engaged overall."
        )
        self.session.flush()
        attended: list[Enrollment] = []
        for enrollment in members:
            if not enrollment.admitted <= day <= (enrollment.discharged or day):
                continue
            status = rng.choices(list(AttendanceStatus), weights=(80, 7, 5, 5, 3), k=1)[0]
            arrived = left = None
            if status is AttendanceStatus.LATE:
                arrived = _plus_minutes(block.planned_start, rng.choice((5, 10, 15, 20)))
            if status is AttendanceStatus.LEFT_EARLY:
                left = _plus_minutes(block.planned_start, rng.choice((30, 40, 45, 50)))
            self.session.add(
                Attendance(
                    block_id=block.id,
                    participant_id=enrollment.participant_id,
                    status=status.value,
                    arrived=arrived,
                    left=left,
                    absence_reason="Medical appointment"
                    if status is AttendanceStatus.ABSENT_EXCUSED
                    else None,
                )
            )
            if status.attended:
                attended.append(enrollment)
        self.session.flush()  # everyone's attendance first: each signed note counts them all
        for enrollment in attended:
            self._signed_note(block, day, enrollment, lead, cosigner)

    def _signed_note(
        self,
        block: Block,
        day: date,
        enrollment: Enrollment,
        lead: Clinician,
        cosigner: Clinician,
    ) -> None:
        rng = self.rng
        goals = enrollment.participant.goals
        goal = rng.choice(goals)
        topic = block.topic.title if block.topic else "the group topic"
        note = ParticipantNote(
            block_id=block.id,
            participant_id=enrollment.participant_id,
            author_id=lead.id,
            template=self.template.code,
            fields={
                "goal": f"Treatment plan goal: {goal.text.lower()}.",
                "intervention": f'Facilitator led a group on "{topic}" using '
                f"{', '.join(block.interventions).lower()}.",
                "response": f"Participant {rng.choice(people.RESPONSES)}.",
                "plan": rng.choice(people.PLANS),
                "additional": "",
            },
            mood=rng.choice(self.picks["mood"]),
            affect=rng.choice(self.picks["affect"]),
            participation=rng.choice(self.picks["participation"]),
            goals_addressed=[
                {"goal_id": str(goal.id), "progress": rng.choice(self.picks["goal_progress"][:4])}
            ],
            risk_flags={
                "suicidal_ideation": False,
                "homicidal_ideation": False,
                "use_since_last_session": rng.random() < 0.05,
                "craving": rng.choice((0, 1, 2, 2, 3, 4, 5)),
            },
        )
        self.session.add(note)
        self.session.flush()
        signed_at = _local_instant(day, block.planned_end) + timedelta(minutes=rng.randrange(5, 90))
        sign_note(self.session, note, signed_in_user(lead), Stamp(signed_at, DEMO_TIME_ZONE))
        if not lead.needs_cosignature:
            self.signed_alone.append((note, signed_at))
        elif (self.today - day).days > COSIGN_WITHIN_DAYS:
            cosigned_at = Stamp(signed_at + timedelta(days=1), DEMO_TIME_ZONE)
            cosign_note(self.session, note, signed_in_user(cosigner), cosigned_at)
        else:
            self.awaiting.append((note, signed_at))
        self.notes += 1

    def review_examples(self, supervisor: Clinician) -> None:
        """The supervisor returned the oldest note still awaiting co-signature, and an author
        added an addendum to a note signed a week ago."""
        if self.awaiting:
            note, signed_at = min(self.awaiting, key=lambda pair: pair[1])
            returned_at = signed_at + timedelta(hours=2)
            return_note(self.session, note, signed_in_user(supervisor), RETURN_COMMENT, returned_at)
        week_ago = [(n, at) for n, at in self.signed_alone if (self.today - at.date()).days >= 7]
        if week_ago:
            note, signed_at = max(week_ago, key=lambda pair: pair[1])
            author = self.session.get(Clinician, note.author_id)
            assert author is not None
            stamp = Stamp(signed_at + timedelta(days=1), DEMO_TIME_ZONE)
            add_addendum(self.session, note, signed_in_user(author), ADDENDUM_TEXT, stamp)


def _plus_minutes(start: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()


def _local_instant(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(DEMO_TIME_ZONE)).astimezone(UTC)
