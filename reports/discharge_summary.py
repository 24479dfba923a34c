"""The discharge summary: dates, attendance, topics completed, goals, measure trends with first
and last scores, the transition plan, and the signature (or a DRAFT mark)."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from facilitator.documents.discharge_summary import DischargeSummaryDocument
from facilitator.domain.discharge import goal_label
from facilitator.domain.discharge_summary import DischargeSummary
from facilitator.visible_text import isolated
from reports.layout import (
    BODY,
    DRAFT,
    HEADING,
    SMALL,
    TITLE,
    RenderedPdf,
    build_pdf,
    frame_width,
    grid,
    labelled,
    signature_block,
    text,
)
from reports.trend_charts import craving_chart, hours_chart, measures_chart

CHART_HEIGHT = 150.0
SECTION_ROOM = 72.0  # points left below a heading for its first lines, else a new page
PLAN_LABELS = (
    ("next_level_of_care", "Next level of care"),
    ("referrals", "Referrals"),
    ("support_groups", "Support groups"),
    ("follow_up", "Follow-up appointment"),
    ("relapse_prevention", "Relapse-prevention plan highlights"),
)


def build(document: DischargeSummaryDocument) -> RenderedPdf:
    summary = document.summary
    story: list[Flowable] = [text("Discharge summary", TITLE)]
    if document.draft:
        story.append(text("DRAFT: not signed. Not part of the legal record until signed.", DRAFT))
    story += _heading(summary)
    story += _attendance(summary)
    story += _measures(document)
    story += _topics(summary)
    story += _section("Treatment plan goals")
    if summary.goals:
        width = frame_width()
        rows: list[list[Flowable | str]] = [["Goal", "Status"]]
        rows += [[g.text, goal_label(g.status)] for g in summary.goals]
        story.append(grid(rows, [0.8 * width, 0.2 * width]))
    else:
        story.append(text("No treatment plan goals recorded."))
    story += _section("Transition plan")
    plan = summary.plan.as_dict()
    story += [labelled(label, plan[key] or "None recorded") for key, label in PLAN_LABELS]
    lines = document.signature_lines()
    if lines:
        story.append(signature_block(*lines, signed="Discharge summary"))
        story += [text(s.attestation, SMALL) for s in document.signatures]
    if document.awaiting_cosign:
        story.append(text("Awaiting co-signature by the author's supervisor.", SMALL))
    return build_pdf(
        story,
        document.provenance,
        subject=f"{isolated(summary.participant_name)} · Chart {isolated(summary.chart_number)}",
        signed=document.signed_items(),
    )


def _section(title: str) -> list[Flowable]:
    """A section's heading, on a new page when too little room is left for what follows it."""
    return [CondPageBreak(SECTION_ROOM), text(title, HEADING)]


def _heading(summary: DischargeSummary) -> list[Flowable]:
    return [
        labelled(
            "Participant",
            f"{isolated(summary.participant_name)} · Chart {isolated(summary.chart_number)}",
        ),
        labelled("Date of birth", summary.date_of_birth.isoformat()),
        labelled("Program", f"{summary.program}, {summary.group} ({summary.level_of_care})"),
        labelled(
            "Dates",
            f"Admitted {summary.admitted:%Y-%m-%d}, discharged {summary.discharged:%Y-%m-%d} "
            f"({(summary.discharged - summary.admitted).days + 1} days)",
        ),
        labelled("Reason for discharge", summary.reason),
    ]


def _attendance(summary: DischargeSummary) -> list[Flowable]:
    a = summary.attendance
    hours = a.minutes / 60
    target = a.weekly_target_minutes / 60
    width = frame_width()
    rows: list[list[Flowable | str]] = [
        ["Days attended", "Blocks attended", "Blocks missed", "Hours attended", "Weeks at target"],
        [
            str(a.days_attended),
            str(a.blocks_attended),
            str(a.blocks_missed),
            f"{hours:.1f}",
            f"{a.weeks_met_target} of {a.weeks} (target {target:g} h a week)",
        ],
    ]
    return [*_section("Attendance"), grid(rows, [width / 5] * 5, zebra=False)]


def _measures(document: DischargeSummaryDocument) -> list[Flowable]:
    summary = document.summary
    story = _section("Outcome measures")
    if not summary.measures:
        story.append(text("No outcome measures were recorded during the enrollment."))
    else:
        width = frame_width()
        rows: list[list[Flowable | str]] = [
            ["Measure", "Given", "First score", "Last score", "Change"]
        ]
        for m in summary.measures:
            rows.append(
                [
                    m.measure,
                    str(m.count),
                    f"{m.first_total} of {m.high}, {m.first_band} ({m.first_day:%Y-%m-%d})",
                    f"{m.last_total} of {m.high}, {m.last_band} ({m.last_day:%Y-%m-%d})",
                    f"{m.change:+d}",
                ]
            )
        story.append(grid(rows, [w * width for w in (0.17, 0.08, 0.32, 0.32, 0.11)]))
    width = frame_width()
    for index, chart in enumerate((measures_chart, craving_chart, hours_chart)):
        above = _charts_caption(document) if index == 0 else []
        drawing = chart(document.trends, width, CHART_HEIGHT)
        story.append(KeepTogether([*above, Spacer(1, 6), drawing]))
    story.append(
        text(
            "Dashed lines mark admission, discharge and milestones; the red line over each "
            "week is the program's weekly target, and weeks under it are shaded red.",
            SMALL,
        )
    )
    return story


def _charts_caption(document: DischargeSummaryDocument) -> list[Flowable]:
    """Said above the charts of a summary signed before it kept its charts' data."""
    if document.charts_as_of is None:
        return []
    scores = " The scores in the table above are as signed." if document.summary.measures else ""
    return [
        Spacer(1, 6),
        text(
            f"The charts below are drawn from the records as they stood on "
            f"{document.charts_as_of:%Y-%m-%d}, not as signed: this summary was signed before "
            "summaries kept their charts' data, so a result corrected or marked entered in "
            f"error, or attendance changed, since signing shows as it stands now.{scores}",
            BODY,
        ),
    ]


def _topics(summary: DischargeSummary) -> list[Flowable]:
    story = _section(f"Curriculum topics completed ({len(summary.topics)})")
    if not summary.topics:
        return [*story, text("No curriculum topics were attended.", BODY)]
    width = frame_width()
    rows: list[list[Flowable | str]] = [["First attended", "Modality", "Topic"]]
    rows += [[f"{t.first_day:%Y-%m-%d}", t.modality, t.title] for t in summary.topics]
    story.append(grid(rows, [0.16 * width, 0.3 * width, 0.54 * width]))
    return story
