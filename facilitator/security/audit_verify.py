"""Walk the audit chain and say where it was tampered with.

What is detected: an entry changed after it was written (its HMAC no longer matches), an
entry inserted with plain SQL (it does not link, and the next one links past it, even when
later entries were renumbered to make room), entries deleted from the middle (a gap in the
sequence), entries cut off the end (the checkpoint names a newer entry), and a removed or
altered checkpoint.

What cannot be detected: changes made by someone holding the database key (they can derive
the HMAC key and rewrite the whole chain); the whole database, checkpoint included, put back
to an older copy; entries cut off the end together with the checkpoint put back to a value
copied at that earlier point. After a gap, the entry following it cannot be checked (its
predecessor is gone), and deleting entries and renumbering the rest shows as a break at the
first renumbered entry rather than as a deletion.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.security.audit import (
    HEAD_SETTING,
    AuditEntry,
    entry_of,
    head_mac,
    link,
    lock_chain,
)
from facilitator.storage.models import AuditEvent, Setting


class ProblemKind(StrEnum):
    EDITED = "edited"
    INSERTED = "inserted"
    DELETED = "deleted"
    BROKEN = "broken"
    TRUNCATED = "truncated"
    CHECKPOINT = "checkpoint"


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """One place where the chain is not as the application wrote it."""

    sequence: int
    kind: ProblemKind
    message: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    entries: int
    problems: tuple[AuditProblem, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_audit_log(session: Session, key: bytes) -> AuditReport:
    """Check every stored entry and the checkpoint, in sequence order.

    Holds the appenders' lock meanwhile, so an entry written during the check cannot look
    like one cut off or inserted (appends wait; the draft writer retries).
    """
    lock_chain(session)
    events = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence)).yield_per(1000)
    head = session.get(Setting, HEAD_SETTING)
    return verify_entries((entry_of(e) for e in events), head.value if head else None, key)


def verify_entries(
    entries: Iterable[AuditEntry], head: Mapping[str, Any] | None, key: bytes
) -> AuditReport:
    """The problems of `entries` (in stored sequence order) against checkpoint `head`."""
    problems: list[AuditProblem] = []
    previous = ""  # chain of the last entry that belongs to the chain
    expected = 1  # its original sequence + 1
    shift = 0  # stored sequence minus original, once entries were renumbered
    count = 0
    last: AuditEntry | None = None

    def follows(chain: str, entry: AuditEntry, moved: int = 0) -> bool:
        original = replace(entry, sequence=entry.sequence - shift - moved)
        return link(key, chain, original) == entry.chain

    for entry, following in _with_next(entries):
        count += 1
        last = entry
        sequence = entry.sequence - shift
        if isinstance(sequence, int) and sequence > expected:
            missing = _span(expected, sequence - 1)
            problems.append(
                AuditProblem(
                    expected,
                    ProblemKind.DELETED,
                    f"{missing} missing; entry {entry.sequence} after the gap cannot be checked",
                )
            )
            previous, expected = entry.chain, sequence + 1
            continue
        if sequence == expected and follows(previous, entry):
            previous, expected = entry.chain, expected + 1
            continue
        repaired = link(key, previous, replace(entry, sequence=sequence))
        if following is not None and sequence == expected and follows(repaired, following):
            problems.append(
                AuditProblem(
                    entry.sequence,
                    ProblemKind.EDITED,
                    f"the chain value of entry {entry.sequence} was changed",
                )
            )
            previous, expected = repaired, expected + 1
        elif (following is not None and follows(entry.chain, following)) or (
            following is None and _is_checkpoint(head, entry, key)
        ):
            problems.append(
                AuditProblem(
                    entry.sequence,
                    ProblemKind.EDITED,
                    f"entry {entry.sequence} was changed after it was written",
                )
            )
            previous, expected = entry.chain, expected + 1
        elif following is not None and (
            follows(previous, following) or follows(previous, following, moved=1)
        ):
            if not follows(previous, following):
                shift += 1
            problems.append(
                AuditProblem(
                    entry.sequence,
                    ProblemKind.INSERTED,
                    f"entry {entry.sequence} was inserted: it is not part of the chain",
                )
            )
        elif following is None and _beyond_checkpoint(head, entry, shift, key):
            problems.append(
                AuditProblem(
                    entry.sequence,
                    ProblemKind.INSERTED,
                    f"entry {entry.sequence} was added after the newest recorded entry",
                )
            )
        else:
            problems.append(
                AuditProblem(
                    entry.sequence,
                    ProblemKind.BROKEN,
                    f"entry {entry.sequence} does not follow the entry before it: it was "
                    "changed or inserted, or entries before it were removed and renumbered",
                )
            )
            previous, expected = entry.chain, expected + 1
    problems.extend(_checkpoint_problems(head, last, expected - 1, previous, key))
    return AuditReport(count, tuple(problems))


def _checkpoint_problems(
    head: Mapping[str, Any] | None,
    last: AuditEntry | None,
    newest: int,
    newest_chain: str,
    key: bytes,
) -> list[AuditProblem]:
    """Compare the checkpoint with the newest entry that belongs to the chain."""
    if head is None:
        if last is None:
            return []
        return [
            AuditProblem(
                newest,
                ProblemKind.CHECKPOINT,
                "the checkpoint of the newest entry was removed: entries cut off the end "
                "cannot be detected",
            )
        ]
    if head.get("mac") != head_mac(key, head):
        return [AuditProblem(newest, ProblemKind.CHECKPOINT, "the checkpoint was altered")]
    problems = []
    if "rebuilt_at" in head:
        rebuilt = int(head["rebuilt_at"])
        problems.append(
            AuditProblem(
                rebuilt,
                ProblemKind.CHECKPOINT,
                f"the checkpoint had been removed or altered and was rebuilt at entry {rebuilt}: "
                "entries "
                "cut off the end before then cannot be detected",
            )
        )
    recorded = int(head["sequence"])
    if newest < recorded:
        problems.append(
            AuditProblem(
                newest + 1,
                ProblemKind.TRUNCATED,
                f"{_span(newest + 1, recorded)} missing from the end of the log",
            )
        )
    elif newest == recorded and newest_chain != head["chain"]:
        problems.append(
            AuditProblem(
                newest, ProblemKind.CHECKPOINT, f"entry {newest} is not the one last recorded"
            )
        )
    return problems


def _is_checkpoint(head: Mapping[str, Any] | None, entry: AuditEntry, key: bytes) -> bool:
    """Whether a valid checkpoint vouches for `entry`'s chain value."""
    return (
        head is not None
        and head.get("mac") == head_mac(key, head)
        and head.get("chain") == entry.chain
    )


def _beyond_checkpoint(
    head: Mapping[str, Any] | None, entry: AuditEntry, shift: int, key: bytes
) -> bool:
    return (
        head is not None
        and head.get("mac") == head_mac(key, head)
        and entry.sequence - shift > int(head["sequence"])
    )


def _span(first: int, last: int) -> str:
    return f"entry {first} is" if first == last else f"entries {first} to {last} are"


def _with_next(
    entries: Iterable[AuditEntry],
) -> Iterator[tuple[AuditEntry, AuditEntry | None]]:
    iterator = iter(entries)
    current = next(iterator, None)
    while current is not None:
        following = next(iterator, None)
        yield current, following
        current = following
