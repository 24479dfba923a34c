"""The demo clinic's past weeks, run the way a group leader runs a day.

Each day's sessions are opened from the schedule; each block gets its topic, starts, has its
attendance taken (the late, the early leavers, the absent and the few on video first, then
everyone else marked present), its group note and each attendee's note, ends, and has its notes
signed soon after. The supervisor co-signs the associate's notes the next day, except those of
the last COSIGN_WITHIN_DAYS days (still in the queue); at the end the supervisor returns the
oldest note in the queue and a lead adds an addendum to a note signed a week before. Signing
and co-signing go through the signing service with the demo's clock set to when they happen.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from facilitator import content
from facilitator.domain.attendance import AttendanceMode, AttendanceStatus
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services import demo_people as people
from facilitator.services.day_plan import plan_day
from facilitator.services.demo_staff import DemoStaff
from facilitator.services.session_runner import SessionRunner
from facilitator.services.session_sheet import BlockSheet, NoteDraft, RiskFlags, RosterEntry
from facilitator.services.sessions import open_session
from facilitator.services.signing import Signing
from facilitator.services.views import TopicRow, curriculum
from facilitator.storage.database import Database
from facilitator.storage.models import Group
from facilitator.storage.unit_of_work import unit_of_work

COSIGN_WITHIN_DAYS = 5  # the supervisor has not yet co-signed the associate's newer notes
STATUS_WEIGHTS = {
    AttendanceStatus.PRESENT: 80,
    AttendanceStatus.LATE: 7,
    AttendanceStatus.LEFT_EARLY: 5,
    AttendanceStatus.ABSENT_EXCUSED: 5,
    AttendanceStatus.ABSENT_UNEXCUSED: 3,
}
BY_VIDEO = 0.04  # the share of attendees who join by video
RETURN_COMMENT = (
    "Please describe the participant's response in observable terms (what they said or did) "
    "and tie the plan to their treatment goal."
)
ADDENDUM_TEXT = (
    "Late entry: after group the participant asked for the relapse prevention worksheet "
    "discussed in session; a copy was given at the front desk."
)


class DemoClock:
    """The time the demo's signing services stamp: set to when each signature happens."""

    def __init__(self, zone: str) -> None:
        self.zone = zone
        self.at = datetime.now(UTC)

    def now(self) -> datetime:
        return self.at

    def set_local(self, day: date, at: time, minutes: int = 0) -> datetime:
        local = datetime.combine(day, at, tzinfo=ZoneInfo(self.zone))
        self.at = local.astimezone(UTC) + timedelta(minutes=minutes)
        return self.at


@dataclass(frozen=True)
class Meeting:
    """A group meeting on a day, and its lead (who opens and runs its session)."""

    group_id: uuid.UUID
    group: str
    lead: SignedInUser


@dataclass(frozen=True)
class _Signed:
    """A block's notes, signed together by their author at `at`."""

    note_ids: tuple[uuid.UUID, ...]
    author: SignedInUser
    at: datetime


class DemoHistory:
    """Runs the past days' sessions as their leads, and opens today's."""

    def __init__(
        self,
        database: Database,
        audit: AuditTrail,
        staff: DemoStaff,
        clock: DemoClock,
        rng: random.Random,
        today: date,
    ) -> None:
        self.database, self.audit, self.staff = database, audit, staff
        self.clock, self.rng, self.today = clock, rng, today
        self.signing = Signing(database, staff, audit, now=clock.now, zone=clock.zone)
        self.runners: dict[uuid.UUID, SessionRunner] = {}
        with unit_of_work(database) as session:
            topics = curriculum(session)
        self.topics: dict[str, list[TopicRow]] = {}
        for topic in topics:
            self.topics.setdefault(topic.modality_code, []).append(topic)
        self.taught: dict[tuple[str, str], int] = {}  # (group, modality) -> topics so far
        self.picks = content.pick_lists()
        self.awaiting: list[_Signed] = []
        self.signed_alone: list[_Signed] = []

    def run_day(self, day: date) -> None:
        """Every group meeting on `day`: its session opened by its lead, run, and its notes
        signed."""
        for meeting in self.meeting(day):
            runner = self._runner(meeting.lead)
            session_id = open_session(
                self.database, meeting.group_id, day, self.audit, meeting.lead.id
            )
            for block in runner.sheet(session_id).blocks:
                self._run_block(runner, session_id, block, meeting, day)

    def open_today(self) -> int:
        """Today's sessions made (as opening the runner or printing a sign-in sheet does), with
        their topics chosen; nothing is run yet. Returns how many blocks they have."""
        blocks = 0
        for meeting in self.meeting(self.today):
            runner = self._runner(meeting.lead)
            made = open_session(
                self.database, meeting.group_id, self.today, self.audit, meeting.lead.id
            )
            for block in runner.sheet(made).blocks:
                self._set_topic(runner, block, meeting.group)
                blocks += 1
        return blocks

    def meeting(self, day: date) -> list[Meeting]:
        """The groups meeting on `day` (the schedule and its changes), with their leads."""
        with unit_of_work(self.database) as session:
            rows = plan_day(session, day)
            leads = {
                row.group_id: session.get_one(Group, row.group_id).default_facilitator_id
                for row in rows
            }
        return [
            Meeting(row.group_id, row.group, self._user(leads[row.group_id]))
            for row in rows
            if row.closed is None and any(b.runs for b in row.blocks)
        ]

    def review_examples(self) -> None:
        """The supervisor returns the oldest note awaiting co-signature; the morning lead adds
        an addendum to their newest note signed at least a week ago."""
        supervisor = self.staff.supervisor
        if self.awaiting:
            oldest = min(self.awaiting, key=lambda s: s.at)
            self.clock.at = oldest.at + timedelta(hours=2)
            self.signing.return_to_author(supervisor, oldest.note_ids[0], RETURN_COMMENT)
        week_ago = [s for s in self.signed_alone if (self.today - s.at.date()).days >= 7]
        if week_ago:
            newest = max(week_ago, key=lambda s: s.at)
            self.clock.at = newest.at + timedelta(days=1)
            password = self.staff.password(newest.author)
            self.signing.add_addendum(newest.author, password, newest.note_ids[0], ADDENDUM_TEXT)

    def _user(self, clinician_id: uuid.UUID | None) -> SignedInUser:
        return next(u for u in self.staff.users.values() if u.id == clinician_id)

    def _runner(self, lead: SignedInUser) -> SessionRunner:
        """The lead's runner: what it changes is audited as theirs."""
        if lead.id not in self.runners:
            self.runners[lead.id] = SessionRunner(self.database, self.audit, lead.id)
        return self.runners[lead.id]

    def _set_topic(self, runner: SessionRunner, block: BlockSheet, group: str) -> TopicRow:
        """The next topic of the block's modality in the group's cycle through the curriculum."""
        topics = self.topics[block.modality_code]
        key = (group, block.modality_code)
        topic = topics[self.taught.get(key, 0) % len(topics)]
        self.taught[key] = self.taught.get(key, 0) + 1
        runner.set_topic(block.block_id, topic.topic_id)
        return topic

    def _run_block(
        self,
        runner: SessionRunner,
        session_id: uuid.UUID,
        block: BlockSheet,
        meeting: Meeting,
        day: date,
    ) -> None:
        lead = meeting.lead
        topic = self._set_topic(runner, block, meeting.group)
        runner.start_block(block.block_id, block.planned.start)
        attending = self._take_attendance(runner, session_id, block)
        choices = block.intervention_choices
        interventions = self.rng.sample(choices, k=min(3, len(choices)))
        summary = (
            "Group reviewed the topic with a brief check-in, a skills segment and practice. "
            f"Interventions: {', '.join(interventions).lower()}. Members were engaged overall."
        )
        runner.save_group_note(block.block_id, interventions, "", summary)
        note_ids = tuple(
            runner.save_draft(
                block.block_id,
                entry.participant_id,
                lead.id,
                self._draft(entry, topic.title, interventions),
            )
            for entry in attending
        )
        runner.end_block(block.block_id, block.planned.end)
        if note_ids:
            self._sign(note_ids, lead, day, block.planned.end)

    def _take_attendance(
        self, runner: SessionRunner, session_id: uuid.UUID, block: BlockSheet
    ) -> list[RosterEntry]:
        """Record who came late, left early, was absent or joined by video; mark the rest
        present. Returns the attendees."""
        statuses = list(STATUS_WEIGHTS)
        weights = list(STATUS_WEIGHTS.values())
        attending = []
        start = block.planned.start
        for entry in block.roster:
            status = self.rng.choices(statuses, weights=weights, k=1)[0]
            video = status.attended and self.rng.random() < BY_VIDEO
            if status.attended:
                attending.append(entry)
            if status is AttendanceStatus.PRESENT and not video:
                continue  # marked present with the others below
            runner.record_attendance(
                block.block_id,
                entry.participant_id,
                status,
                arrived=_plus(start, self.rng.choice((5, 10, 15, 20)))
                if status is AttendanceStatus.LATE
                else None,
                left=_plus(start, self.rng.choice((30, 40, 45, 50)))
                if status is AttendanceStatus.LEFT_EARLY
                else None,
                absence_reason="Medical appointment"
                if status is AttendanceStatus.ABSENT_EXCUSED
                else None,
                mode=AttendanceMode.VIDEO if video else None,
            )
        runner.mark_all_present(block.block_id, session_id)
        return attending

    def _draft(self, entry: RosterEntry, topic: str, interventions: list[str]) -> NoteDraft:
        rng, picks = self.rng, self.picks
        goal = rng.choice(entry.goals)
        return NoteDraft(
            template="GIRP",
            fields={
                "goal": f"Treatment plan goal: {goal.text.lower()}.",
                "intervention": f'Facilitator led a group on "{topic}" using '
                f"{', '.join(interventions).lower()}.",
                "response": f"Participant {rng.choice(people.RESPONSES)}.",
                "plan": rng.choice(people.PLANS),
                "additional": "",
            },
            mood=rng.choice(picks["mood"]),
            affect=rng.choice(picks["affect"]),
            participation=rng.choice(picks["participation"]),
            goals_addressed={str(goal.goal_id): rng.choice(picks["goal_progress"][:4])},
            risk=RiskFlags(
                use_since_last_session=rng.random() < 0.05,
                craving=rng.choice((0, 1, 2, 2, 3, 4, 5)),
            ),
        )

    def _sign(
        self, note_ids: tuple[uuid.UUID, ...], lead: SignedInUser, day: date, end: time
    ) -> None:
        """The lead signs the block's notes after it; the supervisor co-signs an associate's
        the next day unless they are of the last COSIGN_WITHIN_DAYS days."""
        signed_at = self.clock.set_local(day, end, self.rng.randrange(5, 90))
        self.signing.sign(lead, self.staff.password(lead), note_ids)
        signed = _Signed(note_ids, lead, signed_at)
        if not lead.needs_cosignature:
            self.signed_alone.append(signed)
        elif (self.today - day).days > COSIGN_WITHIN_DAYS:
            supervisor = self.staff.supervisor
            self.clock.at = signed_at + timedelta(days=1)
            self.signing.cosign(supervisor, self.staff.password(supervisor), note_ids)
        else:
            self.awaiting.append(signed)


def _plus(start: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()
