"""The columns of the participant window's tables, and how their cells read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime

from facilitator.domain.attendance import AttendanceMode, AttendanceStatus
from facilitator.domain.discharge import goal_label
from facilitator.domain.notes import NoteProgress, NoteStatus
from facilitator.services.curriculum_progress import CoveredTopic, TopicToCover
from facilitator.services.participant_history import ChangeRow
from facilitator.services.participant_record import (
    BlockAttendance,
    DayHours,
    GoalSummary,
    ParticipantRecord,
    WeekHours,
)
from ui.models.row_table_model import Column
from ui.widgets import count_of, duration_text

_PROGRESS = {
    NoteProgress.DUE: "Due, not started",
    NoteProgress.DRAFTED: "Draft, incomplete",
    NoteProgress.COMPLETE: "Complete, not signed",
}
_LOCKED = {
    NoteStatus.SIGNED: "Signed",
    NoteStatus.AWAITING_COSIGN: "Signed, awaiting co-signature",
    NoteStatus.COSIGNED: "Co-signed",
}


def day_text(day: date) -> str:
    return f"{day:%a} {day.isoformat()}"


def status_text(row: BlockAttendance) -> str:
    """'Present, by video', 'Late (arrived 09:10)', 'Absent (excused): Medical appointment',
    '…; removed from the block: reason'."""
    text = row.status.label
    if row.status is AttendanceStatus.LATE and row.arrived:
        text += f" (arrived {row.arrived:%H:%M})"
    if row.status is AttendanceStatus.LEFT_EARLY and row.left:
        text += f" (left {row.left:%H:%M})"
    if row.status.attended and row.mode is not AttendanceMode.IN_PERSON:
        text += f", by {row.mode.label.lower()}"
    if row.absence_reason and not row.status.attended:
        text += f": {row.absence_reason}"
    if row.removed_reason:
        text += f"; removed from the block: {row.removed_reason}"
    return text


def note_text(row: BlockAttendance) -> str:
    """Where the note stands; empty when none is due (absent or removed)."""
    if row.note_progress is None:
        return ""
    if row.note_status is NoteStatus.RETURNED:
        return "Returned for changes"
    if row.note_progress is NoteProgress.SIGNED and row.note_status in _LOCKED:
        return _LOCKED[row.note_status]
    return _PROGRESS[row.note_progress]


def note_outstanding(row: BlockAttendance) -> bool:
    return row.note_progress in (NoteProgress.DUE, NoteProgress.DRAFTED)


@dataclass(frozen=True)
class ShortDay:
    """A day under the daily minimum, and what happened in its blocks."""

    hours: DayHours
    what_happened: str


def short_days(record: ParticipantRecord) -> list[ShortDay]:
    """The record's short days, each with the blocks not attended in full that day."""
    reasons: defaultdict[date, list[str]] = defaultdict(list)
    for row in record.attendance:
        if row.status is not AttendanceStatus.PRESENT or row.removed_reason:
            reasons[row.day].append(f"{row.span.start:%H:%M} {status_text(row)}")
    return [ShortDay(d, "; ".join(reasons[d.day])) for d in record.short_days]


ATTENDANCE: tuple[Column[BlockAttendance], ...] = (
    Column(
        "Date",
        lambda r: day_text(r.day),
        lambda r: f"{r.day.isoformat()} {r.span.start.isoformat()}",
    ),
    Column("Time", lambda r: r.span.text),
    Column("Modality", lambda r: r.modality),
    Column("Topic", lambda r: r.topic),
    Column("Attendance", status_text),
    Column("Minutes", lambda r: str(r.minutes), lambda r: r.minutes, align_right=True),
    Column("Note", note_text, flagged=note_outstanding),
)

WEEKS: tuple[Column[WeekHours], ...] = (
    Column("Week of", lambda r: day_text(r.monday), lambda r: r.monday.isoformat()),
    Column(
        "Hours attended",
        lambda r: duration_text(r.minutes),
        lambda r: r.minutes,
        align_right=True,
        flagged=lambda r: r.below_target,
    ),
    Column(
        "Weekly target",
        lambda r: duration_text(r.target_minutes) if r.target_minutes is not None else "",
        lambda r: r.target_minutes or 0,
        align_right=True,
    ),
    Column(
        "Group met",
        lambda r: count_of(r.sessions_held, "day"),
        lambda r: r.sessions_held,
        align_right=True,
    ),
    Column("Status", lambda r: r.status, flagged=lambda r: r.below_target),
)


DAYS: tuple[Column[ShortDay], ...] = (
    Column("Date", lambda r: day_text(r.hours.day), lambda r: r.hours.day.isoformat()),
    Column(
        "Hours attended",
        lambda r: duration_text(r.hours.minutes),
        lambda r: r.hours.minutes,
        align_right=True,
        flagged=lambda r: r.hours.under_minimum,
    ),
    Column(
        "Short by",
        lambda r: duration_text(r.hours.minimum_minutes - r.hours.minutes),
        lambda r: r.hours.minimum_minutes - r.hours.minutes,
        align_right=True,
    ),
    Column("What happened", lambda r: r.what_happened),
)

COVERED: tuple[Column[CoveredTopic], ...] = (
    Column("Modality", lambda r: r.modality),
    Column("#", lambda r: str(r.sequence), lambda r: r.sequence, align_right=True),
    Column("Topic", lambda r: r.title),
    Column(
        "Covered on",
        lambda r: ", ".join(d.isoformat() for d in r.dates),
        lambda r: r.dates[0].isoformat(),
    ),
)

TO_COVER: tuple[Column[TopicToCover], ...] = (
    Column("Modality", lambda r: r.modality),
    Column("Next", lambda r: str(r.order), align_right=True),
    Column("#", lambda r: str(r.sequence), align_right=True),
    Column("Topic", lambda r: r.title),
)

GOALS: tuple[Column[GoalSummary], ...] = (
    Column("Goal", lambda r: r.text),
    Column("Status", lambda r: goal_label(r.status)),
    Column("Since", lambda r: r.created_on.isoformat()),
)


def _local(at: datetime) -> str:
    return f"{at.replace(tzinfo=UTC).astimezone():%Y-%m-%d %H:%M}"


HISTORY: tuple[Column[ChangeRow], ...] = (
    Column("When", lambda r: _local(r.at), lambda r: r.at.isoformat()),
    Column("What", lambda r: r.label),
    Column("Was", lambda r: r.was.replace("\n", "; ")),
    Column("Now", lambda r: r.now.replace("\n", "; ")),
    Column("Why", lambda r: r.reason),
    Column("By", lambda r: r.by),
)
