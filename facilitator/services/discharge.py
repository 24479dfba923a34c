"""Discharge, step-down and readmission; the discharge summary, signed like a note.

A discharge ends the participant's open enrollment on its day (they stay on that day's roster
and leave it from the next day), keeps every record, and starts a draft summary. The summary's
content is built from the records until it is signed; signing asks the password again, stores
the content as signed with its SHA-256, and locks it (the database refuses changes too). An
author who needs co-signature signs it into their supervisor's queue (discharge_cosign). The
content holds the data its charts plot, so a later correction, a result marked entered in error
or a change to attendance never changes what a signed summary shows.
Readmission is a new enrollment. A discharge recorded in error (the wrong participant or the
wrong date) is marked entered in error while its summary is a draft: it is kept, with why, who
and when, counts nowhere, and its enrollment reopens. A signed summary is corrected, not voided.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, object_session

from facilitator.documents.common import DocumentNotFoundError
from facilitator.documents.discharge_summary import DischargeSummaryDocument
from facilitator.domain.admission import AdmissionError, date_problems
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.discharge import (
    DischargeReason,
    DischargeRequest,
    GoalStatus,
    SummaryStatus,
    TransitionPlan,
    check_discharge,
    check_plan,
    check_readmission,
)
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import content_hash
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.discharge_cosign import OBJECT as OBJECT
from facilitator.services.discharge_cosign import (
    SummaryCosigning,
    SummaryReview,
    discharge_row,
    standing,
    summary_review,
)
from facilitator.services.discharge_document import ATTESTATION as ATTESTATION
from facilitator.services.discharge_document import MEANING as MEANING
from facilitator.services.discharge_document import (
    author_signature,
    summary_document,
)
from facilitator.services.discharge_document import build_summary as build_summary
from facilitator.services.discharge_document import (
    load_discharge_summary as load_discharge_summary,
)
from facilitator.storage.models import (
    Attendance,
    Block,
    Clinician,
    Discharge,
    DischargeVoid,
    Enrollment,
    Group,
    GroupSession,
    Participant,
    TreatmentGoal,
)
from facilitator.storage.unit_of_work import unit_of_work


@dataclass(frozen=True)
class DischargeRow:
    discharge_id: uuid.UUID
    participant_id: uuid.UUID
    discharged: date
    reason: DischargeReason
    plan: TransitionPlan
    status: SummaryStatus
    review: SummaryReview

    @property
    def signed(self) -> bool:
        """Signed by its author (and locked), whether or not co-signature is still awaited."""
        return self.status.locked


@dataclass(frozen=True)
class GoalRow:
    goal_id: uuid.UUID
    text: str
    status: str  # a GoalStatus value


@dataclass(frozen=True)
class VoidedDischarge:
    """A discharge marked entered in error: the day and reason it was recorded with, why it
    was marked, by whom and when (aware UTC)."""

    discharge_id: uuid.UUID
    discharged: date
    reason: DischargeReason
    why: str
    by: str
    at: datetime


GoalStatuses = tuple[tuple[uuid.UUID, GoalStatus], ...]


class Discharges(SummaryCosigning):
    """Each call is one committed transaction with its audit entry."""

    def goals(self, participant_id: uuid.UUID) -> list[GoalRow]:
        """The participant's treatment goals in plan order, each with its status."""
        with unit_of_work(self._database) as session:
            participant = session.get(Participant, participant_id)
            if participant is None:
                raise DomainError("That participant is no longer in the records.")
            return [GoalRow(g.id, g.text, g.status) for g in participant.goals]

    def latest(self, participant_id: uuid.UUID) -> DischargeRow | None:
        """The discharge of the participant's latest enrollment, if it was discharged."""
        with unit_of_work(self._database) as session:
            row = session.scalars(_newest_first(participant_id).limit(1)).first()
            return _row(row) if row else None

    def find(self, participant_id: uuid.UUID, day: date | None = None) -> DischargeRow:
        """The participant's discharge on `day`, else their latest; DocumentNotFoundError
        when there is none."""
        with unit_of_work(self._database) as session:
            rows = session.scalars(_newest_first(participant_id)).all()
            if not rows:
                raise DocumentNotFoundError("This participant has not been discharged.")
            if day is None:
                return _row(rows[0])
            found = [row for row in rows if row.enrollment.discharged == day]
            if not found:
                days = ", ".join(f"{row.enrollment.discharged}" for row in reversed(rows))
                raise DocumentNotFoundError(
                    f"This participant was not discharged on {day}; discharged on {days}."
                )
            return _row(found[0])

    def discharge(
        self,
        user: SignedInUser,
        participant_id: uuid.UUID,
        request: DischargeRequest,
        today: date | None = None,
    ) -> DischargeRow:
        """End the open enrollment on `request.day` (not after `today`, by default the clinic's
        date now) with a reason and a transition plan."""
        today = today or self._local_now().date()
        with unit_of_work(self._database) as session:
            enrollment = _open_enrollment(session, participant_id)
            period = EnrollmentPeriod(enrollment.admitted, enrollment.discharged)
            check_discharge(request, period, last_attended(session, enrollment), today)
            goals = _set_goals(session, participant_id, request.goals)
            enrollment.discharged = request.day
            enrollment.discharge_reason = request.reason.label
            row = Discharge(
                enrollment_id=enrollment.id,
                reason=request.reason.value,
                plan=request.plan.as_dict(),
                created_by=user.id,
                status=SummaryStatus.DRAFT.value,
            )
            session.add(row)
            session.flush()
            self._record(
                session,
                user,
                AuditAction.CREATE,
                row,
                {"reason": request.reason.value, "goals_changed": goals},
            )
            return _row(row)

    def update(
        self,
        user: SignedInUser,
        discharge_id: uuid.UUID,
        reason: DischargeReason,
        plan: TransitionPlan,
        goals: GoalStatuses = (),
    ) -> DischargeRow:
        """Change the reason, plan or goals' statuses of a discharge whose summary is not yet
        signed."""
        check_plan(reason, plan)
        with unit_of_work(self._database) as session:
            row = discharge_row(session, discharge_id)
            _check_unsigned(row)
            changed = _set_goals(session, row.enrollment.participant_id, goals)
            row.reason, row.plan = reason.value, plan.as_dict()
            row.enrollment.discharge_reason = reason.label
            self._record(
                session,
                user,
                AuditAction.EDIT,
                row,
                {"reason": reason.value, "goals_changed": changed},
            )
            return _row(row)

    def readmit(
        self, user: SignedInUser, participant_id: uuid.UUID, group_id: uuid.UUID, admitted: date
    ) -> uuid.UUID:
        """A new enrollment after the last discharge: the way back onto a roster."""
        with unit_of_work(self._database) as session:
            today = self._local_now().date()
            enrollment = readmit_in(
                session, self._audit, user, participant_id, group_id, admitted, today
            )
            return enrollment.id

    def mark_entered_in_error(
        self, user: SignedInUser, discharge_id: uuid.UUID, reason: str
    ) -> VoidedDischarge:
        """Mark a discharge entered in error (the wrong participant or the wrong date) while its
        summary is a draft: it is kept with why, who and when, and its enrollment reopens as if
        it had not been discharged (back on the rosters). A signed summary is refused."""
        why = reason.strip()
        if not why:
            raise DomainError(
                "Say why the discharge was entered in error (e.g. the wrong participant)."
            )
        with unit_of_work(self._database) as session:
            row = discharge_row(session, discharge_id)
            _check_unsigned(row, voiding=True)
            enrollment = row.enrollment
            later = session.scalar(
                select(func.count(Enrollment.id)).where(
                    Enrollment.participant_id == enrollment.participant_id,
                    Enrollment.admitted > enrollment.admitted,
                )
            )
            if later:
                raise DomainError(
                    "The participant was readmitted after this discharge, so it cannot be "
                    "marked entered in error."
                )
            assert enrollment.discharged is not None
            void = DischargeVoid(
                discharge_id=row.id,
                discharged=enrollment.discharged,
                reason=why,
                voided_by=user.id,
                voided_at=self._now(),
            )
            session.add(void)
            session.flush()  # the database refuses the void once the summary is signed
            enrollment.discharged = enrollment.discharge_reason = None
            self._record(session, user, AuditAction.EDIT, row, {"entered_in_error": str(void.id)})
            return _voided(session, row, void)

    def voided(self, participant_id: uuid.UUID) -> list[VoidedDischarge]:
        """The participant's discharges marked entered in error, the latest marked first."""
        with unit_of_work(self._database) as session:
            voids = session.scalars(
                select(DischargeVoid)
                .join(Discharge, DischargeVoid.discharge_id == Discharge.id)
                .join(Enrollment, Discharge.enrollment_id == Enrollment.id)
                .where(Enrollment.participant_id == participant_id)
                .order_by(DischargeVoid.voided_at.desc())
            ).all()
            return [_voided(session, void.discharge, void) for void in voids]

    def document(self, discharge_id: uuid.UUID) -> DischargeSummaryDocument:
        """The summary as signed, or, before signing, as the records stand now."""
        with unit_of_work(self._database) as session:
            return load_discharge_summary(session, discharge_id, self._local_now())

    def sign(
        self, user: SignedInUser, password: str, discharge_id: uuid.UUID
    ) -> DischargeSummaryDocument:
        """Sign the summary after the password is entered again; it is locked from then on.
        An author who needs co-signature signs it into their supervisor's queue."""
        if user.is_administrator:
            raise DomainError("A discharge summary is signed by a clinician, not an administrator.")
        self._confirm(
            user, password, AuditAction.SIGN, object_type=OBJECT, object_id=str(discharge_id)
        )
        stamp = self.stamp()
        with unit_of_work(self._database) as session:
            row = discharge_row(session, discharge_id)
            _check_unsigned(row)
            summary = build_summary(session, row)
            signed = summary.content()
            row.content = signed
            row.content_hash = content_hash(signed)
            row.signed_by = user.id
            row.printed_name, row.credentials = user.display_name, user.credentials
            row.signed_at = stamp.at
            row.time_zone, row.utc_offset = stamp.zone, stamp.utc_offset
            row.meaning, row.attestation = MEANING, ATTESTATION
            awaiting = user.needs_cosignature
            status = SummaryStatus.AWAITING_COSIGN if awaiting else SummaryStatus.SIGNED
            row.status = status.value
            self._record(session, user, AuditAction.SIGN, row, {"awaiting_cosign": awaiting})
            return summary_document(session, row, summary, author_signature(row), self._local_now())

    def _local_now(self) -> datetime:
        return self.stamp().local  # the clinic's time zone


def readmit_in(
    session: Session,
    audit: AuditTrail,
    user: SignedInUser,
    participant_id: uuid.UUID,
    group_id: uuid.UUID,
    admitted: date,
    today: date,
) -> Enrollment:
    """Readmit in the caller's transaction: a new enrollment in an active group, starting
    after every earlier one ended and within the admission rules; audited."""
    enrollments = session.scalars(
        select(Enrollment).where(Enrollment.participant_id == participant_id)
    ).all()
    group = session.get(Group, group_id)
    if group is None or not group.active:
        raise DomainError("That group is no longer active; choose another.")
    check_readmission([EnrollmentPeriod(e.admitted, e.discharged) for e in enrollments], admitted)
    participant = session.get_one(Participant, participant_id)
    problems = date_problems(participant.date_of_birth, admitted, None, today)
    if problems:
        raise AdmissionError(problems)
    enrollment = Enrollment(participant_id=participant_id, group_id=group_id, admitted=admitted)
    session.add(enrollment)
    session.flush()
    audit.record(
        session,
        actor=user.id,
        action=AuditAction.CREATE,
        object_type="enrollment",
        object_id=str(enrollment.id),
        detail={"participant_id": str(participant_id), "readmission": True},
    )
    return enrollment


def _open_enrollment(session: Session, participant_id: uuid.UUID) -> Enrollment:
    if session.get(Participant, participant_id) is None:
        raise DomainError("That participant is no longer in the records.")
    enrollment = session.scalars(
        select(Enrollment)
        .where(Enrollment.participant_id == participant_id, Enrollment.discharged.is_(None))
        .order_by(Enrollment.admitted.desc())
        .limit(1)
    ).first()
    if enrollment is None:
        raise DomainError("This participant has no open enrollment to discharge.")
    return enrollment


def _set_goals(session: Session, participant_id: uuid.UUID, goals: GoalStatuses) -> int:
    """Set each goal's status at discharge; how many changed. Another's goal is refused."""
    changed = 0
    for goal_id, status in goals:
        goal = session.get(TreatmentGoal, goal_id)
        if goal is None or goal.participant_id != participant_id:
            raise DomainError("A treatment goal given is not this participant's; nothing saved.")
        if goal.status != status.value:
            goal.status = status.value
            changed += 1
    return changed


def last_attended(session: Session, enrollment: Enrollment) -> date | None:
    """The last day the participant attended a block of the enrollment's group."""
    attended = [s.value for s in AttendanceStatus if s.attended]
    return session.scalar(
        select(func.max(GroupSession.day))
        .join(Block, Block.session_id == GroupSession.id)
        .join(Attendance, Attendance.block_id == Block.id)
        .where(
            Attendance.participant_id == enrollment.participant_id,
            Attendance.status.in_(attended),
            Attendance.removed_reason.is_(None),
            GroupSession.group_id == enrollment.group_id,
            GroupSession.day >= enrollment.admitted,
        )
    )


def _newest_first(participant_id: uuid.UUID) -> Select[Discharge]:
    """The participant's discharges not entered in error, the latest enrollment's first."""
    return (
        select(Discharge)
        .join(Enrollment, Discharge.enrollment_id == Enrollment.id)
        .where(Enrollment.participant_id == participant_id, standing())
        .order_by(Enrollment.admitted.desc())
    )


def _check_unsigned(row: Discharge, voiding: bool = False) -> None:
    """Refuse a change (or, `voiding`, a mark of entered in error) once signed or voided."""
    if row.void is not None:
        raise DomainError("This discharge was marked entered in error; it no longer changes.")
    if row.status == SummaryStatus.AWAITING_COSIGN.value and not voiding:
        raise DomainError(
            "The discharge summary is signed and locked while it awaits co-signature; it can "
            "change only if the supervisor returns it."
        )
    if row.status != SummaryStatus.DRAFT.value:
        raise DomainError(
            "The discharge summary is signed and locked; "
            + (
                "a signed record is corrected, not marked entered in error."
                if voiding
                else "it can no longer change."
            )
        )


def _voided(session: Session, row: Discharge, void: DischargeVoid) -> VoidedDischarge:
    who = session.get(Clinician, void.voided_by) if void.voided_by else None
    return VoidedDischarge(
        discharge_id=row.id,
        discharged=void.discharged,
        reason=DischargeReason(row.reason),
        why=void.reason,
        by=who.display_name if who else "",
        at=void.voided_at,
    )


def _row(row: Discharge) -> DischargeRow:
    assert row.enrollment.discharged is not None
    return DischargeRow(
        discharge_id=row.id,
        participant_id=row.enrollment.participant_id,
        discharged=row.enrollment.discharged,
        reason=DischargeReason(row.reason),
        plan=TransitionPlan.from_dict(row.plan),
        status=SummaryStatus(row.status),
        review=summary_review(_session_of(row), row),
    )


def _session_of(row: Discharge) -> Session:
    session = object_session(row)
    assert session is not None
    return session
