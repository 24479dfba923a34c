"""The content shipped in resources/: modalities, curriculum, note templates, notices."""

from __future__ import annotations

from collections import Counter

import pytest

from facilitator import content

TOPIC_MINIMUMS = {"CBT": 12, "RP": 12, "PSYED": 12, "MI": 6, "MIND": 6}


def test_modalities_have_unique_codes_and_interventions() -> None:
    modalities = content.modalities()
    codes = [m.code for m in modalities]
    assert len(codes) == len(set(codes))
    assert set(TOPIC_MINIMUMS) <= set(codes)
    for modality in modalities:
        assert modality.name.strip()
        assert modality.description.strip()
        assert modality.interventions, modality.code


@pytest.mark.parametrize(("code", "minimum"), TOPIC_MINIMUMS.items())
def test_curriculum_topic_counts(code: str, minimum: int) -> None:
    count = Counter(t.modality for t in content.curriculum())[code]
    assert count >= minimum, f"{code} has {count} topics"


def test_every_topic_is_complete() -> None:
    topics = content.curriculum()
    assert topics
    for topic in topics:
        where = f"{topic.modality} #{topic.order}"
        assert topic.title.strip(), where
        assert len(topic.objectives) >= 1, where
        assert all(o.strip() for o in topic.objectives), where
        assert topic.outline.strip(), where
        assert topic.outline == topic.outline.strip(), where


def test_topic_titles_and_orders_are_unique_within_a_modality() -> None:
    # The database has a unique constraint on (modality, title).
    topics = content.curriculum()
    titles = Counter((t.modality, t.title) for t in topics)
    orders = Counter((t.modality, t.order) for t in topics)
    assert [k for k, n in titles.items() if n > 1] == []
    assert [k for k, n in orders.items() if n > 1] == []


def test_curriculum_is_in_order_within_each_modality() -> None:
    by_modality: dict[str, list[int]] = {}
    for topic in content.curriculum():
        by_modality.setdefault(topic.modality, []).append(topic.order)
    for code, orders in by_modality.items():
        assert orders == sorted(orders), code


def test_every_curriculum_modality_exists() -> None:
    codes = {m.code for m in content.modalities()}
    missing = {t.modality for t in content.curriculum()} - codes
    assert missing == set()


@pytest.mark.parametrize("code", ["GIRP", "DAP", "BIRP", "SOAP"])
def test_note_template_exists_with_documented_required_fields(code: str) -> None:
    template = content.note_templates()[code]
    assert template.code == code
    assert template.name.strip()
    required = [f for f in template.fields if f.required]
    assert required, f"{code} has no required fields"
    for field in template.fields:
        assert field.key.strip(), code
        assert field.label.strip(), f"{code}.{field.key} has no label"
        assert field.help.strip(), f"{code}.{field.key} has no help"
    keys = [f.key for f in template.fields]
    assert len(keys) == len(set(keys))
    assert "plan" in {f.key for f in required}


def test_girp_fields() -> None:
    girp = content.note_templates()["GIRP"]
    required = [f.key for f in girp.fields if f.required]
    assert required == ["goal", "intervention", "response", "plan"]
    assert not girp.is_complete({"goal": "x", "intervention": "x", "response": "x"})
    assert girp.is_complete({"goal": "x", "intervention": "x", "response": "x", "plan": "x"})


def test_pick_lists_used_by_notes_are_present() -> None:
    picks = content.pick_lists()
    for key in ("mood", "affect", "participation", "goal_progress"):
        assert picks[key], key


def test_part2_notice() -> None:
    notice = content.part2_notice()
    assert "42 CFR part 2" in notice
    assert notice == notice.strip()
