"""Participant notes: templates, completeness and the canonical content that is signed."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from facilitator.domain.errors import DomainError


class NoteStatus(StrEnum):
    """Where a participant note stands on its way into the legal record.

    draft -> signed, by an author who signs alone; draft -> awaiting_cosign, by an author who
    needs co-signature; then the supervisor co-signs (cosigned) or returns it with a comment
    (returned), and the author answers with an addendum and resubmits (awaiting_cosign again).
    """

    DRAFT = "draft"
    SIGNED = "signed"
    AWAITING_COSIGN = "awaiting_cosign"
    RETURNED = "returned"
    COSIGNED = "cosigned"

    @property
    def locked(self) -> bool:
        """Once the author signs, the content never changes; only addenda may follow.

        A returned note stays locked too: the author answers the comment with an addendum.
        """
        return self is not NoteStatus.DRAFT

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    NoteStatus.DRAFT: "Draft",
    NoteStatus.SIGNED: "Signed",
    NoteStatus.AWAITING_COSIGN: "Signed, awaiting co-signature",
    NoteStatus.RETURNED: "Returned by the supervisor",
    NoteStatus.COSIGNED: "Co-signed",
}

# The only changes a locked note's status may make (the database trigger allows the same).
LOCKED_TRANSITIONS = {
    (NoteStatus.AWAITING_COSIGN, NoteStatus.COSIGNED),
    (NoteStatus.AWAITING_COSIGN, NoteStatus.RETURNED),
    (NoteStatus.RETURNED, NoteStatus.AWAITING_COSIGN),
}


def signed_status(needs_cosignature: bool) -> NoteStatus:
    """The status a draft takes when its author signs it."""
    return NoteStatus.AWAITING_COSIGN if needs_cosignature else NoteStatus.SIGNED


def check_transition(current: NoteStatus, new: NoteStatus) -> None:
    """Raise DomainError unless a note may go from `current` to `new`."""
    if current is NoteStatus.DRAFT and new in (
        NoteStatus.DRAFT,
        NoteStatus.SIGNED,
        NoteStatus.AWAITING_COSIGN,
    ):
        return
    if (current, new) not in LOCKED_TRANSITIONS:
        raise DomainError(
            f"A note that is {current.label.lower()} cannot become {new.label.lower()}."
        )


class SignatureRole(StrEnum):
    """Why a clinician signed: as the note's author, or as the supervisor who co-signs."""

    AUTHOR = "author"
    COSIGNER = "cosigner"


@dataclass(frozen=True)
class TemplateField:
    """One section of a note template."""

    key: str
    label: str
    help: str
    required: bool
    quick_phrases: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteTemplate:
    """A note format such as GIRP or SOAP: an ordered list of fields."""

    code: str
    name: str
    description: str
    fields: tuple[TemplateField, ...]

    def missing_required(self, values: Mapping[str, str]) -> list[TemplateField]:
        """Required fields that are empty or only whitespace."""
        return [f for f in self.fields if f.required and not values.get(f.key, "").strip()]

    def is_complete(self, values: Mapping[str, str]) -> bool:
        return not self.missing_required(values)


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of a note's canonical content: sorted-key JSON, UTF-8, no insignificant spaces."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class NoteProgress(StrEnum):
    """How far one participant's note for a block has come, as Today and the runner show it."""

    DUE = "due"
    DRAFTED = "drafted"
    COMPLETE = "complete"
    SIGNED = "signed"


def note_progress(
    template: NoteTemplate, status: NoteStatus | None, values: Mapping[str, str]
) -> NoteProgress:
    """DUE with no note yet; DRAFTED with required fields empty; COMPLETE; SIGNED once locked."""
    if status is None:
        return NoteProgress.DUE
    if status.locked:
        return NoteProgress.SIGNED
    return NoteProgress.COMPLETE if template.is_complete(values) else NoteProgress.DRAFTED


RISK_FLAGS = ("suicidal_ideation", "homicidal_ideation", "use_since_last_session")
CRAVING_MAX = 10


def risk_raised(flags: Mapping[str, object]) -> bool:
    """True when any risk flag is set or craving is 7 or more, so the note must stand out."""
    craving = flags.get("craving")
    high_craving = isinstance(craving, int) and craving >= 7
    return high_craving or any(bool(flags.get(flag)) for flag in RISK_FLAGS)


_PART_NAME = re.compile(r"^[a-z0-9_]{1,30}$")


def note_parts(
    fields: Mapping[str, object], observations: Mapping[str, object]
) -> dict[str, object]:
    """A note's parts by name (its template fields, then mood, affect, participation, goals
    and risk), to tell which changed without ever naming their text."""
    return {**{f"field_{k}": v for k, v in fields.items()}, **observations}


def changed_part_names(before: Mapping[str, object], after: Mapping[str, object]) -> set[str]:
    """Names of the parts that differ; a name that is not a plain lowercase key is left out
    (audit details hold names, never text)."""
    names = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return {n for n in names if _PART_NAME.match(n)}


def audit_token(names: set[str], limit: int = 64) -> str:
    """'field_goal.mood': sorted names joined by dots, as many as fit an audit token."""
    token = ""
    for name in sorted(names):
        joined = f"{token}.{name}" if token else name
        if len(joined) > limit:
            break
        token = joined
    return token
