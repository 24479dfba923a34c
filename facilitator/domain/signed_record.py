"""Rules of the signed record: which times a block's service used ("actual, else planned"),
how a late entry is marked, and which service codes a block's attendance carries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from facilitator.domain.attendance import TimeSpan
from facilitator.domain.service_codes import BillingPer, is_telehealth, service_codes


@dataclass(frozen=True)
class ServiceTimes:
    """A block's start and end as its service counts them, and whether each was recorded."""

    start: time
    end: time
    start_actual: bool
    end_actual: bool

    @property
    def span(self) -> TimeSpan:
        return TimeSpan(self.start, self.end)

    @property
    def basis(self) -> str:
        """'actual', 'planned', or 'actual start, planned end' (and the reverse)."""
        if self.start_actual == self.end_actual:
            return "actual" if self.start_actual else "planned"
        first = "actual" if self.start_actual else "planned"
        second = "actual" if self.end_actual else "planned"
        return f"{first} start, {second} end"


def service_times(
    planned_start: time, planned_end: time, actual_start: time | None, actual_end: time | None
) -> ServiceTimes:
    """The actual time where recorded, else the planned one, saying which."""
    return ServiceTimes(
        actual_start or planned_start,
        actual_end or planned_end,
        actual_start is not None,
        actual_end is not None,
    )


def late_entry_text(signed_local: datetime, day: date) -> str:
    """'Late entry — signed 2026-11-25 14:05 EST, service 2026-11-23'."""
    zone = signed_local.tzname() or ""
    return f"Late entry — signed {signed_local:%Y-%m-%d %H:%M} {zone}, service {day:%Y-%m-%d}"


@dataclass(frozen=True)
class ServiceLine:
    """A service code as the clinic configured it, applied to one participant's block."""

    code: str
    description: str
    modifiers: tuple[str, ...]
    per: str  # "block" or "day"
    units: int  # per block: 1, or 0 when under the minimum; per day: counted for the day
    note: str  # "", "below the 60-minute minimum", "billed once per day"

    @property
    def text(self) -> str:
        """'H0015-HQ-95, 1 unit (per block)'."""
        code = "-".join((self.code, *self.modifiers))
        if self.per == "day":
            return f"{code} ({self.note})"
        units = f"{self.units} unit{'' if self.units == 1 else 's'}"
        return f"{code}, {units}" + (f" ({self.note})" if self.note else "")


def service_lines(
    codes: Sequence[Mapping[str, Any]], modality: str, mode: str, minutes: int, program: str = ""
) -> tuple[ServiceLine, ...]:
    """The program's service codes that apply to a block of `modality` attended `minutes`
    in `mode` (telehealth modifiers added for video and telephone), by the billing rules;
    ServiceCodeError naming the `program` for a stored code the rules refuse."""
    lines = []
    for code in service_codes(codes, program):
        if not code.covers(modality):
            continue
        minimum = code.minimum_minutes
        units = code.units(minutes)
        if code.per is BillingPer.DAY:
            units, note = 0, "billed once per day"
            if minimum is not None:
                note += f" of at least {minimum} minutes"
        elif minimum is not None and minutes < minimum:
            note = f"not billed: below the {minimum}-minute minimum"
        elif minutes <= 0:
            note = "not billed: not attended"
        elif units == 0:
            note = f"not billed: under one {code.unit_minutes}-minute unit"
        else:
            note = ""
        lines.append(
            ServiceLine(
                code=code.code,
                description=code.description,
                modifiers=code.modifiers_for(is_telehealth(mode)),
                per=str(code.per),
                units=units,
                note=note,
            )
        )
    return tuple(lines)
