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
    RenderedPdf,
    build_pdf,
    labelled,
    note_story,
    text,
)
from reports.text_block import TextBlock, lines_of


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
        subject=f"{isolated(heading.name)} · {isolated(heading.chart_number)}",
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
    """Where, when, who led it, how the participant attended, who else was there (initials
    only: see facilitator.documents.privacy)."""
    where = isolated(block.group) + (f", {isolated(block.room)}" if block.room else "")
    others = ", ".join(block.co_participants) or "none"
    facilitators = block.facilitators or "(none recorded)"
    lines = lines_of(
        ("Group:", True),
        (f" {where} · ", False),
        ("Time:", True),
        (f" {block.start:%H:%M}–{block.end:%H:%M} · ", False),
        ("Facilitators:", True),
        (f" {isolated(facilitators)}\n", False),
        ("Topic:", True),
        (f" {isolated(block.topic or '(none recorded)')}\n", False),
        ("Attendance:", True),
        (f" {block.attendance}, {block.minutes} minutes · ", False),
        ("Other members present (initials only):", True),
        (f" {len(block.co_participants)}: {others}", False),
    )
    return [TextBlock(lines, BODY)]
