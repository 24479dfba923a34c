"""A group's weekly schedule of block templates, the entries in force on a day, and the day's
plan once its exceptions (closures, cancelled, moved, substitute and extra blocks) apply."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, time, timedelta
from enum import StrEnum

from facilitator.domain.attendance import TimeSpan
from facilitator.domain.errors import DomainError

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class BlockTemplate:
    """One recurring block: a weekday (0 = Monday), its times and its modality code, in force
    from `effective_from` (None: always) until the day before `effective_until` (None: open);
    `room` None is the group's room."""

    weekday: int
    start: time
    end: time
    modality: str
    room: str | None = None
    effective_from: date | None = None
    effective_until: date | None = None
    template_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise DomainError(f"Weekday must be 0 (Monday) to 6 (Sunday), not {self.weekday}.")
        if self.end <= self.start:
            raise DomainError(
                f"A block must end after it starts ({self.start:%H:%M}-{self.end:%H:%M})."
            )
        if (
            self.effective_from is not None
            and self.effective_until is not None
            and self.effective_until <= self.effective_from
        ):
            raise DomainError(
                f"A schedule entry must end ({self.effective_until}) after it takes effect "
                f"({self.effective_from})."
            )

    def in_force(self, day: date) -> bool:
        """Whether the entry is in effect on `day` (whatever its weekday)."""
        started = self.effective_from is None or self.effective_from <= day
        return started and (self.effective_until is None or day < self.effective_until)

    @property
    def span(self) -> TimeSpan:
        return TimeSpan(self.start, self.end)


@dataclass(frozen=True)
class PlannedBlock:
    """A block template placed on a date; its sequence is its order within that day."""

    day: date
    sequence: int
    template: BlockTemplate


def check_no_overlap(templates: Iterable[BlockTemplate]) -> None:
    """Raise if two templates on the same weekday overlap in time."""
    by_day: dict[int, list[BlockTemplate]] = {}
    for template in templates:
        by_day.setdefault(template.weekday, []).append(template)
    for weekday, day_templates in by_day.items():
        ordered = sorted(day_templates, key=lambda t: t.start)
        for earlier, later in itertools.pairwise(ordered):
            if later.start < earlier.end:
                raise DomainError(
                    f"{WEEKDAY_NAMES[weekday]} blocks overlap: "
                    f"{earlier.start:%H:%M}-{earlier.end:%H:%M} and "
                    f"{later.start:%H:%M}-{later.end:%H:%M}."
                )


def expand_schedule(
    templates: Iterable[BlockTemplate], first: date, last: date
) -> Iterator[PlannedBlock]:
    """Every block the schedule plans from `first` through `last`, in date and time order."""
    if last < first:
        raise DomainError(f"The range ends ({last}) before it starts ({first}).")
    by_day: dict[int, list[BlockTemplate]] = {}
    for template in templates:
        by_day.setdefault(template.weekday, []).append(template)
    for day_templates in by_day.values():
        day_templates.sort(key=lambda t: t.start)
    day = first
    while day <= last:
        for sequence, template in enumerate(by_day.get(day.weekday(), []), start=1):
            yield PlannedBlock(day, sequence, template)
        day += timedelta(days=1)


def entries_on(templates: Iterable[BlockTemplate], day: date) -> list[BlockTemplate]:
    """The entries in force on `day` and meeting on its weekday, in time order."""
    found = [t for t in templates if t.weekday == day.weekday() and t.in_force(day)]
    return sorted(found, key=lambda t: t.start)


class ExceptionKind(StrEnum):
    """What a schedule exception changes on its day."""

    CLOSED = "closed"  # the clinic (no group) or one group does not meet
    CANCELLED = "cancelled"  # one scheduled block does not happen
    MOVED = "moved"  # one scheduled block at other times or in another room
    SUBSTITUTE = "substitute"  # another clinician leads one block, or every block
    EXTRA = "extra"  # a one-off block the schedule does not have


@dataclass(frozen=True)
class DayException:
    """One exception to a group's day, with its reason (clinic_wide for a clinic closure)."""

    kind: ExceptionKind
    reason: str
    template_id: uuid.UUID | None = None
    start: time | None = None
    end: time | None = None
    modality: str | None = None
    room: str | None = None
    clinician_id: uuid.UUID | None = None
    clinic_wide: bool = False
    exception_id: uuid.UUID | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise DomainError("Give a reason (it is shown on Today and kept in the audit log).")
        needs = {
            ExceptionKind.CANCELLED: ("template_id",),
            ExceptionKind.MOVED: ("template_id", "start", "end"),
            ExceptionKind.SUBSTITUTE: ("clinician_id",),
            ExceptionKind.EXTRA: ("start", "end", "modality"),
        }.get(self.kind, ())
        missing = [name.replace("_id", "") for name in needs if getattr(self, name) is None]
        if missing:
            raise DomainError(f"A {self.kind.value} block needs its {' and '.join(missing)}.")
        if self.start is not None and self.end is not None and self.end <= self.start:
            raise DomainError(
                f"A block must end after it starts ({self.start:%H:%M}-{self.end:%H:%M})."
            )


@dataclass(frozen=True)
class Facilitator:
    clinician_id: uuid.UUID
    role: str  # "lead" or "co-facilitator"


@dataclass(frozen=True)
class DayBlock:
    """A block as a day's plan holds it; template_id None is an extra block."""

    start: time
    end: time
    modality: str
    room: str
    facilitators: tuple[Facilitator, ...]
    template_id: uuid.UUID | None
    closed: str | None = None  # the closure's reason
    cancelled: str | None = None  # the cancellation's reason
    changes: tuple[str, ...] = ()  # "moved from 09:00-10:00: reason", "substitute: reason"

    @property
    def marker(self) -> str | None:
        """'closed: reason' or 'cancelled: reason' when the block does not run."""
        if self.closed is not None:
            return f"closed: {self.closed}"
        if self.cancelled is not None:
            return f"cancelled: {self.cancelled}"
        return None

    @property
    def runs(self) -> bool:
        return self.marker is None


@dataclass(frozen=True)
class GroupDay:
    """One group's plan for one day, blocks in time order."""

    day: date
    closed: str | None
    blocks: tuple[DayBlock, ...]

    @property
    def running(self) -> tuple[DayBlock, ...]:
        """The blocks that happen (not cancelled, the day not closed)."""
        return tuple(b for b in self.blocks if b.runs)


def plan_group_day(
    day: date,
    templates: Iterable[BlockTemplate],
    exceptions: Iterable[DayException],
    room: str,
    facilitators: Sequence[Facilitator],
) -> GroupDay:
    """The group's blocks on `day`: its entries in force, then the day's exceptions applied.

    A closure marks every block closed; a cancellation marks its block; a move changes its
    block's times and room; a substitute leads one block (or every block, without a template),
    the one for a block winning over the one for the day; an extra block joins the day.
    """
    found = list(exceptions)
    closure = next((e for e in found if e.kind is ExceptionKind.CLOSED), None)
    by_kind: dict[tuple[ExceptionKind, uuid.UUID | None], DayException] = {
        (e.kind, e.template_id): e for e in found if e.kind is not ExceptionKind.EXTRA
    }
    blocks = []
    for template in entries_on(templates, day):
        block = DayBlock(
            start=template.start,
            end=template.end,
            modality=template.modality,
            room=template.room or room,
            facilitators=tuple(facilitators),
            template_id=template.template_id,
        )
        moved = by_kind.get((ExceptionKind.MOVED, template.template_id))
        if moved is not None:
            assert moved.start is not None and moved.end is not None
            block = replace(
                block,
                start=moved.start,
                end=moved.end,
                room=moved.room or block.room,
                changes=(
                    f"moved from {template.start:%H:%M}-{template.end:%H:%M}: {moved.reason}",
                ),
            )
        cancelled = by_kind.get((ExceptionKind.CANCELLED, template.template_id))
        if cancelled is not None:
            block = replace(block, cancelled=cancelled.reason)
        blocks.append(block)
    for extra in (e for e in found if e.kind is ExceptionKind.EXTRA):
        assert extra.start is not None and extra.end is not None and extra.modality is not None
        blocks.append(
            DayBlock(
                start=extra.start,
                end=extra.end,
                modality=extra.modality,
                room=extra.room or room,
                facilitators=tuple(facilitators),
                template_id=None,
                changes=(f"extra: {extra.reason}",),
            )
        )
    blocks = [_with_substitute(b, by_kind) for b in blocks]
    if closure is not None:
        blocks = [replace(b, closed=closure.reason) for b in blocks]
    blocks.sort(key=lambda b: (b.start, b.end))
    return GroupDay(day, closure.reason if closure else None, tuple(blocks))


def _with_substitute(
    block: DayBlock, by_kind: dict[tuple[ExceptionKind, uuid.UUID | None], DayException]
) -> DayBlock:
    substitute = (
        block.template_id is not None and by_kind.get((ExceptionKind.SUBSTITUTE, block.template_id))
    ) or by_kind.get((ExceptionKind.SUBSTITUTE, None))
    if not substitute:
        return block
    assert substitute.clinician_id is not None
    others = tuple(
        f
        for f in block.facilitators
        if f.role != "lead" and f.clinician_id != substitute.clinician_id
    )
    return replace(
        block,
        facilitators=(Facilitator(substitute.clinician_id, "lead"), *others),
        changes=(*block.changes, f"substitute: {substitute.reason}"),
    )


def check_day_overlap(group_day: GroupDay) -> None:
    """Raise if two blocks that run on the day overlap in time."""
    running = sorted(group_day.running, key=lambda b: b.start)
    for earlier, later in itertools.pairwise(running):
        if later.start < earlier.end:
            raise DomainError(
                f"Blocks on {group_day.day} would overlap: {earlier.start:%H:%M}-"
                f"{earlier.end:%H:%M} ({earlier.modality}) and {later.start:%H:%M}-"
                f"{later.end:%H:%M} ({later.modality})."
            )
