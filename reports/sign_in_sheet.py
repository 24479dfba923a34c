"""The sign-in sheet, printed before the group: names, and blank columns to fill in the room."""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from facilitator.documents.session import SignInSheetDocument
from facilitator.visible_text import isolated
from reports.layout import (
    BODY,
    INK,
    SMALL,
    TITLE,
    RenderedPdf,
    build_pdf,
    frame_width,
    grid,
    text,
)

SIGN_HERE = ("Staff signature", "Printed name and credentials", "Date and time")


def build(document: SignInSheetDocument) -> RenderedPdf:
    story: list[Flowable] = [
        text(f"Sign-in sheet · {isolated(document.group)}", TITLE),
        text(
            f"{document.day:%A %d %B %Y}"
            + (f" · {isolated(document.room)}" if document.room else ""),
            BODY,
        ),
        text("Blocks: " + "; ".join(document.blocks), SMALL),
    ]
    rows: list[list[Flowable | str]] = [["#", "Name", "Signature", "Time in", "Time out"]]
    rows += [[str(n), name, "", "", ""] for n, name in enumerate(document.names, start=1)]
    rows += [["", "\u00a0", "", "", ""] for _ in range(document.blank_rows)]  # full height
    width = frame_width()
    story.append(
        grid(
            rows,
            [w * width for w in (0.05, 0.33, 0.36, 0.13, 0.13)],
            zebra=False,
            extra=[
                ("TOPPADDING", (0, 1), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
                ("GRID", (0, 0), (-1, -1), 0.4, "#9e9e9e"),
            ],
        )
    )
    story.append(
        text(
            "Please sign and write the time you arrive and leave. Rows at the end are for "
            "anyone whose name is not listed.",
            SMALL,
        )
    )
    story.append(_attestation(document.attestation, width))
    return build_pdf(
        story, document.provenance, subject=f"{isolated(document.group)} · {document.day:%Y-%m-%d}"
    )


def _attestation(statement: str, width: float) -> Flowable:
    """The staff member's statement, and lines to sign, print their name and date it."""
    gap = width * 0.04
    lines = Table(
        [
            ["", "", "", "", ""],
            [
                text(SIGN_HERE[0], SMALL),
                "",
                text(SIGN_HERE[1], SMALL),
                "",
                text(SIGN_HERE[2], SMALL),
            ],
        ],
        colWidths=[width * 0.4, gap, width * 0.32, gap, width * 0.2],
        rowHeights=[24, None],
        hAlign="LEFT",
    )
    lines.setStyle(
        TableStyle(
            [
                *(("LINEBELOW", (column, 0), (column, 0), 0.8, INK) for column in (0, 2, 4)),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 1), (-1, 1), 2),
            ]
        )
    )
    return KeepTogether([Spacer(1, 8), text(statement, BODY), lines])
