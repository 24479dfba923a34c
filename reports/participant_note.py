"""The participant progress note for one block."""

from __future__ import annotations

from reportlab.platypus import Flowable

from facilitator.documents.common import BlockContext, ParticipantHeading
from facilitator.documents.participant import ParticipantNoteDocument
from facilitator.visible_text import isolated
from reports.layout import (
    BODY,
    HEADING,
    SMALL,
    TITLE,
    WARNING,
    RenderedPdf,
    build_pdf,
    label_lines,
    labelled,
    note_story,
    participant_subject,
    text,
)
from reports.text_block import TextBlock


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
        subject=participant_subject(heading.name, heading.preferred_name, heading.chart_number),
        signed=document.signed_items(),
    )


def participant_lines(heading: ParticipantHeading) -> list[Flowable]:
    details = [
        f"Chart {isolated(heading.chart_number)}",
        f"Born {heading.date_of_birth:%Y-%m-%d}",
    ]
    if heading.preferred_name:
        details.append(f"Preferred name {isolated(heading.preferred_name)}")
    if heading.pronouns:
        details.append(isolated(heading.pronouns))
    return [labelled("Participant", heading.name), text(" · ".join(details), BODY)]


def block_lines(block: BlockContext) -> list[Flowable]:
    """The block as the note shows it: other members by initials only, and the group note."""
    story = [
        *block_summary(block),
        labelled("Interventions", block.interventions or "(none recorded)"),
    ]
    if block.group_note.strip():
        story.append(labelled("Group note", block.group_note, SMALL))
    return story


def block_summary(block: BlockContext) -> list[Flowable]:
    """The service as signed (or as recorded, for a draft): where, when, who led it, how the
    participant attended, how many were present (others by initials only: see
    facilitator.documents.privacy), the service codes and the facility; then a late entry and
    what a signature did not cover, marked."""
    lines = [line for label, value in block.facts() for line in label_lines(label, value)]
    story: list[Flowable] = [TextBlock(lines, BODY)]
    if block.late_entry:
        story.append(text(block.late_entry, WARNING))
    if block.coverage:
        story.append(text(block.coverage, WARNING))
    return story
