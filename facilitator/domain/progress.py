"""A participant's progress through the program: hours by week and topics still to cover."""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

Topic = TypeVar("Topic", bound=Hashable)


def week_of(day: date) -> date:
    """The Monday that starts the ISO week holding `day`."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekBucket:
    """One Monday-to-Sunday week: minutes attended, days enrolled, days the group met."""

    monday: date
    minutes: int
    enrolled_days: int
    session_days: int

    @property
    def partial(self) -> bool:
        """True when enrollment covers only part of the week: admission or discharge mid-week,
        or the week cut by a report's period or by today."""
        return self.enrolled_days < 7


def in_progress(monday: date, today: date) -> bool:
    """True when `today` falls in the week starting `monday`."""
    return monday <= today <= monday + timedelta(days=6)


def is_zero_week(bucket: WeekBucket, today: date) -> bool:
    """A week (whole or partial) inside an enrollment with nothing attended, once it is over:
    flagged wherever weeks are reported, whether or not the group met."""
    return (
        bucket.enrolled_days > 0 and bucket.minutes == 0 and not in_progress(bucket.monday, today)
    )


def bucket_weeks(
    day_minutes: Mapping[date, int],
    windows: Iterable[tuple[date, date]],
    session_days: Collection[date] = (),
) -> list[WeekBucket]:
    """Every week overlapping an enrollment window (first, last day), in order.

    Weeks with no sessions are kept, at zero minutes. A day outside every window still has its
    minutes counted, in a week of its own if need be, so the weeks add up to the days.
    `session_days` are the days the person's group met, counted per week.
    """
    enrolled: set[date] = set()
    for first, last in windows:
        enrolled.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    mondays = {week_of(day) for day in enrolled} | {week_of(day) for day in day_minutes}
    return [
        WeekBucket(
            monday=monday,
            minutes=sum(day_minutes.get(monday + timedelta(days=n), 0) for n in range(7)),
            enrolled_days=sum(1 for n in range(7) if monday + timedelta(days=n) in enrolled),
            session_days=sum(1 for n in range(7) if monday + timedelta(days=n) in session_days),
        )
        for monday in sorted(mondays)
    ]


def under_daily_minimum(minutes: int, minimum: int, closed: bool = False) -> bool:
    """A day's attended minutes fall short of the program's daily minimum; a day the clinic or
    the group was closed never counts as short (nobody could attend)."""
    return not closed and minutes < minimum


def topics_to_cover(
    cycle: Sequence[Topic], covered: Collection[Topic], last: Topic | None
) -> list[Topic]:
    """The topics of a rolling cycle not yet covered, in the order the cycle brings them.

    The cycle is followed from the topic after `last` and wraps around to the start; with no
    `last` (or one not in the cycle) it starts at the beginning.
    """
    start = cycle.index(last) + 1 if last is not None and last in cycle else 0
    ordered = [*cycle[start:], *cycle[:start]]
    return [topic for topic in ordered if topic not in covered]
