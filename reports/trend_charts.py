"""Trend charts for printed records, drawn with reportlab.graphics from plain data.

The same three plots as the participant window's Progress tab: measure totals, craving (from
notes and from the craving measure), and attended hours per week against the weekly target,
with admission, discharge and milestones marked as dashed vertical lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from facilitator.domain.trends import TrendMarker, Trends, TrendSeries
from reports.fonts import BOLD, REGULAR

SERIES_COLORS = (
    colors.HexColor("#1f5fa8"),
    colors.HexColor("#c0392b"),
    colors.HexColor("#2e7d32"),
    colors.HexColor("#8e44ad"),
    colors.HexColor("#b9770e"),
)
INK = colors.HexColor("#1a1a1a")
GRID = colors.HexColor("#d0d0d0")
MARK = colors.HexColor("#777777")
BAR = colors.HexColor("#8fb3de")
BAR_SHORT = colors.HexColor("#e3a3a3")
TARGET = colors.HexColor("#c0392b")
LEFT, RIGHT, TOP, BOTTOM = 30.0, 8.0, 16.0, 34.0  # room for the axes, title and legend
HOURS_HEADROOM = 1.3  # the tallest bar stays below the markers' labels at the top of the plot


class _Frame:
    """The plot area of a drawing: maps days and values to points."""

    def __init__(
        self, width: float, height: float, first: date, last: date, low: float, high: float
    ) -> None:
        self.x0, self.y0 = LEFT, BOTTOM
        self.w, self.h = width - LEFT - RIGHT, height - BOTTOM - TOP
        self.first, self.span = first, max((last - first).days, 1)
        self.low, self.high = low, high if high > low else low + 1

    def x(self, day: date) -> float:
        return self.x0 + self.w * (day - self.first).days / self.span

    def y(self, value: float) -> float:
        return self.y0 + self.h * (value - self.low) / (self.high - self.low)


def measures_chart(trends: Trends, width: float, height: float) -> Drawing:
    """Each measure's totals over the enrollment, on a scale up to the highest total."""
    high = max((s.high for s in trends.measures), default=10)
    return _lines(trends, trends.measures, "Measure totals", high, width, height)


def craving_chart(trends: Trends, width: float, height: float) -> Drawing:
    return _lines(trends, trends.craving, "Craving (0-10)", 10, width, height)


def hours_chart(trends: Trends, width: float, height: float) -> Drawing:
    """Attended hours per week as bars, the weekly target as a red line over each week."""
    targets = [w.target_hours for w in trends.weeks if w.target_hours is not None]
    high = max([*(w.hours for w in trends.weeks), *targets, 1.0])
    drawing = Drawing(width, height)
    ceiling = high * HOURS_HEADROOM
    frame = _Frame(width, height, trends.first, trends.last, 0, ceiling)
    _axes(drawing, frame, "Hours attended per week", ceiling)
    for week in trends.weeks:  # each bar within its week, clipped to the plot
        start = max(frame.x(week.monday), frame.x0)
        end = min(frame.x(week.monday + timedelta(days=7)), frame.x0 + frame.w)
        if end - start < 1:
            continue  # a week starting on the last day plotted has no room in the plot
        x, bar = start + (end - start) * 0.12, max((end - start) * 0.76, 1.0)
        short = week.target_hours is not None and week.hours < week.target_hours
        drawing.add(
            Rect(
                x,
                frame.y0,
                bar,
                frame.y(week.hours) - frame.y0,
                fillColor=BAR_SHORT if short else BAR,
                strokeColor=INK,
                strokeWidth=0.3,
            )
        )
        if week.target_hours is not None:
            y = frame.y(week.target_hours)
            drawing.add(Line(x - 1, y, x + bar + 1, y, strokeColor=TARGET, strokeWidth=1.4))
    _markers(drawing, frame, trends.markers)
    _legend(drawing, [("Hours", BAR), ("Under target", BAR_SHORT), ("Weekly target", TARGET)])
    return drawing


TREND_CHARTS = (measures_chart, craving_chart, hours_chart)


def _lines(
    trends: Trends,
    series: Sequence[TrendSeries],
    title: str,
    high: float,
    width: float,
    height: float,
) -> Drawing:
    drawing = Drawing(width, height)
    frame = _Frame(width, height, trends.first, trends.last, 0, high)
    _axes(drawing, frame, title, high)
    _markers(drawing, frame, trends.markers)
    legend = []
    for index, one in enumerate(series):
        color = SERIES_COLORS[index % len(SERIES_COLORS)]
        points = [(frame.x(p.day), frame.y(p.value)) for p in one.points]
        if len(points) > 1:
            drawing.add(
                PolyLine([c for point in points for c in point], strokeColor=color, strokeWidth=1.3)
            )
        for x, y in points:
            drawing.add(Circle(x, y, 1.8, fillColor=color, strokeColor=color))
        legend.append((f"{one.name} ({len(one.points)})", color))
    if not any(s.points for s in series):
        drawing.add(
            String(
                frame.x0 + frame.w / 2,
                frame.y0 + frame.h / 2,
                "No values recorded",
                fontName=REGULAR,
                fontSize=8,
                fillColor=MARK,
                textAnchor="middle",
            )
        )
    _legend(drawing, legend)
    return drawing


def _axes(drawing: Drawing, frame: _Frame, title: str, high: float) -> None:
    drawing.add(String(frame.x0, frame.y0 + frame.h + 5, title, fontName=BOLD, fontSize=8.5))
    step = _step(high)
    value = 0.0
    while value <= high + 1e-9:
        y = frame.y(value)
        drawing.add(Line(frame.x0, y, frame.x0 + frame.w, y, strokeColor=GRID, strokeWidth=0.4))
        label = f"{value:g}"
        drawing.add(
            String(frame.x0 - 3, y - 2.5, label, fontName=REGULAR, fontSize=6.5, textAnchor="end")
        )
        value += step
    drawing.add(Line(frame.x0, frame.y0, frame.x0 + frame.w, frame.y0, strokeColor=INK))
    drawing.add(Line(frame.x0, frame.y0, frame.x0, frame.y0 + frame.h, strokeColor=INK))
    for day, anchor in ((frame.first, "start"), (_last_day(frame), "end")):
        drawing.add(
            String(
                frame.x(day),
                frame.y0 - 9,
                day.isoformat(),
                fontName=REGULAR,
                fontSize=6.5,
                textAnchor=anchor,
            )
        )


def _last_day(frame: _Frame) -> date:
    return frame.first + timedelta(days=frame.span)


def _step(high: float) -> float:
    for step in (1, 2, 5, 10, 20):
        if high / step <= 6:
            return float(step)
    return high / 5


def _markers(drawing: Drawing, frame: _Frame, markers: Sequence[TrendMarker]) -> None:
    """Dashed vertical lines, labels staggered so neighbours do not overprint."""
    for index, marker in enumerate(markers):
        x = frame.x(marker.day)
        drawing.add(
            Line(
                x,
                frame.y0,
                x,
                frame.y0 + frame.h,
                strokeColor=MARK,
                strokeWidth=0.6,
                strokeDashArray=[2, 2],
            )
        )
        near_right = x > frame.x0 + frame.w * 0.7  # label on the left, inside the plot
        drawing.add(
            String(
                x - 2 if near_right else x + 2,
                frame.y0 + frame.h - 7 - 7 * (index % 3),
                marker.label,
                fontName=REGULAR,
                fontSize=6,
                fillColor=MARK,
                textAnchor="end" if near_right else "start",
            )
        )


def _legend(drawing: Drawing, entries: Sequence[tuple[str, colors.Color]]) -> None:
    x = LEFT
    for label, color in entries:
        drawing.add(Rect(x, 5, 8, 6, fillColor=color, strokeColor=color))
        drawing.add(String(x + 11, 5.5, label, fontName=REGULAR, fontSize=7))
        x += 11 + 4.2 * len(label) + 12
