"""A note as the record holds it, for a read-only text view: content first, then signatures,
review steps and addenda in the order they were made."""

from __future__ import annotations

from html import escape

from facilitator.services.signing_review import NoteRecord, SignatureLine
from facilitator.visible_text import isolated_if_needed


def note_record_html(record: NoteRecord) -> str:
    context = record.context
    facts = "<br>".join(
        f"<b>{escape(label)}:</b> {escape(value)}" for label, value in context.facts()
    )
    parts = [
        f"<h3>{escape(isolated_if_needed(record.participant))} · "
        f"{escape(isolated_if_needed(record.chart_number))}</h3>",
        f"<p>{facts}<br>{escape(record.template)} · <b>{escape(record.status.label)}</b></p>",
    ]
    parts += [
        f"<p style='color: #b71c1c;'><b>{escape(warning)}</b></p>"
        for warning in (context.late_entry, context.coverage)
        if warning
    ]
    for label, text in record.fields:
        body = escape(text).replace("\n", "<br>") if text.strip() else "<i>(empty)</i>"
        parts.append(f"<p><b>{escape(label)}:</b> {body}</p>")
    observed = [
        f"{name}: {escape(value)}"
        for name, value in (
            ("Mood", record.mood),
            ("Affect", record.affect),
            ("Participation", record.participation),
        )
        if value
    ]
    if observed:
        parts.append(f"<p>{' · '.join(observed)}</p>")
    for goal, progress in record.goals:
        parts.append(f"<p>Goal addressed: {escape(goal)} ({escape(progress)})</p>")
    if record.risk:
        parts.append(f"<p><b>Risk:</b> {escape(', '.join(record.risk))}</p>")
    for signature in record.signatures:
        parts.append(_signature_html(signature))
    for step in record.reviews:
        verb = "Returned by" if step.action == "returned" else "Resubmitted by"
        comment = f": “{escape(step.comment)}”" if step.comment else ""
        parts.append(
            f"<p><i>{verb} {escape(step.by)}, {step.at:%Y-%m-%d %H:%M} UTC{comment}</i></p>"
        )
    for number, addendum in enumerate(record.addenda, start=1):
        parts.append(
            f"<h4>Addendum {number}</h4><p>{escape(addendum.text).replace(chr(10), '<br>')}</p>"
        )
        parts.append(_signature_html(addendum.signature))
    return "\n".join(parts)


def _signature_html(line: SignatureLine) -> str:
    name = f"{line.printed_name}, {line.credentials}" if line.credentials else line.printed_name
    return (
        "<p style='border-left: 3px solid #2e7d32; padding-left: 6px;'>"
        f"<b>Signed: {escape(name)}</b> · {escape(line.meaning)}<br>"
        + (f"{escape(line.identifiers)}<br>" if line.identifiers else "")
        + f"{escape(line.when)}<br>"
        f"<small>{escape(line.attestation)}<br>SHA-256 {escape(line.content_hash)}</small></p>"
    )
