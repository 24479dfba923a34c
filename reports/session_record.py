"""The session record: the group's day for the program's own file (full names)."""

from __future__ import annotations

from datetime import time

from reportlab.platypus import CondPageBreak, Flowable, Spacer

from facilitator.documents.session import AttendanceLine, SessionBlock, SessionRecordDocument
from facilitator.domain.attendance import over_capacity
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
    labelled,
    text,
    when,
)

WIDE = True  # landscape: the attendance table has many columns


def build(document: SessionRecordDocument) -> RenderedPdf:
    story: list[Flowable] = [
        text(f"Session record · {isolated(document.group)}", TITLE),
        text(
            f"{document.day:%A %d %B %Y}"
            + (f" · {isolated(document.room)}" if document.room else "")
            + f" · {len(document.blocks)} blocks · note template {document.template}",
            BODY,
        ),
    ]
    for block in document.blocks:
        story += [CondPageBreak(1.6 * 72), *_block(block, document.capacity)]
    story.append(text("Day totals", HEADING))
    minimum = document.daily_minimum_minutes
    rows: list[list[Flowable | str]] = [["Participant", "Chart", "Minutes", f"Under {minimum} min"]]
    rows += [
        [t.name, t.chart_number, str(t.minutes), "Yes" if t.under_minimum else ""]
        for t in document.day_totals
    ]
    width = frame_width(WIDE)
    story.append(grid(rows, [w * width for w in (0.35, 0.2, 0.15, 0.15)]))
    story += _facilitators(document)
    return build_pdf(
        story,
        document.provenance,
        subject=f"{isolated(document.group)} · {document.day:%Y-%m-%d}",
        signed=document.signed_items(),
        wide=WIDE,
    )


def _block(block: SessionBlock, capacity: int | None) -> list[Flowable]:
    planned = f"{block.planned_start:%H:%M}–{block.planned_end:%H:%M}"
    actual = _span(block.actual_start, block.actual_end)
    story: list[Flowable] = [
        text(
            f"Block {block.sequence} · {planned} · {block.modality}"
            + (f" · {block.other_room}" if block.other_room else ""),
            HEADING,
        ),
        labelled("Topic", block.topic or "(none recorded)"),
        labelled("Times", f"planned {planned}, actual {actual}"),
        labelled("Facilitators", block.facilitators or "(none recorded)"),
        labelled("Interventions", block.interventions or "(none recorded)"),
        labelled("Group note", block.group_note or "(not written)"),
        Spacer(1, 4),
    ]
    width = frame_width(WIDE)
    rows: list[list[Flowable | str]] = [
        ["Participant", "Chart", "Attendance", "In", "Out", "Min", "Note", "Signatures"]
    ]
    rows += [_attendance_row(line) for line in block.attendance]
    story.append(grid(rows, [w * width for w in (0.16, 0.1, 0.14, 0.05, 0.05, 0.04, 0.14, 0.32)]))
    minutes = sum(line.minutes for line in block.attendance)
    present = f"Present: {block.present} in total, of {len(block.attendance)} on the roster"
    if over_capacity(block.present, capacity):
        present += f" (over the group's capacity of {capacity})"
    story.append(text(f"{present}; {minutes} minutes", SMALL))
    return story


def _attendance_row(line: AttendanceLine) -> list[str]:
    signatures = "\n".join(
        f"{s.meaning}: {s.printed_name}, {when(s.signed_at)}; SHA-256 {s.content_hash[:16]}…"
        for s in line.signatures
    )
    return [
        line.name,
        line.chart_number,
        line.attendance,
        f"{line.arrived:%H:%M}" if line.arrived else "",
        f"{line.left:%H:%M}" if line.left else "",
        str(line.minutes),
        line.note,
        signatures,
    ]


def _span(start: time | None, end: time | None) -> str:
    if start is None:
        return "not started"
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}–(not ended)"


def _facilitators(document: SessionRecordDocument) -> list[Flowable]:
    story: list[Flowable] = [text("Facilitators", HEADING)]
    rows: list[list[Flowable | str]] = [
        ["Facilitator", "Credentials", "Blocks", "Notes signed", "Signature", "Date and time"]
    ]
    rows += [
        [f.name, f.credentials, f.blocks, str(f.notes_signed), "", ""]
        for f in document.facilitators
    ]
    width = frame_width(WIDE)
    story.append(
        grid(
            rows,
            [w * width for w in (0.2, 0.14, 0.08, 0.1, 0.3, 0.18)],
            zebra=False,
            extra=[("BOTTOMPADDING", (0, 1), (-1, -1), 16)],
        )
    )
    story.append(
        text(
            "Each note's electronic signatures, then those of its addenda, are listed above "
            "(hashes shortened; the PDF's manifest holds them in full); the facilitators sign "
            "this record by hand for the program's file.",
            SMALL,
        )
    )
    return story
