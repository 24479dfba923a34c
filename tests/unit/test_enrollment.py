"""Rolling admission and discharge: who is on a group's roster on a given day."""

from __future__ import annotations

from datetime import date

import pytest

from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError

ADMITTED = date(2026, 10, 5)
DISCHARGED = date(2026, 11, 20)
PERIOD = EnrollmentPeriod(ADMITTED, DISCHARGED)


@pytest.mark.parametrize(
    ("day", "active", "status"),
    [
        (date(2026, 10, 4), False, "pending"),  # the day before admission
        (ADMITTED, True, "active"),  # admission day
        (date(2026, 11, 1), True, "active"),  # between
        (DISCHARGED, True, "active"),  # discharge day still counts
        (date(2026, 11, 21), False, "discharged"),  # the day after discharge
        (date(2027, 6, 1), False, "discharged"),
    ],
)
def test_closed_enrollment(day: date, active: bool, status: str) -> None:
    assert PERIOD.is_active_on(day) is active
    assert PERIOD.status_on(day) == status


def test_open_ended_enrollment_stays_active() -> None:
    period = EnrollmentPeriod(ADMITTED)
    assert period.discharged is None
    assert not period.is_active_on(date(2026, 10, 4))
    assert period.status_on(date(2026, 10, 4)) == "pending"
    assert period.is_active_on(ADMITTED)
    assert period.is_active_on(date(2030, 1, 1))
    assert period.status_on(date(2030, 1, 1)) == "active"


def test_same_day_admission_and_discharge_is_allowed() -> None:
    period = EnrollmentPeriod(ADMITTED, ADMITTED)
    assert period.is_active_on(ADMITTED)
    assert period.status_on(date(2026, 10, 6)) == "discharged"


def test_discharge_before_admission_raises() -> None:
    with pytest.raises(DomainError, match="before admission"):
        EnrollmentPeriod(ADMITTED, date(2026, 10, 4))
