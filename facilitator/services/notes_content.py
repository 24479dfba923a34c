"""The canonical content of a participant note: what its signature's hash covers."""

from __future__ import annotations

from typing import Any

from facilitator.storage.models import ParticipantNote


def canonical_note_content(note: ParticipantNote) -> dict[str, Any]:
    """Every clinical value of the note, keyed by name, with ids as strings."""
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
