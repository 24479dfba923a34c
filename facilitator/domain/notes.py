"""Participant notes: templates, completeness and the canonical content that is signed."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class NoteStatus(StrEnum):
    """Where a participant note stands on its way into the legal record."""

    DRAFT = "draft"
    SIGNED = "signed"
    AWAITING_COSIGN = "awaiting_cosign"
    RETURNED = "returned"
    COSIGNED = "cosigned"

    @property
    def locked(self) -> bool:
        """Signed content never changes; only addenda may follow."""
        return self in (NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN, NoteStatus.COSIGNED)


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
