"""The demo clinic's progress data, recorded through the measures and discharge services:
outcome measures over the weeks, recovery dates, discharges and a signed summary.

Measures follow the program's schedule and improve over the enrollment; the points that fall
in today's week are left due, so Today and the runner show them. One participant's latest
PHQ-9 has the self-harm item above zero (the runner's risk highlight), one reaches 90 days of
recovery today, and each group's earliest admission completed the program: the morning
group's discharge summary is signed, the evening's is a draft, ready to sign.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from facilitator.domain.discharge import DischargeReason, DischargeRequest, TransitionPlan
from facilitator.domain.measures import MeasureDefinition, MeasureSchedule, due_points
from facilitator.domain.progress import week_of
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services.demo_history import DemoClock
from facilitator.services.demo_people import Admission
from facilitator.services.demo_staff import DemoStaff
from facilitator.services.discharge import Discharges
from facilitator.services.measures import Measures
from facilitator.storage.database import Database

RECOVERY_DAYS_AGO = (90, 28, 200, 45)  # the first reaches 90 days today, the second 30 this week
SIGNED_AT = time(16)  # the morning lead signs the summary on the discharge day
PLANS = (
    TransitionPlan(
        next_level_of_care="Standard outpatient (ASAM Level 1), weekly individual counseling",
        referrals="Primary care follow-up for sleep; vocational rehabilitation intake",
        support_groups="SMART Recovery, Tuesday evenings at the community center",
        follow_up="Individual session with the outpatient counselor within 7 days",
        relapse_prevention="Leave early from family gatherings with alcohol; call sponsor "
        "before payday; morning walk and breathing practice for cravings",
    ),
    TransitionPlan(
        next_level_of_care="Standard outpatient (ASAM Level 1)",
        referrals="Psychiatry for medication review",
        support_groups="Twelve-step home group, Thursday and Sunday",
        follow_up="Outpatient intake appointment next week",
        relapse_prevention="Avoid the old route home; text a peer when stressed",
    ),
)


@dataclass(frozen=True)
class Member:
    """An admitted participant of the demo, with the lead of their group."""

    participant_id: uuid.UUID
    admission: Admission
    lead: SignedInUser


class DemoProgress:
    """Measures, recovery dates and discharges for the demo's members (by group)."""

    def __init__(
        self,
        database: Database,
        audit: AuditTrail,
        staff: DemoStaff,
        clock: DemoClock,
        groups: Sequence[Sequence[Member]],
        today: date,
    ) -> None:
        self.staff, self.clock, self.groups, self.today = staff, clock, groups, today
        self.measures = Measures(database, audit)
        self.discharges = Discharges(database, staff, audit, now=clock.now, zone=clock.zone)
        (program,) = self.measures.programs()
        self.schedule: MeasureSchedule = program.schedule
        self.weeks = program.length_weeks or 8
        self.discharged: dict[uuid.UUID, uuid.UUID] = {}  # participant -> discharge

    def discharge_before(self, day: date) -> None:
        """Discharge those who completed the program before `day`, as their lead records it."""
        for index, members in enumerate(self.groups):
            for member in members:
                completes = member.admission.completes
                if (
                    completes is None
                    or completes >= day
                    or member.participant_id in self.discharged
                ):
                    continue
                request = DischargeRequest(
                    completes, DischargeReason.COMPLETED, PLANS[index % len(PLANS)]
                )
                row = self.discharges.discharge(
                    member.lead, member.participant_id, request, self.today
                )
                self.discharged[member.participant_id] = row.discharge_id

    def add_progress(self, rng: random.Random) -> None:
        """Measures for every member and recovery dates; then the morning lead signs the
        morning group's discharge summary (the evening's stays a draft)."""
        definitions = {d.code: d for d in self.measures.definitions()}
        this_week = week_of(self.today)
        for members in self.groups:
            for member in members:
                self._measures_for(rng, member, definitions, this_week)
        active = [
            m for members in self.groups for m in members[1:] if m.admission.completes is None
        ]
        for member, days in zip(active[4::3], RECOVERY_DAYS_AGO, strict=False):
            self.measures.set_recovery_start(
                member.lead, member.participant_id, self.today - timedelta(days=days), self.today
            )
        self._risk_example(definitions["PHQ-9"], self.groups[0][-3])
        signer = self.groups[0][0]
        completes = signer.admission.completes
        if completes is not None and signer.participant_id in self.discharged:
            self.clock.set_local(completes, SIGNED_AT)
            self.discharges.sign(
                signer.lead,
                self.staff.password(signer.lead),
                self.discharged[signer.participant_id],
            )

    def _measures_for(
        self,
        rng: random.Random,
        member: Member,
        definitions: dict[str, MeasureDefinition],
        this_week: date,
    ) -> None:
        """Every scheduled point before this week, improving over time; craving and readiness
        every two weeks."""
        admitted, completes = member.admission.admitted, member.admission.completes
        ends = completes or admitted + timedelta(weeks=self.weeks)
        last = min(this_week - timedelta(days=1), completes or this_week)
        start = {"PHQ-9": rng.randrange(11, 20), "GAD-7": rng.randrange(8, 16)}
        for point in due_points(self.schedule, admitted, ends, last):
            progress = (point.day - admitted).days / (self.weeks * 7)
            for code in self.schedule.measures:
                total = max(0, round(start[code] * (1 - 0.6 * progress)) + rng.randrange(-1, 2))
                self._record(definitions[code], member, point.day, total)
        day = admitted
        while day <= last:
            progress = (day - admitted).days / (self.weeks * 7)
            craving = max(0, min(10, round(7 - 5 * progress) + rng.randrange(-1, 2)))
            readiness = max(0, min(10, round(5 + 4 * progress) + rng.randrange(-1, 2)))
            self._record(definitions["CRAVING"], member, day, craving)
            self._record(definitions["READINESS"], member, day, readiness)
            day += timedelta(weeks=2)

    def _risk_example(self, phq9: MeasureDefinition, member: Member) -> None:
        """A PHQ-9 last Thursday with the self-harm item at 1: the runner highlights the risk."""
        day = week_of(self.today) - timedelta(days=4)
        if day >= member.admission.admitted:
            self._record(phq9, member, day, 12, self_harm=1)

    def _record(
        self,
        definition: MeasureDefinition,
        member: Member,
        day: date,
        total: int,
        self_harm: int = 0,
    ) -> None:
        """The lead records a result whose item scores add up to `total`."""
        scores = {item.key: 0 for item in definition.items}
        left = min(total, definition.high) - self_harm
        for item in definition.risk_items:
            scores[item.key] = self_harm
        while left > 0:
            for item in definition.items:
                if left and not item.risk and scores[item.key] < item.high:
                    scores[item.key] += 1
                    left -= 1
        self.measures.record(
            member.lead, member.participant_id, definition.code, day, scores, self.today
        )
