"""The demo clinic's progress data: measures over the weeks, recovery dates, discharges.

Measures follow the program's schedule and improve over the enrollment; the points that fall
in today's week are left due, so Today and the runner show them. One participant's latest
PHQ-9 has the self-harm item above zero (the runner's risk highlight), one reaches 90 days of
recovery today, and the morning group's discharged participant has a signed discharge summary
(the evening's is a draft, ready to sign).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator import content
from facilitator.domain.discharge import DischargeReason, SummaryStatus, TransitionPlan
from facilitator.domain.measures import MeasureDefinition, MeasureSchedule, due_points
from facilitator.domain.notes import content_hash
from facilitator.domain.progress import week_of
from facilitator.services.discharge import ATTESTATION, MEANING, build_summary
from facilitator.storage.models import Clinician, Discharge, Enrollment, Measure, MeasureResult

PROGRAM_WEEKS = 8
SCHEDULE = MeasureSchedule(
    measures=("PHQ-9", "GAD-7"), at_admission=True, every_weeks=4, at_discharge=True
)
RECOVERY_DAYS_AGO = (90, 28, 200, 45)  # the first reaches 90 days today, the second 30 this week
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


def add_progress(
    session: Session,
    groups: Sequence[Sequence[Enrollment]],
    signer: Clinician,
    today: date,
    seed: int,
) -> None:
    """Measures for every member, recovery dates, and the discharges' records."""
    rng = random.Random(seed)
    measures = {m.code: m for m in session.scalars(select(Measure))}
    shipped = {m.code: m for m in content.measures()}
    this_week = week_of(today)
    for members in groups:
        for enrollment in members:
            _measures_for(session, rng, enrollment, measures, shipped, this_week)
    active = [e for members in groups for e in members[1:] if e.discharged is None]
    for enrollment, days in zip(active[4::3], RECOVERY_DAYS_AGO, strict=False):
        enrollment.participant.recovery_start = today - timedelta(days=days)
    _risk_example(session, measures["PHQ-9"], shipped["PHQ-9"], groups[0][-3], today)
    session.flush()
    for index, members in enumerate(groups):
        discharged = members[0]
        row = Discharge(
            enrollment=discharged,
            reason=DischargeReason.COMPLETED.value,
            plan=PLANS[index % len(PLANS)].as_dict(),
            created_by=signer.id,
            status=SummaryStatus.DRAFT.value,
        )
        session.add(row)
        session.flush()
        if index == 0:
            _sign(session, row, signer, discharged)


def _measures_for(
    session: Session,
    rng: random.Random,
    enrollment: Enrollment,
    measures: dict[str, Measure],
    shipped: dict[str, MeasureDefinition],
    this_week: date,
) -> None:
    """Every scheduled point before this week, improving over time; craving and readiness
    every two weeks."""
    ends = enrollment.discharged or enrollment.admitted + timedelta(weeks=PROGRAM_WEEKS)
    last = min(this_week - timedelta(days=1), enrollment.discharged or this_week)
    start = {"PHQ-9": rng.randrange(11, 20), "GAD-7": rng.randrange(8, 16)}
    for point in due_points(SCHEDULE, enrollment.admitted, ends, last):
        progress = (point.day - enrollment.admitted).days / (PROGRAM_WEEKS * 7)
        for code in SCHEDULE.measures:
            total = max(0, round(start[code] * (1 - 0.6 * progress)) + rng.randrange(-1, 2))
            _add(session, measures[code], shipped[code], enrollment, point.day, total)
    day = enrollment.admitted
    while day <= last:
        progress = (day - enrollment.admitted).days / (PROGRAM_WEEKS * 7)
        craving = max(0, min(10, round(7 - 5 * progress) + rng.randrange(-1, 2)))
        readiness = max(0, min(10, round(5 + 4 * progress) + rng.randrange(-1, 2)))
        _add(session, measures["CRAVING"], shipped["CRAVING"], enrollment, day, craving)
        _add(session, measures["READINESS"], shipped["READINESS"], enrollment, day, readiness)
        day += timedelta(weeks=2)


def _add(
    session: Session,
    measure: Measure,
    definition: MeasureDefinition,
    enrollment: Enrollment,
    day: date,
    total: int,
    self_harm: int = 0,
) -> None:
    """A result whose item scores add up to `total`, spread over the items."""
    scores = {item.key: 0 for item in definition.items}
    left = min(total, definition.high) - self_harm
    for item in definition.risk_items:
        scores[item.key] = self_harm
    while left > 0:
        for item in definition.items:
            if left and not item.risk and scores[item.key] < item.high:
                scores[item.key] += 1
                left -= 1
    score = definition.score(scores)
    session.add(
        MeasureResult(
            participant_id=enrollment.participant_id,
            measure_id=measure.id,
            taken_on=day,
            item_scores=scores,
            total=score.total,
            band=score.band.label,
            risk=score.risk,
            recorded_by=enrollment.group.default_facilitator_id,
        )
    )


def _risk_example(
    session: Session,
    measure: Measure,
    definition: MeasureDefinition,
    enrollment: Enrollment,
    today: date,
) -> None:
    """A PHQ-9 last Thursday with the self-harm item at 1: the runner highlights the risk."""
    day = week_of(today) - timedelta(days=4)
    if day >= enrollment.admitted:
        _add(session, measure, definition, enrollment, day, 12, self_harm=1)


def _sign(session: Session, row: Discharge, signer: Clinician, enrollment: Enrollment) -> None:
    assert enrollment.discharged is not None
    signed = build_summary(session, row).content()
    zone = "America/New_York"
    at = datetime.combine(enrollment.discharged, datetime.min.time().replace(hour=16))
    local = at.replace(tzinfo=ZoneInfo(zone))
    offset = local.strftime("%z")
    row.content, row.content_hash = signed, content_hash(signed)
    row.signed_by, row.printed_name, row.credentials = (
        signer.id,
        signer.display_name,
        signer.credentials,
    )
    row.signed_at, row.time_zone, row.utc_offset = local, zone, f"{offset[:3]}:{offset[3:]}"
    row.meaning, row.attestation = MEANING, ATTESTATION
    row.status = SummaryStatus.SIGNED.value
