"""The discharge summary's canonical content keeps the charts' data, and round-trips through
JSON (as the database stores it) to the same content and hash; content without charts (signed
before they were kept) round-trips without them."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from facilitator.domain.discharge import TransitionPlan
from facilitator.domain.discharge_summary import (
    Attendance,
    DischargeSummary,
    GoalOutcome,
    MeasureTrend,
    TopicDone,
)
from facilitator.domain.notes import content_hash
from facilitator.domain.trends import TrendMarker, TrendPoint, Trends, TrendSeries, WeekBar

ADMITTED = date(2026, 9, 21)
DISCHARGED = date(2026, 11, 17)


def summary(charts: Trends | None) -> DischargeSummary:
    return DischargeSummary(
        discharge_id="e3db72ff-1545-446f-8064-69b26d2b78b2",
        participant_name="Synthetic Person",
        chart_number="IOP-00000-00",
        date_of_birth=date(2001, 8, 14),
        program="Adult IOP",
        group="Morning",
        level_of_care="ASAM Level 2.1",
        admitted=ADMITTED,
        discharged=DISCHARGED,
        reason="Completed program",
        attendance=Attendance(14, 41, 1, 2445, 9, 3, 540),
        topics=(TopicDone("CBT", "The cognitive model", ADMITTED),),
        goals=(GoalOutcome("Attend twice a week", "met"),),
        measures=(MeasureTrend("PHQ-9", 2, ADMITTED, 15, "Moderate", DISCHARGED, 6, "Mild", 27),),
        plan=TransitionPlan(next_level_of_care="Standard outpatient"),
        charts=charts,
    )


def stored(content: dict[str, object]) -> dict[str, object]:
    """As the database's JSON column gives it back."""
    loaded: dict[str, object] = json.loads(json.dumps(content))
    return loaded


minutes_as_hours = st.integers(0, 2400).map(lambda m: m / 60)
numbers = st.one_of(st.integers(0, 40), st.floats(0, 40, allow_nan=False), minutes_as_hours)


@given(
    values=st.lists(numbers, max_size=6),
    hours=st.lists(st.tuples(numbers, st.none() | numbers), max_size=6),
)
def test_charts_round_trip_to_the_same_content_and_hash(
    values: list[float], hours: list[tuple[float, float | None]]
) -> None:
    charts = Trends(
        first=ADMITTED - timedelta(days=7),
        last=DISCHARGED,
        measures=(
            TrendSeries(
                "PHQ-9",
                tuple(
                    TrendPoint(ADMITTED + timedelta(days=i), v, "Mild (corrected)")
                    for i, v in enumerate(values)
                ),
                0,
                27.0,
            ),
        ),
        craving=(TrendSeries("Craving in notes", (), 0, 10),),
        weeks=tuple(
            WeekBar(ADMITTED + timedelta(weeks=i), h, t, "Met") for i, (h, t) in enumerate(hours)
        ),
        markers=(TrendMarker(ADMITTED, "Admitted"), TrendMarker(DISCHARGED, "Discharged")),
    )
    signed = summary(charts).content()
    loaded = DischargeSummary.from_content(stored(signed))

    assert loaded == summary(charts)
    assert loaded.content() == signed
    assert content_hash(stored(loaded.content())) == content_hash(signed)


def test_content_without_charts_round_trips_without_them() -> None:
    old = stored(summary(None).content())
    loaded = DischargeSummary.from_content(old)

    assert "charts" not in old and loaded.charts is None
    assert loaded.content() == old
    assert content_hash(loaded.content()) == content_hash(old)
