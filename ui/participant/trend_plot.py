"""A small time plot drawn with QPainter: lines of values or bars of hours per week, with
dashed markers (admission, milestones). Colours come from the palette, so it reads in light and
dark themes; hovering a point or bar shows its value, and a table beside it lists them all."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from facilitator.domain.trends import TrendMarker, TrendSeries, WeekBar

SERIES_HUES = ("#1f5fa8", "#c0392b", "#2e7d32", "#8e44ad", "#b9770e")
TARGET_HUE = "#c0392b"
MARGINS = (40.0, 12.0, 24.0, 44.0)  # left, right, top (title), bottom (dates, legend)
HIT_RADIUS = 9.0
HOURS_HEADROOM = 1.3  # the tallest bar stays below the markers' labels, as in the PDF


@dataclass(frozen=True)
class Hit:
    """Something under the mouse: where it is drawn and what its tooltip says."""

    area: QRectF
    text: str


class TrendPlot(QWidget):
    """Plots one kind of trend; call show_lines() or show_bars() to give it data."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setMouseTracking(True)
        self.setMinimumSize(320, 190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)
        self.setAccessibleDescription(self.tr("A plot; the table beside it lists every value."))
        self._first = self._last = date.today()
        self._high = 10.0
        self._series: tuple[TrendSeries, ...] = ()
        self._weeks: tuple[WeekBar, ...] = ()
        self._markers: tuple[TrendMarker, ...] = ()
        self.hits: list[Hit] = []

    def sizeHint(self) -> QSize:
        return QSize(560, 230)

    def show_lines(
        self,
        first: date,
        last: date,
        series: Sequence[TrendSeries],
        high: float,
        markers: Sequence[TrendMarker],
    ) -> None:
        self._first, self._last, self._high = first, last, max(high, 1.0)
        self._series, self._weeks, self._markers = tuple(series), (), tuple(markers)
        self.update()

    def show_bars(
        self, first: date, last: date, weeks: Sequence[WeekBar], markers: Sequence[TrendMarker]
    ) -> None:
        targets = [w.target_hours for w in weeks if w.target_hours is not None]
        self._first, self._last = first, last
        self._high = max([*(w.hours for w in weeks), *targets, 1.0]) * HOURS_HEADROOM
        self._series, self._weeks, self._markers = (), tuple(weeks), tuple(markers)
        self.update()

    # --- drawing --------------------------------------------------------------------------

    def _plot_area(self) -> QRectF:
        left, right, top, bottom = MARGINS
        return QRectF(left, top, self.width() - left - right, self.height() - top - bottom)

    def _x(self, area: QRectF, day: date) -> float:
        span = max((self._last - self._first).days, 1)
        return area.left() + area.width() * (day - self._first).days / span

    def _y(self, area: QRectF, value: float) -> float:
        return area.bottom() - area.height() * value / self._high

    def _color(self, hue: str) -> QColor:
        """A series colour, lightened on a dark background so it keeps its contrast."""
        color = QColor(hue)
        return color.lighter(165) if _is_dark(self.palette()) else color

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        area = self._plot_area()
        self.hits = []
        self._draw_axes(painter, area, palette)
        if self._weeks:
            self._draw_bars(painter, area)
        else:
            self._draw_lines(painter, area, palette)
        self._draw_markers(painter, area, palette)  # over the data: labels stay readable
        painter.end()

    def _draw_axes(self, painter: QPainter, area: QRectF, palette: QPalette) -> None:
        text = palette.color(QPalette.ColorRole.Text)
        grid = palette.color(QPalette.ColorRole.Mid)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text)
        painter.drawText(QPointF(area.left(), area.top() - 8), self.title)
        font.setBold(False)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        painter.setFont(font)
        step = _step(self._high)
        value = 0.0
        while value <= self._high + 1e-9:
            y = self._y(area, value)
            painter.setPen(QPen(grid, 0.6))
            painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            painter.setPen(text)
            label = QRectF(0, y - 8, area.left() - 5, 16)
            align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(label, align, f"{value:g}")
            value += step
        painter.setPen(QPen(text, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        below = QRectF(area.left(), area.bottom() + 2, area.width(), 16)
        painter.drawText(below, Qt.AlignmentFlag.AlignLeft, self._first.isoformat())
        painter.drawText(below, Qt.AlignmentFlag.AlignRight, self._last.isoformat())

    def _draw_markers(self, painter: QPainter, area: QRectF, palette: QPalette) -> None:
        color = palette.color(QPalette.ColorRole.PlaceholderText)
        metrics = painter.fontMetrics()
        for index, marker in enumerate(self._markers):
            x = self._x(area, marker.day)
            painter.setPen(QPen(color, 1, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
            width = metrics.horizontalAdvance(marker.label)
            left = x - width - 3 if x > area.left() + area.width() * 0.7 else x + 3
            y = area.top() + metrics.ascent() + (metrics.height() * (index % 3))
            painter.drawText(QPointF(left, y), marker.label)
            self.hits.append(
                Hit(QRectF(x - 3, area.top(), 6, area.height()), f"{marker.day}: {marker.label}")
            )

    def _draw_lines(self, painter: QPainter, area: QRectF, palette: QPalette) -> None:
        legend = []
        for index, series in enumerate(self._series):
            color = self._color(SERIES_HUES[index % len(SERIES_HUES)])
            points = [QPointF(self._x(area, p.day), self._y(area, p.value)) for p in series.points]
            painter.setPen(QPen(color, 2))
            for a, b in pairwise(points):
                painter.drawLine(a, b)
            painter.setBrush(color)
            for point, value in zip(points, series.points, strict=True):
                painter.drawEllipse(point, 3.5, 3.5)
                detail = f", {value.detail}" if value.detail else ""
                self.hits.append(
                    Hit(
                        QRectF(point.x() - 4, point.y() - 4, 8, 8),
                        f"{series.name}: {value.value:g}{detail} on {value.day}",
                    )
                )
            painter.setBrush(Qt.BrushStyle.NoBrush)
            legend.append((f"{series.name} ({len(series.points)})", color))
        if not any(s.points for s in self._series):
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.tr("No values recorded"))
        self._draw_legend(painter, legend, palette)

    def _draw_bars(self, painter: QPainter, area: QRectF) -> None:
        palette = self.palette()
        bar_color = palette.color(QPalette.ColorRole.Highlight)
        short_color = self._color(TARGET_HUE)
        short_color.setAlpha(150)
        target = self._color(TARGET_HUE)
        for week in self._weeks:  # each bar within its week, clipped to the plot
            start = max(self._x(area, week.monday), area.left())
            end = min(self._x(area, week.monday + timedelta(days=7)), area.right())
            if end - start < 1:
                continue  # a week starting on the last day shown: listed in the table only
            x, width = start + (end - start) * 0.12, max((end - start) * 0.76, 2.0)
            short = week.target_hours is not None and week.hours < week.target_hours
            top = self._y(area, week.hours)
            bar = QRectF(x, top, width, area.bottom() - top)
            painter.fillRect(bar, short_color if short else bar_color)
            if week.target_hours is not None:
                y = self._y(area, week.target_hours)
                painter.setPen(QPen(target, 2))
                painter.drawLine(QPointF(x - 2, y), QPointF(x + width + 2, y))
            goal = f" of {week.target_hours:g} h target" if week.target_hours is not None else ""
            self.hits.append(
                Hit(
                    QRectF(x, area.top(), width, area.height()),
                    f"Week of {week.monday}: {week.hours:.1f} h{goal}",
                )
            )
        self._draw_legend(
            painter,
            [
                (self.tr("Hours"), bar_color),
                (self.tr("Under target"), short_color),
                (self.tr("Weekly target"), target),
            ],
            palette,
        )

    def _draw_legend(
        self, painter: QPainter, entries: Sequence[tuple[str, QColor]], palette: QPalette
    ) -> None:
        metrics = painter.fontMetrics()
        x = MARGINS[0]
        y = self.height() - 10.0
        for label, color in entries:
            painter.fillRect(QRectF(x, y - 9, 10, 10), color)
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(QPointF(x + 14, y), label)
            x += 14 + metrics.horizontalAdvance(label) + 16

    # --- hover ----------------------------------------------------------------------------

    def tooltip_at(self, point: QPointF) -> str | None:
        """The value under `point`: the nearest point or bar, else a marker."""
        near = [h for h in self.hits if h.area.adjusted(-5, -5, 5, 5).contains(point)]
        if not near:
            return None
        near.sort(key=lambda h: (h.area.height() > 20, _distance(h.area.center(), point)))
        return near[0].text

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        tip = self.tooltip_at(event.position())
        if tip is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)
        super().mouseMoveEvent(event)


def _is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightnessF() < 0.5


def _step(high: float) -> float:
    for step in (1, 2, 5, 10, 20):
        if high / step <= 6:
            return float(step)
    return high / 5


def _distance(a: QPointF, b: QPointF) -> float:
    return float(((a.x() - b.x()) ** 2 + (a.y() - b.y()) ** 2) ** 0.5)
