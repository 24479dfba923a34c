"""The printed hours chart: each week's bar and target line inside the plot."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Line, Rect

from facilitator.domain.trends import TrendMarker, Trends, WeekBar
from reports.trend_charts import BOTTOM, LEFT, RIGHT, hours_chart

WIDTH = 400.0


def test_a_week_starting_on_the_last_day_plotted_draws_nothing_outside_the_plot() -> None:
    trends = Trends(
        first=date(2026, 11, 13),
        last=date(2026, 11, 23),
        measures=(),
        craving=(),
        weeks=(
            WeekBar(date(2026, 11, 16), 12.0, 9.0, "Met"),
            WeekBar(date(2026, 11, 23), 0.0, 9.0, "In progress"),
        ),
        markers=(TrendMarker(date(2026, 11, 13), "Admitted"),),
    )
    drawing = hours_chart(trends, WIDTH, 150)
    right = WIDTH - RIGHT
    bars = [s for s in drawing.contents if isinstance(s, Rect) and s.y == BOTTOM]
    assert len(bars) == 1  # the week shown; none for the week starting on the last day
    assert all(b.x >= LEFT and b.x + b.width <= right for b in bars)
    lines = [s for s in drawing.contents if isinstance(s, Line)]
    assert all(max(line.x1, line.x2) <= right + 1e-6 for line in lines)
