"""Note templates, completeness, lock states and the hash a signature covers."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from facilitator.domain.notes import NoteStatus, NoteTemplate, TemplateField, content_hash

NOTE: dict[str, Any] = {
    "note_id": "3f1c",
    "template": "GIRP",
    "fields": {"goal": "Reduce use", "plan": "Attend group"},
    "mood": "Calm",
    "goals_addressed": [{"goal_id": "a1", "progress": "Progressing"}],
    "risk_flags": {"suicidal_ideation": False, "craving": 2},
}


def reordered(value: Any) -> Any:
    """The same content with every dict's keys inserted in reverse order."""
    if isinstance(value, dict):
        return {k: reordered(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [reordered(v) for v in value]
    return value


def test_hash_is_sha256_hex() -> None:
    digest = content_hash(NOTE)
    assert len(digest) == 64
    int(digest, 16)
    assert content_hash({}) == hashlib.sha256(b"{}").hexdigest()


def test_hash_is_stable_under_key_order() -> None:
    assert list(reordered(NOTE)) != list(NOTE)
    assert content_hash(reordered(NOTE)) == content_hash(NOTE)


def test_hash_is_deterministic() -> None:
    assert content_hash(NOTE) == content_hash(json.loads(json.dumps(NOTE)))


@pytest.mark.parametrize(
    "path",
    [
        ("note_id",),
        ("template",),
        ("mood",),
        ("fields", "goal"),
        ("fields", "plan"),
    ],
)
def test_one_character_change_changes_the_hash(path: tuple[str, ...]) -> None:
    changed = json.loads(json.dumps(NOTE))
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = target[path[-1]][:-1] + "!"
    assert content_hash(changed) != content_hash(NOTE)


def test_nested_list_and_scalar_changes_change_the_hash() -> None:
    progress = json.loads(json.dumps(NOTE))
    progress["goals_addressed"][0]["progress"] = "Progressinh"
    flag = json.loads(json.dumps(NOTE))
    flag["risk_flags"]["suicidal_ideation"] = True
    craving = json.loads(json.dumps(NOTE))
    craving["risk_flags"]["craving"] = 3
    hashes = {content_hash(NOTE), *(content_hash(c) for c in (progress, flag, craving))}
    assert len(hashes) == 4


def test_adding_a_key_changes_the_hash() -> None:
    assert content_hash({**NOTE, "affect": None}) != content_hash(NOTE)


def test_non_ascii_is_hashed_as_utf8() -> None:
    response = "José said \u201cI\u2019m ready\u201d \u2014 café ☕ 😊"
    content = {"response": response, "mood": "Ängstlich"}
    expected = hashlib.sha256(
        ('{"mood":"Ängstlich","response":"' + response + '"}').encode("utf-8")
    ).hexdigest()
    assert content_hash(content) == expected
    assert content_hash(content) != content_hash({**content, "mood": "Angstlich"})


TEMPLATE = NoteTemplate(
    code="T",
    name="Test",
    description="",
    fields=(
        TemplateField("goal", "Goal", "help", required=True),
        TemplateField("plan", "Plan", "help", required=True),
        TemplateField("additional", "Additional", "help", required=False),
    ),
)


def test_whitespace_only_counts_as_missing() -> None:
    missing = TEMPLATE.missing_required({"goal": " \t\n ", "plan": "Attend", "additional": ""})
    assert [f.key for f in missing] == ["goal"]
    assert not TEMPLATE.is_complete({"goal": " \t\n ", "plan": "Attend"})


def test_absent_keys_count_as_missing_in_template_order() -> None:
    assert [f.key for f in TEMPLATE.missing_required({})] == ["goal", "plan"]


def test_optional_fields_may_be_empty() -> None:
    assert TEMPLATE.missing_required({"goal": "Reduce use", "plan": "Attend"}) == []
    assert TEMPLATE.is_complete({"goal": "Reduce use", "plan": "Attend", "additional": "  "})


@pytest.mark.parametrize(
    ("status", "locked"),
    [
        (NoteStatus.DRAFT, False),
        (NoteStatus.SIGNED, True),
        (NoteStatus.AWAITING_COSIGN, True),
        (NoteStatus.RETURNED, True),  # the author answers with an addendum
        (NoteStatus.COSIGNED, True),
    ],
)
def test_note_status_locked(status: NoteStatus, locked: bool) -> None:
    assert status.locked is locked
