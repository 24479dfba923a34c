"""The participant progress note for one block."""

from __future__ import annotations

from reportlab.platypus import Flowable

from facilitator.documents.common import BlockContext, ParticipantHeading
from facilitator.documents.participant import ParticipantNoteDocument
from reports.layout import (
    BODY,
    HEADING,
    SMALL,
    TITLE,
    RenderedPdf,
    build_pdf,
    grid,
    labelled,
    note_story,
    text,
)


def build(document: ParticipantNoteDocument) -> RenderedPdf:
    block = document.block
    heading = document.participant
    title = "Participant progress note" + (" (DRAFT)" if document.note.draft else "")
    story: list[Flowable] = [
        text(title, TITLE),
        *participant_lines(heading),
        text(f"{block.day:%A %d %B %Y} · {block.modality}", HEADING),
        *block_lines(block),
        text("Note", HEADING),
        *note_story(document.note),
    ]
    return build_pdf(
        story,
        document.provenance,
        subject=f"{heading.name} · {heading.chart_number}",
        signed=document.signed_items(),
    )


def participant_lines(heading: ParticipantHeading) -> list[Flowable]:
    details = [f"Chart {heading.chart_number}", f"Born {heading.date_of_birth:%Y-%m-%d}"]
    if heading.preferred_name:
        details.append(f"Preferred name {heading.preferred_name}")
    if heading.pronouns:
        details.append(heading.pronouns)
    return [labelled("Participant", heading.name), text(" · ".join(details), BODY)]


def block_lines(block: BlockContext) -> list[Flowable]:
    """The block as the participant's documents show it: other members by initials only."""
    others = ", ".join(block.co_participants) or "none"
    rows = [
        ["Group", f"{block.group}" + (f", {block.room}" if block.room else "")],
        ["Time", f"{block.start:%H:%M}–{block.end:%H:%M}"],
        ["Topic", block.topic or "(none recorded)"],
        ["Facilitators", block.facilitators or "(none recorded)"],
        ["Attendance", f"{block.attendance}; {block.minutes} minutes attended"],
        ["Interventions", block.interventions or "(none recorded)"],
        [
            "Group members present",
            f"{len(block.co_participants)} others (initials only): {others}",
        ],
    ]
    story: list[Flowable] = [grid(rows, [1.5 * 72, 5.8 * 72], header_rows=0, zebra=False)]
    if block.group_note.strip():
        story += [labelled("Group note", "", SMALL), text(block.group_note, SMALL)]
    return story
