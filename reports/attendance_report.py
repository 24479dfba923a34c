"""The attendance report: hours per participant per ISO week against the program's target,
and the days under the daily minimum."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable

from facilitator.documents.attendance_report import AttendanceReportDocument
from facilitator.services.participant_record import WeekHours
from facilitator.visible_text import isolated
from reports.layout import (
    BODY,
    HEADING,
    SMALL,
    TITLE,
    RenderedPdf,
    build_pdf,
    frame_width,
    grid,
    text,
)

WIDE = True
WEEKS_PER_TABLE = 8


def build(document: AttendanceReportDocument) -> RenderedPdf:
    story: list[Flowable] = [
        text(f"Attendance report · {document.scope}", TITLE),
        text(f"{document.first:%Y-%m-%d} to {document.last:%Y-%m-%d}", BODY),
        text("Targets: " + "; ".join(document.targets), BODY),
        text(
            "Hours attended (h:mm) per ISO week, Monday to Sunday, headed by the Monday's date. "
            "✗ enrolled with nothing attended (0:00), ▼ below the weekly target, "
            "(p) partial week (admitted or discharged mid-week, or cut by the period), "
            "… week in progress, · not enrolled that week.",
            SMALL,
        ),
    ]
    mondays = list(document.mondays)
    for start in range(0, len(mondays), WEEKS_PER_TABLE):
        story += _weeks_table(document, start, min(start + WEEKS_PER_TABLE, len(mondays)))
    story += [CondPageBreak(1.5 * 72), text("Days under the daily minimum", HEADING)]
    rows: list[list[Flowable | str]] = [["Participant", "Chart", "Days", "Dates (minutes)"]]
    for row in document.rows:
        short = row.short_days
        rows.append(
            [
                row.name,
                row.chart_number,
                f"{len(short)} of {len(row.days)}",
                ", ".join(f"{d.day:%m-%d} ({d.minutes})" for d in short) or "none",
            ]
        )
    width = frame_width(WIDE)
    story.append(grid(rows, [w * width for w in (0.2, 0.14, 0.08, 0.58)]))
    if not document.rows:
        story.append(text("Nobody was enrolled in this period."))
    return build_pdf(
        story,
        document.provenance,
        subject=f"{isolated(document.scope)} · {document.first:%Y-%m-%d} to "
        f"{document.last:%Y-%m-%d}",
        wide=WIDE,
    )


def _weeks_table(document: AttendanceReportDocument, start: int, end: int) -> list[Flowable]:
    mondays = document.mondays[start:end]
    header: list[Flowable | str] = ["Participant", "Chart"]
    header += [f"{m:%m-%d}" for m in mondays]
    header += ["Total", "Weeks below", "Weeks at 0:00"]
    rows: list[list[Flowable | str]] = [header]
    for row in document.rows:
        weeks = row.weeks[start:end]
        rows.append(
            [
                row.name,
                row.chart_number,
                *(_cell(w) for w in weeks),
                _hours(sum(w.minutes for w in weeks if w)),
                str(sum(1 for w in weeks if w and w.below_target)),
                str(sum(1 for w in weeks if w and w.no_attendance)),
            ]
        )
    width = frame_width(WIDE)
    fixed = 0.18 + 0.12 + 0.07 + 0.07 + 0.07
    each = (1 - fixed) / max(len(mondays), 1)
    widths = [0.18, 0.12, *([each] * len(mondays)), 0.07, 0.07, 0.07]
    title = f"Weeks of {mondays[0]:%Y-%m-%d} to {mondays[-1]:%Y-%m-%d}" if mondays else "Weeks"
    return [CondPageBreak(1.5 * 72), text(title, HEADING), grid(rows, [w * width for w in widths])]


def _cell(week: WeekHours | None) -> str:
    """h:mm with its marks: ✗ nothing attended, ▼ below target, (p) partial, … in progress."""
    if week is None:
        return "·"
    marks = " ✗" if week.no_attendance else " ▼" if week.below_target else ""
    if week.in_progress:
        marks += " …"
    elif week.partial:
        marks += " (p)"
    return _hours(week.minutes) + marks


def _hours(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"
