"""Late entry: a note signed after the program's limit (hours after the block ended)."""

from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_LIMIT_HOURS = 24


def is_late_entry(block_ended_at: datetime, signed_at: datetime, limit_hours: int) -> bool:
    """True when `signed_at` is more than `limit_hours` after `block_ended_at` (both aware)."""
    return signed_at - block_ended_at > timedelta(hours=limit_hours)
