"""The participant chart: one participant's blocks and notes over a date range."""

from __future__ import annotations

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from facilitator.documents.participant import ParticipantChartDocument
from reports.layout import (
    HEADING,
    SMALL,
    TITLE,
    RenderedPdf,
    build_pdf,
    frame_width,
    grid,
    note_story,
    participant_subject,
    text,
)
from reports.participant_note import block_lines, participant_lines
from reports.trend_charts import TREND_CHARTS


def build(document: ParticipantChartDocument) -> RenderedPdf:
    heading = document.participant
    which = "signed and unsigned notes" if document.include_unsigned else "signed notes only"
    story: list[Flowable] = [
        text("Participant chart", TITLE),
        *participant_lines(heading),
        text(f"Period {document.first:%Y-%m-%d} to {document.last:%Y-%m-%d} · {which}", SMALL),
    ]
    if document.unsigned_left_out:
        story.append(
            text(
                f"{document.unsigned_left_out} unsigned draft note(s) in this period are not "
                "included: a chart holds signed notes only.",
                SMALL,
            )
        )
    story.append(text("Enrollment", HEADING))
    story += [text(line) for line in document.enrollments or ("Not enrolled in a group",)]
    story.append(text("Treatment plan goals", HEADING))
    story += [text(f"{n}. {goal}") for n, goal in enumerate(document.goals, start=1)]
    story.append(text("Attendance", HEADING))
    width = frame_width()
    rows: list[list[Flowable | str]] = [["Date", "Time", "Block", "Attendance", "Min", "Note"]]
    for entry in document.entries:
        block = entry.block
        note = entry.note
        rows.append(
            [
                f"{block.day:%Y-%m-%d}",
                f"{block.start:%H:%M}–{block.end:%H:%M}",
                f"{block.modality}: {block.topic}" if block.topic else block.modality,
                block.attendance,
                str(block.minutes),
                note.status.label if note else "—",
            ]
        )
    widths = [w * width for w in (0.11, 0.125, 0.335, 0.2, 0.05, 0.18)]
    story.append(grid(rows, widths, plain_columns=(0, 1, 4)))
    story.append(
        text(f"Total attended: {sum(e.block.minutes for e in document.entries)} minutes", SMALL)
    )
    if document.trends is not None:  # a heading never ends a page: kept with what follows
        first, *rest = [chart(document.trends, width, 150) for chart in TREND_CHARTS]
        story += [KeepTogether([text("Progress", HEADING), first]), *rest]
    notes_title: list[Flowable] = [text("Notes", HEADING)]  # with the first note
    if not document.notes:
        story += [*notes_title, text("No notes in this period.")]
    for entry in document.entries:
        if entry.note is None:
            continue
        block = entry.block
        story += [
            CondPageBreak(2.2 * 72),
            *notes_title,
            text(f"{block.day:%A %d %B %Y} · {block.start:%H:%M} · {block.modality}", HEADING),
            *block_lines(block),
            *note_story(entry.note),
        ]
        notes_title = []
    return build_pdf(
        story,
        document.provenance,
        subject=participant_subject(heading.name, heading.preferred_name, heading.chart_number),
        signed=document.signed_items(),
    )
