"""A group's weekly schedule over time: the entries in force from a date, and changing them
from a date without moving a past session."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from facilitator.domain import schedule as domain_schedule
from facilitator.domain.clinic_setup import SetupError, limited_text
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services.clinic_profile import clinic_today
from facilitator.services.setup_audit import record_setup_change, require_setup_administrator
from facilitator.storage.models import (
    Attendance,
    Block,
    BlockTemplate,
    Group,
    GroupSession,
    Modality,
    ParticipantNote,
    ScheduleException,
)


@dataclass(frozen=True, order=True)
class ScheduleEntry:
    """One weekly block: weekday (0 = Monday), times, modality code, room (None: the group's)."""

    weekday: int
    start: time
    end: time
    modality: str
    room: str | None = None


@dataclass(frozen=True)
class SchedulePeriod:
    """The entries in force from `effective_from` (None: always) until the day before
    `effective_until` (None: open)."""

    effective_from: date | None
    effective_until: date | None
    entries: tuple[ScheduleEntry, ...]


def _entry(template: BlockTemplate) -> ScheduleEntry:
    return ScheduleEntry(
        template.weekday, template.start, template.end, template.modality.code, template.room
    )


def schedule_periods(group: Group) -> list[SchedulePeriod]:
    """The group's schedule as periods, oldest first (entries that were never in force, an
    empty range, are left out)."""
    spans: dict[tuple[date | None, date | None], list[ScheduleEntry]] = {}
    for template in group.schedule:
        start, until = template.effective_from, template.effective_until
        if start is not None and until is not None and until <= start:
            continue
        spans.setdefault((start, until), []).append(_entry(template))
    ordered = sorted(
        spans.items(), key=lambda item: (item[0][0] or date.min, item[0][1] or date.max)
    )
    return [SchedulePeriod(start, until, tuple(sorted(e))) for (start, until), e in ordered]


def entries_on(group: Group, day: date) -> tuple[ScheduleEntry, ...]:
    """The entries of `group`'s schedule in force on `day`."""
    return _in_force([_entry_span(t) for t in group.schedule], day)


def _entry_span(template: BlockTemplate) -> tuple[date | None, date | None, ScheduleEntry]:
    return template.effective_from, template.effective_until, _entry(template)


def _in_force(
    spans: Sequence[tuple[date | None, date | None, ScheduleEntry]], day: date
) -> tuple[ScheduleEntry, ...]:
    return tuple(
        sorted(
            e
            for start, until, e in spans
            if (start is None or start <= day) and (until is None or day < until)
        )
    )


def first_difference(group: Group, periods: Sequence[SchedulePeriod]) -> date | None:
    """The first day on which `periods` would put other entries in force than the group's
    schedule does (date.min when they differ from the start); None when they never do."""
    stored = [_entry_span(t) for t in group.schedule]
    wanted = [(p.effective_from, p.effective_until, e) for p in periods for e in p.entries]
    bounds = {d for s, u, _ in (*stored, *wanted) for d in (s, u) if d is not None}
    days = [date.min, *sorted(bounds)]
    for day in days:
        if _in_force(stored, day) != _in_force(wanted, day):
            return day
    return None


def checked_entries(session: Session, entries: Sequence[ScheduleEntry]) -> dict[str, Modality]:
    """The modalities of `entries` by code, if the entries are valid: active modalities,
    blocks that end after they start, no two blocks of a day overlapping."""
    modalities: dict[str, Modality] = {}
    for entry in entries:
        modality = session.scalars(
            select(Modality).where(Modality.code == entry.modality)
        ).one_or_none()
        if modality is None:
            raise SetupError(f"The schedule names no known modality {entry.modality!r}.")
        if not modality.active:
            raise SetupError(f"The modality {entry.modality} is deactivated.")
        if entry.room is not None:
            limited_text("A block's room", entry.room, 100)
        modalities[modality.code] = modality
    try:
        domain_schedule.check_no_overlap(
            domain_schedule.BlockTemplate(e.weekday, e.start, e.end, e.modality) for e in entries
        )
    except DomainError as error:
        raise SetupError(str(error)) from error
    return modalities


def _check_change_day(session: Session, group: Group, day: date, today: date) -> None:
    """A change from `day` moves no past session: not before today (once the group has a
    schedule), and no session of the group on or after it holds attendance or notes."""
    if group.schedule and day < today:
        since = "its start" if day == date.min else f"{day:%Y-%m-%d}"
        raise SetupError(
            f"The schedule of {group.name} cannot change from {since}, before today "
            f"({today:%Y-%m-%d}): past sessions never move."
        )
    held = session.scalars(
        select(GroupSession.day)
        .join(Block, Block.session_id == GroupSession.id)
        .where(
            GroupSession.group_id == group.id,
            GroupSession.day >= day,
            exists().where(Attendance.block_id == Block.id)
            | exists().where(ParticipantNote.block_id == Block.id),
        )
        .order_by(GroupSession.day.desc())
    ).first()
    if held is not None:
        raise SetupError(
            f"The session of {group.name} on {held:%Y-%m-%d} already holds attendance or "
            f"notes: a schedule change can take effect from {held + timedelta(days=1):%Y-%m-%d}."
        )


def _remove_sessions_from(session: Session, group: Group, day: date) -> int:
    """Delete the group's (empty) sessions on or after `day`; they are made again from the
    new schedule when needed."""
    sessions = list(
        session.scalars(
            select(GroupSession).where(GroupSession.group_id == group.id, GroupSession.day >= day)
        )
    )
    for group_session in sessions:
        for block in group_session.blocks:
            session.delete(block)
        session.delete(group_session)
    session.flush()
    return len(sessions)


def rewrite_schedule(
    session: Session,
    group: Group,
    day: date,
    periods: Sequence[SchedulePeriod],
    user: SignedInUser,
    audit: AuditTrail,
    today: date | None = None,
) -> None:
    """Make `periods` the group's schedule from `day` on (the schedule before `day` stays):
    entries in force on the day before continue where `periods` keep them, the others end at
    `day`; entries starting on or after `day` give way to the periods'. Audited."""
    require_setup_administrator(user)
    for period in periods:
        checked_entries(session, period.entries)
        start, until = period.effective_from, period.effective_until
        if start is not None and until is not None and until <= start:
            raise SetupError(
                f"A schedule of {group.name} ends ({period.effective_until}) before it "
                f"starts ({period.effective_from})."
            )
    _check_change_day(session, group, day, today or clinic_today(session))
    removed = _remove_sessions_from(session, group, day)
    spanning = [p for p in periods if (p.effective_from or date.min) < day]
    before = len(entries_on(group, day))
    referenced = set(
        session.scalars(
            select(ScheduleException.template_id).where(ScheduleException.template_id.isnot(None))
        )
    )
    for template in list(group.schedule):
        start = template.effective_from or date.min
        until = template.effective_until
        if start >= day:
            if template.id in referenced:
                # kept for the exception naming it, but never in force
                template.effective_from = template.effective_until = start
            else:
                group.schedule.remove(template)
            continue
        if until is not None and until < day:
            continue
        keep = next((p for p in spanning if _entry(template) in p.entries), None)
        template.effective_until = keep.effective_until if keep else day
    for period in periods:
        if (period.effective_from or date.min) < day:
            continue
        modalities = checked_entries(session, period.entries)
        for entry in period.entries:
            group.schedule.append(
                BlockTemplate(
                    weekday=entry.weekday,
                    start=entry.start,
                    end=entry.end,
                    modality=modalities[entry.modality],
                    room=entry.room,
                    effective_from=period.effective_from,
                    effective_until=period.effective_until,
                )
            )
    session.flush()
    session.expire(group, ["schedule"])
    record_setup_change(
        session,
        audit,
        user,
        "care_group",
        group.id,
        "schedule_changed",
        {
            "effective_from": (None, None if day == date.min else day),
            "blocks": (before, len(entries_on(group, day))),
            "sessions_removed": (None, removed),
        },
    )


def change_schedule(
    session: Session,
    group_id: uuid.UUID,
    effective_from: date,
    entries: Sequence[ScheduleEntry],
    user: SignedInUser,
    audit: AuditTrail,
    today: date | None = None,
) -> None:
    """From `effective_from` on, the group meets on `entries`: the entries in force end the
    day before, the new ones start then. Refused for a day before today (once the group has
    a schedule), when a session of the group on or after it holds attendance or notes, for
    overlapping blocks and unknown or deactivated modalities. Empty sessions from that day
    are removed (they are made again from the new schedule)."""
    require_setup_administrator(user)
    group = session.get(Group, group_id)
    if group is None:
        raise SetupError("That group no longer exists.")
    period = SchedulePeriod(effective_from, None, tuple(sorted(entries)))
    rewrite_schedule(session, group, effective_from, [period], user, audit, today)
