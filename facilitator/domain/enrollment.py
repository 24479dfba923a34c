"""Enrollment in a group: rolling admission and discharge."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from facilitator.domain.errors import DomainError


@dataclass(frozen=True)
class EnrollmentPeriod:
    """The days a participant belongs to a group: admitted on, through the discharge day."""

    admitted: date
    discharged: date | None = None
    transferred: bool = False  # ended by a transfer or step-down: continued in another group

    def __post_init__(self) -> None:
        if self.discharged is not None and self.discharged < self.admitted:
            raise DomainError(
                f"Discharge date {self.discharged:%Y-%m-%d} is before admission "
                f"{self.admitted:%Y-%m-%d}."
            )

    def is_active_on(self, day: date) -> bool:
        """True when the participant is on the group's roster that day.

        The discharge day itself still counts: a participant discharged after group attends it.
        """
        if day < self.admitted:
            return False
        return self.discharged is None or day <= self.discharged

    def status_on(self, day: date) -> str:
        """'pending', 'active', 'transferred' or 'discharged' as of a day."""
        if day < self.admitted:
            return "pending"
        if self.is_active_on(day):
            return "active"
        return "transferred" if self.transferred else "discharged"


def ended_text(discharged: date | None, reason: str, transferred_to: str = "") -> str:
    """How an enrollment ended, for the record and the chart: ", discharged 2026-11-20
    (Completed program)", ", transferred to Evening IOP from 2026-11-21", or "" while open."""
    if discharged is None:
        return ""
    if transferred_to:
        how = (reason or "Transferred").lower()
        return f", {how} to {transferred_to} from {discharged + timedelta(days=1)}"
    return f", discharged {discharged}" + (f" ({reason})" if reason else "")
