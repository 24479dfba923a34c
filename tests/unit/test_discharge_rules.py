"""Discharge rules: reasons, the plan, and no attendance after discharge without readmission."""

from __future__ import annotations

from datetime import date

import pytest

from facilitator.domain.discharge import (
    DischargeReason,
    DischargeRequest,
    GoalStatus,
    TransitionPlan,
    attendance_refusal,
    check_discharge,
    check_readmission,
    goal_label,
)
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError

OPEN = EnrollmentPeriod(date(2026, 9, 1))
PLAN = TransitionPlan(next_level_of_care="Standard outpatient (ASAM 1)")
TODAY = date(2026, 11, 23)


def request(day: date, reason: DischargeReason = DischargeReason.COMPLETED) -> DischargeRequest:
    return DischargeRequest(day, reason, PLAN)


def test_a_discharge_on_or_after_the_last_day_attended_is_accepted() -> None:
    check_discharge(request(date(2026, 11, 20)), OPEN, date(2026, 11, 20), TODAY)
    check_discharge(request(date(2026, 9, 1)), OPEN, None, TODAY)


@pytest.mark.parametrize(
    ("day", "period", "last", "message"),
    [
        (date(2026, 8, 31), OPEN, None, "before admission 2026-09-01"),
        (date(2026, 11, 24), OPEN, None, "2026-11-24 is in the future"),
        (date(2026, 11, 1), OPEN, date(2026, 11, 2), "Attendance is recorded on 2026-11-02"),
        (
            date(2026, 11, 1),
            EnrollmentPeriod(date(2026, 9, 1), date(2026, 10, 1)),
            None,
            "already discharged on 2026-10-01",
        ),
    ],
)
def test_impossible_discharges_are_refused(
    day: date, period: EnrollmentPeriod, last: date | None, message: str
) -> None:
    with pytest.raises(DomainError, match=message):
        check_discharge(request(day), period, last, TODAY)


@pytest.mark.parametrize("reason", [DischargeReason.STEPPED_DOWN, DischargeReason.STEPPED_UP])
def test_a_step_names_the_next_level_of_care(reason: DischargeReason) -> None:
    with pytest.raises(DomainError, match="name the next level of care"):
        check_discharge(
            DischargeRequest(date(2026, 11, 1), reason, TransitionPlan()), OPEN, None, TODAY
        )
    check_discharge(DischargeRequest(date(2026, 11, 1), reason, PLAN), OPEN, None, TODAY)


def test_every_reason_has_a_label_and_the_plan_round_trips() -> None:
    assert len({r.label for r in DischargeReason}) == 5
    plan = TransitionPlan("IOP step-down", "PCP", "SMART Recovery", "Dec 1, 10:00", "Call sponsor")
    assert TransitionPlan.from_dict(plan.as_dict()) == plan
    assert TransitionPlan.from_dict({}) == TransitionPlan()


DISCHARGED = EnrollmentPeriod(date(2026, 9, 1), date(2026, 11, 20))


@pytest.mark.parametrize(
    ("periods", "day", "refused"),
    [
        ([DISCHARGED], date(2026, 11, 20), False),  # the discharge day itself
        ([DISCHARGED], date(2026, 11, 21), True),  # the day after
        ([DISCHARGED], date(2027, 1, 5), True),
        ([DISCHARGED, EnrollmentPeriod(date(2026, 12, 1))], date(2026, 12, 1), False),  # readmitted
        ([DISCHARGED, EnrollmentPeriod(date(2026, 12, 1))], date(2026, 11, 25), False),  # pending
        ([], date(2026, 11, 25), False),  # a drop-in with no enrollment
        ([OPEN], date(2026, 8, 1), False),  # before admission: the roster rules decide
    ],
)
def test_attendance_after_discharge_needs_readmission(
    periods: list[EnrollmentPeriod], day: date, refused: bool
) -> None:
    refusal = attendance_refusal(periods, day)
    assert (refusal is not None) is refused
    if refused:
        assert refusal is not None and "discharged on 2026-11-20" in refusal
        assert "readmission" in refusal


def test_readmission_starts_after_the_last_discharge() -> None:
    check_readmission([DISCHARGED], date(2026, 11, 21))
    with pytest.raises(DomainError, match="after the last discharge on 2026-11-20"):
        check_readmission([DISCHARGED], date(2026, 11, 20))
    with pytest.raises(DomainError, match="still enrolled"):
        check_readmission([OPEN], date(2026, 12, 1))


def test_goal_statuses_read_as_words() -> None:
    assert [status.label for status in GoalStatus] == [
        "Active",
        "Met",
        "Partially met",
        "Not met",
        "Discontinued",
    ]
    assert goal_label("met") == "Met"
