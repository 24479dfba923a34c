"""The synthetic history, day by day: enrollments, sessions, attendance and signed notes."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bench.bulk_writer import BulkWriter, Row
from facilitator import content
from facilitator.domain.notes import NoteStatus, content_hash
from facilitator.services import demo_people as people
from facilitator.services.notes_content import canonical_note_content
from facilitator.services.signing import Stamp
from facilitator.storage.models import (
    Base,
    CurriculumTopic,
    ParticipantNote,
)

CENSUS = 15
BLOCK_MODALITIES = ("CBT", "RP", "PSYED")
MEETING_DAYS = (0, 1, 2, 3)  # Monday to Thursday
SLOTS = ((9, "Morning"), (13, "Afternoon"), (18, "Evening"))
ROOMS = ("Cedar", "Willow", "Birch", "Maple", "Aspen", "Juniper")
CLOSED_DAY_SHARE = 0.03  # holidays and closures, the same for every group
EARLY_DISCHARGE_SHARE = 0.12
DAY_ABSENCE_SHARE = 0.07  # absent the whole day
BLOCK_STATUSES = ("present", "late", "left_early", "absent_excused", "absent_unexcused")
BLOCK_WEIGHTS = (93, 4, 2, 0.5, 0.5)  # on a day the participant came in
COSIGN_AFTER_DAYS = 3
TIME_ZONE = "America/New_York"  # the demo clinic's zone (resources/demo/clinic.toml)
ZONE = ZoneInfo(TIME_ZONE)


@dataclass
class _Stay:
    """One participant's enrollment in a group."""

    participant_id: uuid.UUID
    admitted: date
    discharged: date | None
    goals: list[tuple[str, str]]  # (goal id, text)


@dataclass
class _GroupPlan:
    group_id: uuid.UUID
    lead: Row
    cosigner: Row | None  # the supervisor, when the lead is an associate
    starts: tuple[time, ...]
    stays: list[_Stay] = field(default_factory=list)  # in order of admission
    admitted: int = 0  # how many of `stays` have begun
    active: list[_Stay] = field(default_factory=list)
    cycle: dict[str, int] = field(default_factory=dict)

    def roster_on(self, day: date) -> list[_Stay]:
        """Who is enrolled on `day`; days must come in order."""
        while self.admitted < len(self.stays) and self.stays[self.admitted].admitted <= day:
            self.active.append(self.stays[self.admitted])
            self.admitted += 1
        self.active = [s for s in self.active if s.discharged is None or day <= s.discharged]
        return self.active


class History:
    """Makes the rows, day by day, for every group."""

    def __init__(
        self, writer: BulkWriter, rng: random.Random, today: date, years: int, groups: int
    ) -> None:
        self.writer = writer
        self.rng = rng
        self.today = today
        self.first = today - timedelta(days=round(years * 365.25))
        self.group_count = groups
        connection = writer.connection
        self.modalities = {
            row.code: row
            for row in connection.execute(select(Base.metadata.tables["modality"])).all()
        }
        self.topics: dict[str, list[Any]] = {code: [] for code in self.modalities}
        modality_codes = {row.id: code for code, row in self.modalities.items()}
        topic_rows = connection.execute(
            select(Base.metadata.tables["curriculum_topic"]).order_by(CurriculumTopic.sequence)
        ).all()
        for topic in topic_rows:
            self.topics[modality_codes[topic.modality_id]].append(topic)
        self.template = content.note_templates()["GIRP"]
        self.picks = content.pick_lists()
        self.names = [(f, last) for f in people.FIRST_NAMES for last in people.LAST_NAMES]
        rng.shuffle(self.names)
        self.participants = 0
        self.instants: dict[tuple[date, time], datetime] = {}
        self.checked_hash = False

    def new_id(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def build(self) -> None:
        plans = self._clinic()
        for plan in plans:
            self._enroll(plan)
        self.writer.commit("staff, groups and participants")
        closed = {
            self.first + timedelta(days=offset)
            for offset in range((self.today - self.first).days)
            if self.rng.random() < CLOSED_DAY_SHARE
        }
        day = self.first
        year = day.year
        while day <= self.today:
            if day.year != year:
                self.writer.commit(str(year))
                year = day.year
            meets = day.weekday() in MEETING_DAYS and day not in closed
            if meets or day == self.today:  # always a session to run today, as in the demo
                for plan in plans:
                    self._session(plan, day)
            day += timedelta(days=1)
        self.writer.commit(f"{year} to {self.today}")

    # --- staff, program, groups ----------------------------------------------------------

    def _clinic(self) -> list[_GroupPlan]:
        add = self.writer.add
        now = datetime.combine(self.first, time(8), tzinfo=UTC)
        supervisors = [
            self._clinician("jlee", "Jordan Lee", "LCSW, LCADC", "supervisor", now),
            self._clinician("apatel", "Asha Patel", "LPC, LCADC", "supervisor", now),
        ]
        for row in supervisors:
            add("clinician", row)
        self.writer.flush()  # leads refer to their supervisors
        add(
            "clinician",
            self._clinician("admin", "Clinic Administrator", "", "administrator", now),
        )
        program_id = self.new_id()
        add(
            "program",
            {
                "id": program_id,
                "name": "Adult IOP",
                "level_of_care": "ASAM Level 2.1 Intensive Outpatient",
                "weekly_target_minutes": 9 * 60,
                "daily_minimum_minutes": 180,
                "note_template": "GIRP",
            },
        )
        plans = []
        lead_names = [(f, last) for f in reversed(people.FIRST_NAMES) for last in people.LAST_NAMES]
        self.rng.shuffle(lead_names)
        for index in range(self.group_count):
            hour, part = SLOTS[index % len(SLOTS)]
            room = ROOMS[(index // len(SLOTS)) % len(ROOMS)]
            first, last = lead_names[index]
            cosigner = supervisors[index % 2] if index % 3 == 1 else None  # an associate
            lead = self._clinician(
                f"{first[0]}{last}{index}".lower(),
                f"{first} {last}",
                "LAC" if cosigner else "LPC, LCADC",
                "facilitator",
                now,
                supervisor=cosigner,
            )
            add("clinician", lead)
            group_id = self.new_id()
            add(
                "care_group",
                {
                    "id": group_id,
                    "program_id": program_id,
                    "name": f"Adult IOP {part} {room}",
                    "room": f"Room {index // len(SLOTS) + 1} ({room})",
                    "default_facilitator_id": lead["id"],
                    "active": True,
                },
            )
            starts = tuple(time(hour + n) for n in range(len(BLOCK_MODALITIES)))
            for weekday in MEETING_DAYS:
                for start, code in zip(starts, BLOCK_MODALITIES, strict=True):
                    add(
                        "block_template",
                        {
                            "id": self.new_id(),
                            "group_id": group_id,
                            "weekday": weekday,
                            "start": start,
                            "end": time(start.hour + 1),
                            "modality_id": self.modalities[code].id,
                        },
                    )
            plans.append(_GroupPlan(group_id, lead, cosigner, starts))
        return plans

    def _clinician(
        self,
        username: str,
        name: str,
        credentials: str,
        role: str,
        now: datetime,
        supervisor: Row | None = None,
    ) -> Row:
        return {
            "id": self.new_id(),
            "username": username,
            "display_name": name,
            "credentials": credentials,
            "role": role,
            "needs_cosignature": supervisor is not None,
            "supervisor_id": supervisor["id"] if supervisor else None,
            "active": True,
            "password_hash": None,
            "created_at": now,
        }

    # --- participants and their stays ----------------------------------------------------

    def _enroll(self, plan: _GroupPlan) -> None:
        """Fill CENSUS places with back-to-back stays; everyone's place is full today."""
        rng = self.rng
        for _place in range(CENSUS):
            admitted = self.first - timedelta(days=rng.randrange(0, 84))
            while True:
                early = rng.random() < EARLY_DISCHARGE_SHARE
                length = rng.randrange(10, 42) if early else rng.randrange(56, 85)
                discharged: date | None = admitted + timedelta(days=length)
                if discharged is not None and discharged >= self.today:
                    discharged = None
                reason = None
                if discharged is not None:
                    reason = "Did not return" if early else "Completed program"
                plan.stays.append(self._participant(plan, admitted, discharged, reason))
                if discharged is None:
                    break
                admitted = min(discharged + timedelta(days=rng.randrange(1, 10)), self.today)
        plan.stays.sort(key=lambda stay: stay.admitted)

    def _participant(
        self, plan: _GroupPlan, admitted: date, discharged: date | None, reason: str | None
    ) -> _Stay:
        rng = self.rng
        add = self.writer.add
        first, last = self.names[self.participants % len(self.names)]
        participant_id = self.new_id()
        self.participants += 1
        add(
            "participant",
            {
                "id": participant_id,
                "chart_number": f"IOP-{admitted:%y}-{self.participants:06d}",
                "legal_first": first,
                "legal_last": last,
                "preferred_name": rng.choice(people.PREFERRED_NAMES)
                if rng.random() < 0.2
                else None,
                "pronouns": rng.choice(people.PRONOUNS),
                "date_of_birth": date(
                    admitted.year - rng.randrange(19, 66),
                    rng.randrange(1, 13),
                    rng.randrange(1, 29),
                ),
            },
        )
        goals = []
        for sequence, goal_text in enumerate(
            rng.sample(people.GOALS, k=rng.choice((2, 3))), start=1
        ):
            goal_id = self.new_id()
            status = "active"
            if discharged is not None:
                status = "met" if reason == "Completed program" else "discontinued"
            add(
                "treatment_goal",
                {
                    "id": goal_id,
                    "participant_id": participant_id,
                    "sequence": sequence,
                    "text": goal_text,
                    "status": status,
                    "created_on": admitted,
                },
            )
            goals.append((str(goal_id), goal_text))
        add(
            "enrollment",
            {
                "id": self.new_id(),
                "participant_id": participant_id,
                "group_id": plan.group_id,
                "admitted": admitted,
                "discharged": discharged,
                "discharge_reason": reason,
            },
        )
        return _Stay(participant_id, admitted, discharged, goals)

    # --- sessions, blocks, attendance, notes ----------------------------------------------

    def _session(self, plan: _GroupPlan, day: date) -> None:
        rng = self.rng
        add = self.writer.add
        session_id = self.new_id()
        add(
            "group_session",
            {"id": session_id, "group_id": plan.group_id, "day": day},
        )
        here = plan.roster_on(day)
        history = day < self.today
        absent_today = {s.participant_id for s in here if rng.random() < DAY_ABSENCE_SHARE}
        for sequence, (start, code) in enumerate(
            zip(plan.starts, BLOCK_MODALITIES, strict=True), start=1
        ):
            modality = self.modalities[code]
            topics = self.topics[code]
            topic = topics[plan.cycle.get(code, 0) % len(topics)]
            plan.cycle[code] = plan.cycle.get(code, 0) + 1
            end = time(start.hour + 1)
            block_id = self.new_id()
            ended = self._instant(day, end)
            interventions = rng.sample(
                modality.interventions, k=min(3, len(modality.interventions))
            )
            add(
                "block",
                {
                    "id": block_id,
                    "session_id": session_id,
                    "sequence": sequence,
                    "modality_id": modality.id,
                    "topic_id": topic.id,
                    "free_topic": None,
                    "planned_start": start,
                    "planned_end": end,
                    "actual_start": start if history else None,
                    "actual_end": end if history else None,
                    "interventions": interventions if history else [],
                    "other_interventions": "",
                    "group_note": (
                        "Group reviewed the topic with a brief check-in, a skills segment and "
                        f"practice. Interventions: {', '.join(interventions).lower()}. "
                        "Members were engaged overall."
                    )
                    if history
                    else "",
                    "updated_at": ended if history else self._instant(day, start),
                },
            )
            add(
                "block_facilitator",
                {"block_id": block_id, "clinician_id": plan.lead["id"], "role": "lead"},
            )
            if not history:
                continue  # today's blocks are ready to run: no attendance yet
            intervention = (
                f'Facilitator led a group on "{topic.title}" using '
                f"{', '.join(interventions).lower()}."
            )
            for stay in here:
                status = (
                    rng.choice(("absent_excused", "absent_unexcused"))
                    if stay.participant_id in absent_today
                    else rng.choices(BLOCK_STATUSES, BLOCK_WEIGHTS)[0]
                )
                self._attendance(block_id, stay, status, start, ended)
                if not status.startswith("absent"):
                    self._note(plan, block_id, stay, day, ended, intervention)

    def _attendance(
        self, block_id: uuid.UUID, stay: _Stay, status: str, start: time, ended: datetime
    ) -> None:
        arrived = left = None
        if status == "late":
            arrived = time(start.hour, self.rng.choice((5, 10, 15, 20)))
        elif status == "left_early":
            left = time(start.hour, self.rng.choice((30, 40, 45, 50)))
        self.writer.add(
            "attendance",
            {
                "id": self.new_id(),
                "block_id": block_id,
                "participant_id": stay.participant_id,
                "status": status,
                "arrived": arrived,
                "left": left,
                "absence_reason": "Medical appointment" if status == "absent_excused" else None,
                "added_reason": None,
                "removed_reason": None,
                "updated_at": ended,
            },
        )

    def _note(
        self,
        plan: _GroupPlan,
        block_id: uuid.UUID,
        stay: _Stay,
        day: date,
        ended: datetime,
        intervention: str,
    ) -> None:
        rng = self.rng
        picks = self.picks
        lead = plan.lead
        goal_id, goal_text = rng.choice(stay.goals)
        note_id = self.new_id()
        values: Row = {
            "template": self.template.code,
            "fields": {
                "goal": f"Treatment plan goal: {goal_text.lower()}.",
                "intervention": intervention,
                "response": f"Participant {rng.choice(people.RESPONSES)}.",
                "plan": rng.choice(people.PLANS),
                "additional": "",
            },
            "mood": rng.choice(picks["mood"]),
            "affect": rng.choice(picks["affect"]),
            "participation": rng.choice(picks["participation"]),
            "goals_addressed": [
                {"goal_id": goal_id, "progress": rng.choice(picks["goal_progress"][:4])}
            ],
            "risk_flags": {
                "suicidal_ideation": False,
                "homicidal_ideation": False,
                "use_since_last_session": rng.random() < 0.05,
                "craving": rng.choice((0, 1, 2, 2, 3, 4, 5)),
            },
        }
        ids = {"id": note_id, "block_id": block_id, "participant_id": stay.participant_id}
        digest = content_hash(self._canonical(ids, values))
        signed_at = ended + timedelta(minutes=rng.randrange(5, 90))
        supervisor = plan.cosigner
        status = NoteStatus.SIGNED
        if supervisor is not None:
            late = (self.today - day).days > COSIGN_AFTER_DAYS
            status = NoteStatus.COSIGNED if late else NoteStatus.AWAITING_COSIGN
        self.writer.add(
            "participant_note",
            {
                **ids,
                "author_id": lead["id"],
                **values,
                "status": status.value,
                "content_hash": digest,
                "updated_at": signed_at,
            },
        )
        self._signature(note_id, lead, "author", signed_at, digest)
        if supervisor is not None and status is NoteStatus.COSIGNED:
            self._signature(note_id, supervisor, "cosigner", signed_at + timedelta(days=1), digest)

    def _canonical(self, ids: Row, values: Row) -> dict[str, Any]:
        """canonical_note_content's dict, built without an ORM object (checked once)."""
        canonical = {key: str(value) for key, value in ids.items()}
        canonical["note_id"] = canonical.pop("id")
        canonical.update(values)
        if not self.checked_hash:
            note = ParticipantNote(**ids, **values)
            assert canonical_note_content(note) == canonical, "the note's canonical form changed"
            self.checked_hash = True
        return canonical

    def _signature(
        self, note_id: uuid.UUID, who: Row, role: str, at: datetime, digest: str
    ) -> None:
        words = content.signature_texts()[role]
        self.writer.add(
            "signature",
            {
                "id": self.new_id(),
                "note_id": note_id,
                "clinician_id": who["id"],
                "role": role,
                "printed_name": who["display_name"],
                "credentials": who["credentials"],
                "signed_at": at,
                "time_zone": TIME_ZONE,
                "utc_offset": Stamp(at, TIME_ZONE).utc_offset,
                "meaning": words.meaning,
                "attestation": words.attestation,
                "content_hash": digest,
            },
        )

    def _instant(self, day: date, at: time) -> datetime:
        """Local wall-clock time on `day` as an aware UTC instant (cached: zoneinfo is slow)."""
        key = (day, at)
        found = self.instants.get(key)
        if found is None:
            found = datetime.combine(day, at, tzinfo=ZONE).astimezone(UTC)
            self.instants[key] = found
        return found
