"""The discharge summary as a document: built from the records until it is signed, then as
signed, with the author's signature and, for an associate's summary, the supervisor's."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from facilitator.documents.common import DocumentKind, DocumentNotFoundError
from facilitator.documents.discharge_summary import DischargeSummaryDocument
from facilitator.documents.provenance import provenance
from facilitator.domain.discharge import DischargeReason, SummaryStatus, TransitionPlan
from facilitator.domain.discharge_summary import (
    Attendance as AttendanceTotals,
)
from facilitator.domain.discharge_summary import (
    DischargeSummary,
    GoalOutcome,
    MeasureTrend,
    SummarySignature,
    TopicDone,
)
from facilitator.domain.people import legal_name
from facilitator.domain.progress import week_of
from facilitator.domain.trends import Trends
from facilitator.services.discharge_cosign import cosignature_of
from facilitator.services.enrollment_chain import previous_of, stay_admitted
from facilitator.services.measure_results import MeasureResultRow, participant_results
from facilitator.services.participant_record import WeekHours, load_participant_record
from facilitator.services.signing import Stamp
from facilitator.services.trends import load_trends
from facilitator.storage.models import Discharge, DischargeCosignature

MEANING = "Author of the discharge summary"
ATTESTATION = "I attest that this discharge summary and transition plan are accurate and complete."
MEASURE_LEAD_DAYS = 7  # a measure given in the week before admission counts as its first


def load_discharge_summary(
    session: Session, discharge_id: uuid.UUID, now: datetime
) -> DischargeSummaryDocument:
    """The summary document as signed, or, before signing, as the records stand; `now` aware.

    The export pipeline (reports.export) loads it through facilitator.documents.requests.
    """
    row = session.get(Discharge, discharge_id)
    if row is None:
        raise DocumentNotFoundError("That discharge is no longer in the records.")
    if row.void is not None:
        raise DocumentNotFoundError("That discharge was marked entered in error: no summary.")
    if SummaryStatus(row.status).locked and row.content is not None:
        summary = DischargeSummary.from_content(row.content)
        return summary_document(session, row, summary, author_signature(row), now)
    return summary_document(session, row, build_summary(session, row), None, now)


def summary_document(
    session: Session,
    row: Discharge,
    summary: DischargeSummary,
    signature: SummarySignature | None,
    now: datetime,
) -> DischargeSummaryDocument:
    """The charts show the summary's own data: as signed, or a draft's as the records stand.
    A summary signed before it kept that data has its charts drawn from the records as they
    stand now, and says so (`charts_as_of`)."""
    enrollment = row.enrollment
    cosignature = cosignature_of(session, row)
    charts, as_of = summary.charts, None
    if charts is None:
        participant_id, last = enrollment.participant_id, summary.discharged
        record = load_participant_record(session, participant_id, last)
        charts = _charts(session, participant_id, record.weeks, summary.admitted, last)
        as_of = now.date()
    return DischargeSummaryDocument(
        provenance=provenance(
            session, DocumentKind.DISCHARGE_SUMMARY, enrollment.group.program.name, now
        ),
        discharge_id=row.id,
        summary=summary,
        signature=signature,
        trends=charts,
        charts_as_of=as_of,
        cosignature=_cosignature(cosignature) if cosignature else None,
        awaiting_cosign=row.status == SummaryStatus.AWAITING_COSIGN.value,
    )


def _charts(
    session: Session,
    participant_id: uuid.UUID,
    weeks: tuple[WeekHours, ...],
    first: date,
    last: date,
) -> Trends:
    """What the summary's charts plot, from the records as they stand: the enrollment, from the
    week before admission (a measure given then counts as its first) through discharge."""
    trends = load_trends(session, participant_id, weeks, last)
    return trends.clip(first - timedelta(days=MEASURE_LEAD_DAYS), last)


def build_summary(session: Session, row: Discharge) -> DischargeSummary:
    """The summary of one discharged enrollment, from the records as they stand."""
    enrollment = row.enrollment
    # the whole stay: transfers and step-downs are no discharge, so the summary covers them
    first = stay_admitted(enrollment, previous_of(enrollment.participant.enrollments))
    last = enrollment.discharged
    assert last is not None  # a discharge row always ends its enrollment
    record = load_participant_record(session, enrollment.participant_id, last)
    participant = enrollment.participant
    program = enrollment.group.program
    blocks = [a for a in record.attendance if first <= a.day <= last and a.removed_reason is None]
    # "weeks at target" counts every enrolled week: part weeks at admission and discharge and
    # weeks with no session held or nothing attended are weeks of treatment too
    weeks = [w for w in record.weeks if week_of(first) <= w.monday <= last]
    topics = [
        TopicDone(t.modality, t.title, min(d for d in t.dates if first <= d <= last))
        for t in record.covered
        if any(first <= d <= last for d in t.dates)
    ]
    results = [
        r
        for r in participant_results(session, participant.id)
        if first - timedelta(days=MEASURE_LEAD_DAYS) <= r.taken_on <= last
    ]
    return DischargeSummary(
        discharge_id=str(row.id),
        participant_name=legal_name(
            participant.legal_first, participant.legal_last, participant.preferred_name
        ),
        chart_number=participant.chart_number,
        date_of_birth=participant.date_of_birth,
        program=program.name,
        group=enrollment.group.name,
        level_of_care=program.level_of_care,
        admitted=first,
        discharged=last,
        reason=DischargeReason(row.reason).label,
        attendance=AttendanceTotals(
            days_attended=len({a.day for a in blocks if a.minutes > 0}),
            blocks_attended=sum(1 for a in blocks if a.status.attended),
            blocks_missed=sum(1 for a in blocks if not a.status.attended),
            minutes=sum(a.minutes for a in blocks),
            weeks=len(weeks),
            weeks_met_target=sum(1 for w in weeks if w.met),
            weekly_target_minutes=program.weekly_target_minutes,
        ),
        topics=tuple(sorted(topics, key=lambda t: (t.first_day, t.modality, t.title))),
        goals=tuple(GoalOutcome(g.text, g.status) for g in record.goals),
        measures=tuple(_trends(results)),
        plan=TransitionPlan.from_dict(row.plan),
        charts=_charts(session, participant.id, record.weeks, first, last),
    )


def _trends(results: list[MeasureResultRow]) -> list[MeasureTrend]:
    by_code: dict[str, list[MeasureResultRow]] = {}
    for result in results:  # oldest first
        by_code.setdefault(result.code, []).append(result)
    return [
        MeasureTrend(
            measure=rows[0].name,
            count=len(rows),
            first_day=rows[0].taken_on,
            first_total=rows[0].total,
            first_band=rows[0].band,
            last_day=rows[-1].taken_on,
            last_total=rows[-1].total,
            last_band=rows[-1].band,
            high=rows[0].high,
        )
        for rows in sorted(by_code.values(), key=lambda rows: rows[0].name)
    ]


def _cosignature(row: DischargeCosignature) -> SummarySignature:
    stamp = Stamp(row.signed_at, row.time_zone)
    return SummarySignature(
        printed_name=row.printed_name,
        credentials=row.credentials,
        signed_at=stamp.local,
        time_zone=row.time_zone,
        utc_offset=row.utc_offset,
        meaning=row.meaning,
        attestation=row.attestation,
        content_hash=row.content_hash,
    )


def author_signature(row: Discharge) -> SummarySignature:
    assert row.signed_at is not None and row.time_zone is not None
    stamp = Stamp(row.signed_at, row.time_zone)
    return SummarySignature(
        printed_name=row.printed_name or "",
        credentials=row.credentials or "",
        signed_at=stamp.local,
        time_zone=row.time_zone,
        utc_offset=row.utc_offset or stamp.utc_offset,
        meaning=row.meaning or MEANING,
        attestation=row.attestation or ATTESTATION,
        content_hash=row.content_hash or "",
    )
