"""Attendance statuses and the minutes a participant attended a block."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from facilitator.domain.errors import InvalidTimesError

BILLABLE_DAY_MINUTES = 180
"""A billable IOP day is at least three hours of attended group time."""


class AttendanceStatus(StrEnum):
    """How a participant attended one block."""

    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT_EXCUSED = "absent_excused"
    ABSENT_UNEXCUSED = "absent_unexcused"

    @property
    def attended(self) -> bool:
        """True when the person was in the room for some of the block."""
        return self not in (AttendanceStatus.ABSENT_EXCUSED, AttendanceStatus.ABSENT_UNEXCUSED)

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    AttendanceStatus.PRESENT: "Present",
    AttendanceStatus.LATE: "Late",
    AttendanceStatus.LEFT_EARLY: "Left early",
    AttendanceStatus.ABSENT_EXCUSED: "Absent (excused)",
    AttendanceStatus.ABSENT_UNEXCUSED: "Absent (unexcused)",
}


class AttendanceMode(StrEnum):
    """How a participant attended a block; minutes are the same whatever the mode (payers
    read the mode for the place of service and the telehealth modifiers)."""

    IN_PERSON = "in_person"
    VIDEO = "video"
    TELEPHONE = "telephone"

    @property
    def label(self) -> str:
        return _MODE_LABELS[self]

    @property
    def following(self) -> AttendanceMode:
        """The next mode in turn (in person, video, telephone, in person ...)."""
        modes = list(AttendanceMode)
        return modes[(modes.index(self) + 1) % len(modes)]


_MODE_LABELS = {
    AttendanceMode.IN_PERSON: "In person",
    AttendanceMode.VIDEO: "Video",
    AttendanceMode.TELEPHONE: "Telephone",
}


def mode_label(mode: str) -> str:
    """'Video' for the stored "video"; a value no mode has, as it is."""
    try:
        return AttendanceMode(mode).label
    except ValueError:
        return mode


@dataclass(frozen=True)
class TimeSpan:
    """A span of wall-clock time on one day; start must not be after end."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidTimesError(
                f"The end time {self.end:%H:%M} is before the start time {self.start:%H:%M}."
            )

    @property
    def minutes(self) -> int:
        return _minutes_between(self.start, self.end)

    @property
    def text(self) -> str:
        """'09:00–10:00'."""
        return span_text(self.start, self.end)


def span_text(start: time, end: time) -> str:
    """'09:00–10:00': a span of wall-clock time as the screens and documents show it."""
    return f"{start:%H:%M}–{end:%H:%M}"


def clock_text(value: time | None) -> str:
    """'09:05', or empty when no time was recorded."""
    return f"{value:%H:%M}" if value else ""


def _minutes_between(start: time, end: time) -> int:
    day = date(2000, 1, 1)
    delta = datetime.combine(day, end) - datetime.combine(day, start)
    return int(delta.total_seconds() // 60)


def minutes_attended(
    status: AttendanceStatus,
    block: TimeSpan,
    arrived: time | None = None,
    left: time | None = None,
) -> int:
    """Minutes a participant spent in a block.

    Arrival and departure default to the block's start and end and are clipped to the block:
    time in the room before the group starts or after it ends is not group time.
    """
    if not status.attended:
        return 0
    start = max(arrived or block.start, block.start)
    end = min(left or block.end, block.end)
    if arrived is not None and left is not None and left < arrived:
        raise InvalidTimesError(f"Departure {left:%H:%M} is before arrival {arrived:%H:%M}.")
    if end <= start:
        return 0
    return _minutes_between(start, end)


def is_billable_day(minutes: int, minimum: int = BILLABLE_DAY_MINUTES) -> bool:
    """True when a day's attended minutes reach the billable minimum (the program's, if given)."""
    return minutes >= minimum


def note_due(status: AttendanceStatus, removed: bool) -> bool:
    """A clinical note is due for everyone who attended and was not removed from the block."""
    return status.attended and not removed


def over_capacity(present: int, capacity: int | None) -> bool:
    """More people attended a block than the group's capacity (None: no limit). Warned about,
    never refused: the cap is the payer's, and the record says what happened."""
    return capacity is not None and present > capacity


def carried_over(
    status: AttendanceStatus, absence_reason: str | None
) -> tuple[AttendanceStatus, str | None]:
    """A block's attendance carried into the next one ("same as previous block").

    Someone late was in the room by the end, so is present; someone who left early is not there.
    """
    if status is AttendanceStatus.LATE:
        return AttendanceStatus.PRESENT, None
    if status is AttendanceStatus.LEFT_EARLY:
        return AttendanceStatus.ABSENT_UNEXCUSED, "Left during the previous block"
    return status, absence_reason if not status.attended else None
