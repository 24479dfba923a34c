"""Late entry: a note signed more than the program's limit (hours) after its block ended.
One rule for the billing export's late column and the signed record's late-entry mark."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_LIMIT_HOURS = 24


def block_ended_at(day: date, end: time, zone: str | tzinfo) -> datetime:
    """A block's end, a wall-clock time on `day` in the clinic's `zone` (an IANA name or a
    zone), as an instant."""
    return datetime.combine(day, end, tzinfo=ZoneInfo(zone) if isinstance(zone, str) else zone)


def is_late_entry(block_ended_at: datetime, signed_at: datetime, limit_hours: int | None) -> bool:
    """True when `signed_at` is more than `limit_hours` (None: 24) after `block_ended_at`
    (both aware)."""
    limit = DEFAULT_LIMIT_HOURS if limit_hours is None else limit_hours
    return signed_at - block_ended_at > timedelta(hours=limit)
