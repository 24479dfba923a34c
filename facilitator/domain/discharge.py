"""Discharge and step-down: reasons, the transition plan, and who may still attend."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError


class DischargeReason(StrEnum):
    COMPLETED = "completed"
    STEPPED_DOWN = "stepped_down"
    STEPPED_UP = "stepped_up"
    LEFT_AGAINST_ADVICE = "left_against_advice"
    ADMINISTRATIVE = "administrative"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def needs_next_level(self) -> bool:
        """A step down or up names the level of care the person moves to."""
        return self in (DischargeReason.STEPPED_DOWN, DischargeReason.STEPPED_UP)


_LABELS = {
    DischargeReason.COMPLETED: "Completed program",
    DischargeReason.STEPPED_DOWN: "Stepped down to a less intensive level of care",
    DischargeReason.STEPPED_UP: "Stepped up to a more intensive level of care",
    DischargeReason.LEFT_AGAINST_ADVICE: "Left against clinical advice",
    DischargeReason.ADMINISTRATIVE: "Administrative discharge",
}


class GoalStatus(StrEnum):
    """Where a treatment goal stands; set for each goal when the participant is discharged."""

    ACTIVE = "active"
    MET = "met"
    PARTIALLY_MET = "partially_met"
    NOT_MET = "not_met"
    DISCONTINUED = "discontinued"

    @property
    def label(self) -> str:
        return goal_label(self.value)


def goal_label(status: str) -> str:
    """A goal status as people read it: "partially_met" is "Partially met"."""
    return status.replace("_", " ").capitalize()


class SummaryStatus(StrEnum):
    """A draft; signed by an author who needs co-signature and awaiting their supervisor
    (locked); or signed (and co-signed, when its author needed it), locked for good."""

    DRAFT = "draft"
    AWAITING_COSIGN = "awaiting_cosign"
    SIGNED = "signed"

    @property
    def locked(self) -> bool:
        return self is not SummaryStatus.DRAFT


@dataclass(frozen=True)
class TransitionPlan:
    """Where the person goes next and what supports them there."""

    next_level_of_care: str = ""
    referrals: str = ""
    support_groups: str = ""
    follow_up: str = ""  # the follow-up appointment: who, where, when
    relapse_prevention: str = ""  # highlights of the relapse-prevention plan

    def as_dict(self) -> dict[str, str]:
        return {
            "next_level_of_care": self.next_level_of_care,
            "referrals": self.referrals,
            "support_groups": self.support_groups,
            "follow_up": self.follow_up,
            "relapse_prevention": self.relapse_prevention,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> TransitionPlan:
        return cls(**{key: str(values.get(key, "") or "") for key in cls().as_dict()})


@dataclass(frozen=True)
class DischargeRequest:
    day: date
    reason: DischargeReason
    plan: TransitionPlan
    goals: tuple[tuple[uuid.UUID, GoalStatus], ...] = ()  # each goal's status at discharge


def check_discharge(
    request: DischargeRequest, period: EnrollmentPeriod, last_attended: date | None, today: date
) -> None:
    """Refuse a discharge the record cannot hold, with a message saying why."""
    if request.day > today:
        raise DomainError(
            f"The discharge date {request.day:%Y-%m-%d} is in the future; record the discharge "
            "on the day it happens (the participant stays on the rosters until then)."
        )
    if period.discharged is not None:
        raise DomainError(
            f"This enrollment was already discharged on {period.discharged:%Y-%m-%d}; "
            "readmit the participant for a new enrollment."
        )
    if request.day < period.admitted:
        raise DomainError(
            f"The discharge date {request.day:%Y-%m-%d} is before admission "
            f"{period.admitted:%Y-%m-%d}."
        )
    if last_attended is not None and last_attended > request.day:
        raise DomainError(
            f"Attendance is recorded on {last_attended:%Y-%m-%d}, after the discharge date "
            f"{request.day:%Y-%m-%d}; discharge on or after the last day attended."
        )
    check_plan(request.reason, request.plan)


def check_plan(reason: DischargeReason, plan: TransitionPlan) -> None:
    if reason.needs_next_level and not plan.next_level_of_care.strip():
        raise DomainError(f"{reason.label}: name the next level of care in the transition plan.")


def attendance_refusal(periods: Sequence[EnrollmentPeriod], day: date) -> str | None:
    """Why attendance on `day` is refused, or None when it may be recorded.

    Someone whose every enrollment ended before `day` was discharged: they attend again only
    after readmission, which is a new enrollment. People with no enrollment (drop-ins) and
    people enrolled that day are not refused.
    """
    if not periods or any(p.is_active_on(day) for p in periods):
        return None
    ended = [p.discharged for p in periods if p.discharged is not None and p.discharged < day]
    if len(ended) < len(periods):
        return None  # a pending admission: the roster rules decide
    return (
        f"This participant was discharged on {max(ended):%Y-%m-%d}; attendance after discharge "
        "needs a readmission (a new enrollment) first."
    )


def check_readmission(periods: Sequence[EnrollmentPeriod], admitted: date) -> None:
    """A readmission starts after every earlier enrollment ended."""
    for period in periods:
        if period.discharged is None:
            raise DomainError(
                "This participant is still enrolled; discharge them before readmitting."
            )
        if admitted <= period.discharged:
            raise DomainError(
                f"A readmission must start after the last discharge on "
                f"{period.discharged:%Y-%m-%d}."
            )
