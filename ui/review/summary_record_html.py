"""A discharge summary as the record holds it, for the co-sign queue's read-only view: the
summary its author signed, then their signature (and the return comment of a returned one)."""

from __future__ import annotations

from html import escape

from facilitator.documents.discharge_summary import DischargeSummaryDocument
from facilitator.domain.discharge import goal_label
from facilitator.domain.discharge_summary import SummarySignature
from facilitator.services.discharge_cosign import SummaryCosignRow
from facilitator.visible_text import isolated_if_needed

PLAN_LABELS = (
    ("next_level_of_care", "Next level of care"),
    ("referrals", "Referrals"),
    ("support_groups", "Support groups"),
    ("follow_up", "Follow-up appointment"),
    ("relapse_prevention", "Relapse-prevention plan"),
)


def summary_record_html(row: SummaryCosignRow, document: DischargeSummaryDocument) -> str:
    summary = document.summary
    a = summary.attendance
    state = "Awaiting co-signature" if row.awaiting else "Returned to the author (a draft again)"
    parts = [
        f"<h3>Discharge summary · {escape(isolated_if_needed(summary.participant_name))} · "
        f"{escape(isolated_if_needed(summary.chart_number))}</h3>",
        f"<p>{escape(summary.program)}, {escape(summary.group)} "
        f"({escape(summary.level_of_care)})<br>"
        f"Admitted {summary.admitted:%Y-%m-%d}, discharged {summary.discharged:%Y-%m-%d} · "
        f"{escape(summary.reason)} · <b>{state}</b></p>",
    ]
    if not row.awaiting:
        parts.append(f"<p><i>Returned: “{escape(row.comment)}”</i></p>")
    parts.append(
        f"<p><b>Attendance:</b> {a.days_attended} days, {a.blocks_attended} blocks attended, "
        f"{a.blocks_missed} missed, {a.minutes / 60:.1f} hours; weekly target met in "
        f"{a.weeks_met_target} of {a.weeks} weeks</p>"
    )
    if summary.measures:
        items = "".join(
            f"<li>{escape(m.measure)}: {m.first_total} ({escape(m.first_band)}) on "
            f"{m.first_day:%Y-%m-%d} → {m.last_total} ({escape(m.last_band)}) on "
            f"{m.last_day:%Y-%m-%d}, {m.count} given</li>"
            for m in summary.measures
        )
        parts.append(f"<p><b>Measures:</b></p><ul>{items}</ul>")
    if summary.goals:
        items = "".join(
            f"<li>{escape(g.text)} — {escape(goal_label(g.status))}</li>" for g in summary.goals
        )
        parts.append(f"<p><b>Treatment plan goals:</b></p><ul>{items}</ul>")
    parts.append(f"<p><b>Curriculum topics completed:</b> {len(summary.topics)}</p>")
    plan = summary.plan.as_dict()
    parts += [
        f"<p><b>{label}:</b> {escape(plan[key]) or '<i>None recorded</i>'}</p>"
        for key, label in PLAN_LABELS
    ]
    parts += [_signature_html(s) for s in document.signatures]
    return "\n".join(parts)


def _signature_html(s: SummarySignature) -> str:
    name = f"{s.printed_name}, {s.credentials}" if s.credentials else s.printed_name
    return (
        "<p style='border-left: 3px solid #2e7d32; padding-left: 6px;'>"
        f"<b>Signed: {escape(name)}</b> · {escape(s.meaning)}<br>"
        f"{s.signed_at:%Y-%m-%d %H:%M} {escape(s.time_zone)} (UTC{escape(s.utc_offset)})<br>"
        f"<small>{escape(s.attestation)}<br>SHA-256 {escape(s.content_hash)}</small></p>"
    )
