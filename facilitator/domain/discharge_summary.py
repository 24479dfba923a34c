"""The discharge summary as plain data, and its canonical content: what its signature covers.

The content holds the data the summary's charts plot (under "charts"), so a signed summary
prints the charts it was signed with. Summaries signed before that have no "charts": they load
with `charts` None and their content round-trips unchanged, so their hash still matches.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from facilitator.domain.discharge import TransitionPlan
from facilitator.domain.trends import TrendMarker, TrendPoint, Trends, TrendSeries, WeekBar


@dataclass(frozen=True)
class MeasureTrend:
    """A measure over the enrollment: the first and the last score, and how many were given."""

    measure: str
    count: int
    first_day: date
    first_total: int
    first_band: str
    last_day: date
    last_total: int
    last_band: str
    high: int  # the highest possible total

    @property
    def change(self) -> int:
        return self.last_total - self.first_total


@dataclass(frozen=True)
class TopicDone:
    modality: str
    title: str
    first_day: date


@dataclass(frozen=True)
class GoalOutcome:
    text: str
    status: str


@dataclass(frozen=True)
class Attendance:
    days_attended: int
    blocks_attended: int
    blocks_missed: int
    minutes: int
    weeks: int
    weeks_met_target: int
    weekly_target_minutes: int


@dataclass(frozen=True)
class DischargeSummary:
    discharge_id: str
    participant_name: str
    chart_number: str
    date_of_birth: date
    program: str
    group: str
    level_of_care: str
    admitted: date
    discharged: date
    reason: str  # the reason's label
    attendance: Attendance
    topics: tuple[TopicDone, ...]
    goals: tuple[GoalOutcome, ...]
    measures: tuple[MeasureTrend, ...]
    plan: TransitionPlan
    charts: Trends | None = None  # what the charts plot; None if signed before it was kept

    def content(self) -> dict[str, Any]:
        """Canonical content: plain JSON values, dates as ISO text; hashed when signed."""
        charts = {} if self.charts is None else {"charts": _charts_content(self.charts)}
        return {
            "discharge_id": self.discharge_id,
            "participant_name": self.participant_name,
            "chart_number": self.chart_number,
            "date_of_birth": self.date_of_birth.isoformat(),
            "program": self.program,
            "group": self.group,
            "level_of_care": self.level_of_care,
            "admitted": self.admitted.isoformat(),
            "discharged": self.discharged.isoformat(),
            "reason": self.reason,
            "attendance": vars(self.attendance).copy(),
            "topics": [
                {"modality": t.modality, "title": t.title, "first_day": t.first_day.isoformat()}
                for t in self.topics
            ],
            "goals": [{"text": g.text, "status": g.status} for g in self.goals],
            "measures": [
                {
                    **vars(m),
                    "first_day": m.first_day.isoformat(),
                    "last_day": m.last_day.isoformat(),
                }
                for m in self.measures
            ],
            "plan": self.plan.as_dict(),
            **charts,
        }

    @classmethod
    def from_content(cls, content: dict[str, Any]) -> DischargeSummary:
        day = date.fromisoformat
        return cls(
            discharge_id=content["discharge_id"],
            participant_name=content["participant_name"],
            chart_number=content["chart_number"],
            date_of_birth=day(content["date_of_birth"]),
            program=content["program"],
            group=content["group"],
            level_of_care=content["level_of_care"],
            admitted=day(content["admitted"]),
            discharged=day(content["discharged"]),
            reason=content["reason"],
            attendance=Attendance(**content["attendance"]),
            topics=tuple(
                TopicDone(t["modality"], t["title"], day(t["first_day"])) for t in content["topics"]
            ),
            goals=tuple(GoalOutcome(g["text"], g["status"]) for g in content["goals"]),
            measures=tuple(
                MeasureTrend(
                    **{
                        **m,
                        "first_day": day(m["first_day"]),
                        "last_day": day(m["last_day"]),
                    }
                )
                for m in content["measures"]
            ),
            plan=TransitionPlan.from_dict(content["plan"]),
            charts=_charts(content["charts"]) if "charts" in content else None,
        )


def _charts_content(charts: Trends) -> dict[str, Any]:
    def series(found: tuple[TrendSeries, ...]) -> list[dict[str, Any]]:
        return [
            {
                "name": s.name,
                "low": _number(s.low),
                "high": _number(s.high),
                "points": [
                    {"day": p.day.isoformat(), "value": _number(p.value), "detail": p.detail}
                    for p in s.points
                ],
            }
            for s in found
        ]

    return {
        "first": charts.first.isoformat(),
        "last": charts.last.isoformat(),
        "measures": series(charts.measures),
        "craving": series(charts.craving),
        "weeks": [
            {
                "monday": w.monday.isoformat(),
                "hours": _number(w.hours),
                "target_hours": None if w.target_hours is None else _number(w.target_hours),
                "status": w.status,
            }
            for w in charts.weeks
        ],
        "markers": [{"day": m.day.isoformat(), "label": m.label} for m in charts.markers],
    }


def _charts(content: dict[str, Any]) -> Trends:
    day = date.fromisoformat

    def series(found: list[dict[str, Any]]) -> tuple[TrendSeries, ...]:
        return tuple(
            TrendSeries(
                s["name"],
                tuple(TrendPoint(day(p["day"]), p["value"], p["detail"]) for p in s["points"]),
                s["low"],
                s["high"],
            )
            for s in found
        )

    return Trends(
        first=day(content["first"]),
        last=day(content["last"]),
        measures=series(content["measures"]),
        craving=series(content["craving"]),
        weeks=tuple(
            WeekBar(day(w["monday"]), w["hours"], w["target_hours"], w["status"])
            for w in content["weeks"]
        ),
        markers=tuple(TrendMarker(day(m["day"]), m["label"]) for m in content["markers"]),
    )


def _number(value: float) -> int | float:
    """Whole numbers as JSON integers (6, not 6.0), whatever their Python type, so the content
    hashes the same after a trip through the database."""
    return int(value) if float(value).is_integer() else float(value)


@dataclass(frozen=True)
class SummarySignature:
    printed_name: str
    credentials: str
    signed_at: datetime  # aware, in the signer's zone
    time_zone: str
    utc_offset: str
    meaning: str
    attestation: str
    content_hash: str
