"""Rules of the signed record: which times a block's service used ("actual, else planned"),
when a note is a late entry, and which service codes a block's attendance carries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from facilitator.domain.attendance import TimeSpan

DEFAULT_LATE_ENTRY_HOURS = 24
MODE_LABELS = {"in_person": "In person", "video": "Video", "telephone": "Telephone"}
REMOTE_MODES = frozenset({"video", "telephone"})


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


def is_late_entry(
    signed_at: datetime, day: date, end: time, zone: str, limit_hours: int | None
) -> bool:
    """True when a note was signed more than `limit_hours` (default 24) after its block ended,
    the end being a wall-clock time on `day` in the clinic's IANA `zone`."""
    limit = DEFAULT_LATE_ENTRY_HOURS if limit_hours is None else limit_hours
    ended = datetime.combine(day, end, tzinfo=ZoneInfo(zone))
    return signed_at - ended > timedelta(hours=limit)


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
    codes: Sequence[Mapping[str, object]], modality: str, mode: str, minutes: int
) -> tuple[ServiceLine, ...]:
    """The program's service codes that apply to a block of `modality` attended `minutes`
    in `mode` (telehealth modifiers added for video and telephone)."""
    lines = []
    for entry in codes:
        modalities = _strings(entry.get("modalities"))
        if modalities and modality not in modalities:
            continue
        modifiers = _strings(entry.get("modifiers"))
        if mode in REMOTE_MODES:
            modifiers += _strings(entry.get("telehealth_modifiers"))
        per = "day" if entry.get("per") == "day" else "block"
        minimum = entry.get("minimum_minutes")
        if per == "day":
            units, note = 0, "billed once per day"
            if isinstance(minimum, int):
                note += f" of at least {minimum} minutes"
        elif isinstance(minimum, int) and minutes < minimum:
            units, note = 0, f"not billed: below the {minimum}-minute minimum"
        else:
            units, note = (1, "") if minutes > 0 else (0, "not billed: not attended")
        lines.append(
            ServiceLine(
                code=str(entry.get("code", "")),
                description=str(entry.get("description", "")),
                modifiers=tuple(modifiers),
                per=per,
                units=units,
                note=note,
            )
        )
    return tuple(lines)


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list | tuple) else []
