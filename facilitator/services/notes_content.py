"""The canonical content of a participant note: what its signature's hash covers."""

from __future__ import annotations

from typing import Any

from facilitator.storage.models import Addendum, ParticipantNote

SIGNED_CONTEXT_VERSION = 2
"""content_version of notes whose hash covers their service context (revision 0009 on)."""


def canonical_note_content(note: ParticipantNote) -> dict[str, Any]:
    """Every clinical value of the note, keyed by name, with ids as strings; from version 2,
    with the service context it was signed with. Version 1 (notes signed before revision
    0009) keeps its original formula, so their hashes still verify."""
    content = _note_fields(note)
    if (note.content_version or 1) >= SIGNED_CONTEXT_VERSION:
        content["version"] = note.content_version
        content["signed_context"] = note.signed_context
    return content


def _note_fields(note: ParticipantNote) -> dict[str, Any]:
    return {
        "note_id": str(note.id),
        "block_id": str(note.block_id),
        "participant_id": str(note.participant_id),
        "template": note.template,
        "fields": dict(note.fields),
        "mood": note.mood,
        "affect": note.affect,
        "participation": note.participation,
        "goals_addressed": list(note.goals_addressed),
        "risk_flags": dict(note.risk_flags),
    }


def canonical_addendum_content(addendum: Addendum, note: ParticipantNote) -> dict[str, Any]:
    """An addendum's text, tied to its note and to the content hash the note was signed with."""
    return {
        "addendum_id": str(addendum.id),
        "note_id": str(note.id),
        "note_content_hash": note.content_hash,
        "author_id": str(addendum.author_id),
        "text": addendum.text,
    }
