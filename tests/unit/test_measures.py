"""Measures as data: scoring and bands at every boundary, validation, when a measure is due."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from facilitator import content
from facilitator.domain.errors import DomainError
from facilitator.domain.measures import (
    MeasureDefinition,
    MeasureDefinitionError,
    MeasureSchedule,
    MeasureScoreError,
    definition_from_dict,
    due_points,
    measures_due,
)

MEASURES = {m.code: m for m in content.measures()}
PHQ9 = MEASURES["PHQ-9"]
GAD7 = MEASURES["GAD-7"]


def scores(definition: MeasureDefinition, total: int, risk_item: int = 0) -> dict[str, int]:
    """Item scores adding up to `total`, filled from the first item on (risk item set apart)."""
    values = {item.key: 0 for item in definition.items}
    for item in definition.risk_items:
        values[item.key] = risk_item
    left = total - risk_item
    for item in definition.items:
        if item.risk:
            continue
        values[item.key] = min(item.high, left)
        left -= values[item.key]
    assert left == 0
    return values


def test_shipped_measures() -> None:
    assert set(MEASURES) == {"PHQ-9", "GAD-7", "CRAVING", "READINESS"}
    assert (len(PHQ9.items), PHQ9.low, PHQ9.high) == (9, 0, 27)
    assert (len(GAD7.items), GAD7.low, GAD7.high) == (7, 0, 21)
    assert (MEASURES["CRAVING"].low, MEASURES["CRAVING"].high) == (0, 10)
    assert (MEASURES["READINESS"].low, MEASURES["READINESS"].high) == (0, 10)
    assert [i.key for i in PHQ9.risk_items] == ["self_harm"]
    assert PHQ9.items[8].risk  # item 9


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Moderately severe"),
        (19, "Moderately severe"),
        (20, "Severe"),
        (27, "Severe"),
    ],
)
def test_phq9_bands_at_every_boundary(total: int, band: str) -> None:
    item9 = max(0, total - 24)  # the other eight items reach 24 at most
    score = PHQ9.score(scores(PHQ9, total, risk_item=item9))
    assert (score.total, score.band.label, score.risk) == (total, band, item9 > 0)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Severe"),
        (21, "Severe"),
    ],
)
def test_gad7_bands_at_every_boundary(total: int, band: str) -> None:
    score = GAD7.score(scores(GAD7, total))
    assert (score.total, score.band.label) == (total, band)


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item9_above_zero_raises_risk(item9: int) -> None:
    score = PHQ9.score(scores(PHQ9, 6, risk_item=item9))
    assert score.risk and score.total == 6 and score.band.label == "Mild"


def test_gad7_never_raises_risk() -> None:
    assert not GAD7.score(scores(GAD7, 21)).risk


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mood": 4}, "item 2 (Low mood) scores 0-3, not 4"),
        ({"mood": -1}, "item 2 (Low mood) scores 0-3, not -1"),
        ({"self_harm": 7}, "item 9 (Thoughts of self-harm) scores 0-3, not 7"),
        ({"mood": 1.5}, "item 2 (Low mood) must be a whole number"),
        ({"mood": True}, "item 2 (Low mood) must be a whole number"),
        ({"extra": 1}, "has no item extra"),
    ],
)
def test_out_of_range_and_unknown_scores_are_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(MeasureScoreError, match=message.replace("(", r"\(").replace(")", r"\)")):
        PHQ9.score({**scores(PHQ9, 0), **change})


def test_missing_items_are_refused() -> None:
    partial = scores(GAD7, 3)
    del partial["dread"]
    with pytest.raises(MeasureScoreError, match="missing Sense of dread"):
        GAD7.score(partial)


def test_band_of_refuses_totals_outside_the_range() -> None:
    with pytest.raises(MeasureScoreError, match="outside 0-27"):
        PHQ9.band_of(28)


def custom(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": "WELLBEING",
        "name": "Well-being",
        "item": [
            {"key": "a", "label": "Rest", "low": 0, "high": 4},
            {"key": "b", "label": "Calm", "low": 1, "high": 5},
        ],
        "band": [
            {"label": "Low", "low": 1, "high": 4},
            {"label": "Middle", "low": 5, "high": 7},
            {"label": "High", "low": 8, "high": 9},
        ],
    }
    return {**data, **overrides}


def test_a_custom_measure_round_trips_and_scores() -> None:
    definition = definition_from_dict(custom())
    assert (definition.low, definition.high) == (1, 9)
    assert definition_from_dict(definition.as_dict()) == definition
    assert definition.score({"a": 4, "b": 1}).band.label == "Middle"
    assert definition.score({"a": 0, "b": 1}).band.label == "Low"


@pytest.mark.parametrize(
    ("bands", "message"),
    [
        ([("Low", 1, 4), ("High", 6, 9)], "gap: no band holds 5-5"),
        ([("Low", 1, 5), ("High", 5, 9)], "starts at 5, overlapping"),
        ([("Low", 2, 9)], "gap: no band holds 1-1"),
        ([("Low", 1, 4), ("High", 5, 8)], "must end at the highest total 9, not 8"),
        ([("Low", 1, 4), ("High", 5, 10)], "must end at the highest total 9, not 10"),
        ([("High", 5, 9), ("Low", 1, 4)], "gap: no band holds 1-4"),
        ([("Low", 4, 1)], "ends \\(1\\) before it starts \\(4\\)"),
        ([], "at least one severity band"),
    ],
)
def test_custom_bands_must_cover_the_range_without_gaps_or_overlaps(
    bands: list[tuple[str, int, int]], message: str
) -> None:
    data = custom(band=[{"label": label, "low": low, "high": high} for label, low, high in bands])
    with pytest.raises(MeasureDefinitionError, match=message):
        definition_from_dict(data)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "bad code"}, "must start with a capital letter"),
        ({"name": " "}, "needs a name"),
        ({"item": []}, "at least one item"),
        ({"item": [{"key": "a", "label": "A", "low": 3, "high": 3}]}, "must be above the lowest"),
        (
            {"item": [{"key": "a", "label": "A", "low": 0, "high": 1}] * 2},
            "two items keyed 'a'",
        ),
        ({"item": [{"key": "a", "label": "A", "low": 0, "high": "9"}]}, "whole numbers"),
        ({"band": None}, "malformed"),
        ({"item": "oops"}, r"'item' must be a list of tables: write each as \[\[item\]\]"),
        ({"band": [1, 2]}, r"'band' must be a list of tables"),
    ],
)
def test_custom_definitions_are_validated(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(MeasureDefinitionError, match=message):
        definition_from_dict(custom(**overrides))


def test_a_definition_missing_a_section_says_which() -> None:
    data = custom()
    del data["band"]
    with pytest.raises(MeasureDefinitionError, match="missing 'band'"):
        definition_from_dict(data)


# --- due rules -----------------------------------------------------------------------------

ADMITTED = date(2026, 9, 2)  # a Wednesday
SCHEDULE = MeasureSchedule(("PHQ-9", "GAD-7"), at_admission=True, every_weeks=4, at_discharge=True)


def test_due_points_at_admission_every_n_weeks_and_discharge() -> None:
    ends = date(2026, 11, 25)  # 12 weeks after admission
    points = due_points(SCHEDULE, ADMITTED, ends, date(2027, 1, 1))
    assert [(p.day, p.reason) for p in points] == [
        (ADMITTED, "admission"),
        (date(2026, 9, 30), "week 4"),
        (date(2026, 10, 28), "week 8"),
        (ends, "discharge"),  # week 12 falls on the discharge day: counted once, as discharge
    ]


def test_due_in_the_admission_week_until_taken() -> None:
    due = measures_due(SCHEDULE, ADMITTED, None, {}, date(2026, 9, 4))
    assert [(d.code, d.point.reason, d.overdue) for d in due] == [
        ("PHQ-9", "admission", False),
        ("GAD-7", "admission", False),
    ]
    taken = {"PHQ-9": [date(2026, 9, 2)]}
    assert [d.code for d in measures_due(SCHEDULE, ADMITTED, None, taken, date(2026, 9, 4))] == [
        "GAD-7"
    ]


def test_a_result_earlier_in_the_same_week_counts() -> None:
    taken = {"PHQ-9": [date(2026, 8, 31)], "GAD-7": [date(2026, 8, 31)]}  # Monday, before admission
    assert measures_due(SCHEDULE, ADMITTED, None, taken, date(2026, 9, 2)) == []


def test_nothing_due_between_points_once_taken() -> None:
    taken = {"PHQ-9": [ADMITTED], "GAD-7": [ADMITTED]}
    for day in (date(2026, 9, 14), date(2026, 9, 27)):
        assert measures_due(SCHEDULE, ADMITTED, None, taken, day) == []
    due = measures_due(SCHEDULE, ADMITTED, None, taken, date(2026, 9, 28))  # week of week 4
    assert {(d.code, d.point.reason) for d in due} == {("PHQ-9", "week 4"), ("GAD-7", "week 4")}


def test_a_missed_point_is_overdue_until_the_next_one_supersedes_it() -> None:
    taken = {"PHQ-9": [ADMITTED], "GAD-7": [ADMITTED]}
    overdue = measures_due(SCHEDULE, ADMITTED, None, taken, date(2026, 10, 7))
    assert {(d.code, d.point.reason, d.overdue) for d in overdue} == {
        ("PHQ-9", "week 4", True),
        ("GAD-7", "week 4", True),
    }
    nxt = measures_due(SCHEDULE, ADMITTED, None, taken, date(2026, 10, 28))
    assert {(d.point.reason, d.overdue) for d in nxt} == {("week 8", False)}


def test_due_at_discharge_in_the_week_of_the_planned_end() -> None:
    ends = date(2026, 11, 25)
    taken = {"PHQ-9": [date(2026, 10, 28)], "GAD-7": [date(2026, 10, 28)]}
    due = measures_due(SCHEDULE, ADMITTED, ends, taken, date(2026, 11, 23))
    assert {(d.code, d.point.reason) for d in due} == {
        ("PHQ-9", "discharge"),
        ("GAD-7", "discharge"),
    }


def test_a_schedule_without_admission_starts_at_the_first_repeat() -> None:
    schedule = MeasureSchedule(("PHQ-9",), at_admission=False, every_weeks=2, at_discharge=False)
    assert measures_due(schedule, ADMITTED, None, {}, ADMITTED) == []
    due = measures_due(schedule, ADMITTED, None, {}, date(2026, 9, 16))
    assert [d.point.reason for d in due] == ["week 2"]


def test_schedule_settings_are_checked_and_round_trip() -> None:
    with pytest.raises(DomainError, match="every 1 to 52 weeks"):
        MeasureSchedule(("PHQ-9",), every_weeks=0)
    assert MeasureSchedule.from_dict(SCHEDULE.as_dict()) == SCHEDULE
    assert MeasureSchedule.from_dict({}) == MeasureSchedule()
