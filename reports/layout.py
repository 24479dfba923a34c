"""What every document shares: styles, the page (header, footer with the 42 CFR Part 2 notice,
"Page x of y", document id and time made), the manifest in the PDF, and signature blocks."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Table,
    TableStyle,
)

from facilitator import content
from facilitator.documents.common import NoteSection, Provenance, SignatureLine
from facilitator.domain.notes import NoteStatus
from facilitator.visible_text import isolated
from reports.fonts import BOLD, REGULAR, Line, register_fonts, spans
from reports.manifest import MANIFEST_KEY, manifest_json
from reports.text_block import TextBlock, forget_widths, lines_of, wrap_lines

MARGIN = 0.6 * inch
HEADER_HEIGHT = 0.45 * inch
FOOTER_GAP = 6
CELL_PADDING = 3
NOTICE_FORM = "part2notice"
INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9e9e9e")
SHADE = colors.HexColor("#eeeeee")
DRAFT_RED = colors.HexColor("#b71c1c")


def _style(name: str, size: float, bold: bool = False, **extra: Any) -> ParagraphStyle:
    settings: dict[str, Any] = {
        "textColor": INK,
        "splitLongWords": True,
        "leading": size * 1.3,
        **extra,
    }
    return ParagraphStyle(name, fontName=BOLD if bold else REGULAR, fontSize=size, **settings)


register_fonts()
TITLE = _style("title", 15, bold=True, spaceAfter=4)
HEADING = _style("heading", 11.5, bold=True, spaceBefore=10, spaceAfter=4)
SUBHEADING = _style("subheading", 10, bold=True, spaceBefore=6, spaceAfter=2, keepWithNext=1)
BODY = _style("body", 9.5, spaceAfter=3)
SMALL = _style("small", 8, textColor=MUTED)
CELL = _style("cell", 8.5)
CELL_BOLD = _style("cell_bold", 8.5, bold=True)
NOTICE = _style("notice", 8, textColor=colors.black)  # legible when faxed or photocopied
HEADER = _style("header", 9, alignment=TA_RIGHT)
DRAFT = _style("draft", 10.5, bold=True, textColor=DRAFT_RED, spaceBefore=2, spaceAfter=4)
WARNING = _style("warning", 9.5, bold=True, spaceBefore=2, spaceAfter=4)
NOTE = _style("note", 9.5, leading=9.5 * 1.45, spaceAfter=3)
SIGNATURE = _style(
    "signature",
    8.5,
    borderWidth=0.8,
    borderColor=INK,
    borderPadding=(3, 5, 4, 5),
    spaceBefore=9,
    spaceAfter=7,
    leftIndent=5,
    rightIndent=5,
)


def text(value: str, style: ParagraphStyle = BODY) -> TextBlock:
    """A block of plain text: nothing in it is read as markup, and no character is lost."""
    return TextBlock(spans(value, bold=style.fontName == BOLD), style)


def labelled(label: str, value: str, style: ParagraphStyle = BODY) -> TextBlock:
    """'Label: value', the label in bold."""
    return TextBlock(label_lines(label, value), style)


def label_lines(label: str, value: str) -> list[Line]:
    """The lines of 'Label: value', the label in bold, for a TextBlock."""
    return lines_of((f"{label}:", True), (" ", False), (isolated(value), False))


def when(moment: datetime) -> str:
    """'2026-11-20 10:35 EST (UTC-05:00)': date, time and time zone."""
    offset = moment.strftime("%z")
    zone = moment.tzname() or ""
    return f"{moment:%Y-%m-%d %H:%M} {zone} (UTC{offset[:3]}:{offset[3:]})".replace("  ", " ")


def grid(
    rows: Sequence[Sequence[Flowable | str]],
    widths: Sequence[float],
    header_rows: int = 1,
    zebra: bool = True,
    extra: Sequence[tuple[Any, ...]] = (),
    plain_columns: Collection[int] = (),
) -> Table:
    """A table whose first row(s), in bold, repeat on each page. Cells given as str are wrapped
    to their column (line breaks kept), except in `plain_columns`: short ASCII values (dates,
    times, counts) drawn as they are."""
    cells = [
        [
            c
            if not isinstance(c, str) or (r >= header_rows and i in plain_columns)
            else _cell(c, widths[i] - 2 * CELL_PADDING, bold=r < header_rows)
            for i, c in enumerate(row)
        ]
        for r, row in enumerate(rows)
    ]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), REGULAR, CELL.fontSize, CELL.leading),
        ("FONT", (0, 0), (-1, header_rows - 1), BOLD, CELL.fontSize, CELL.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if zebra:
        commands += [
            ("BACKGROUND", (0, r), (-1, r), SHADE) for r in range(header_rows + 1, len(cells), 2)
        ]
    table = Table(cells, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle([*commands, *extra]))
    return table


def _cell(value: str, width: float, bold: bool) -> str | TextBlock:
    """A table cell: text all in the table's font, wrapped here and drawn by the table as lines
    (the quickest), or a TextBlock when it needs a fallback font."""
    lines = spans(value, bold)
    face = BOLD if bold else REGULAR
    if any(chunk_face != face for line in lines for _, chunk_face in line):
        return TextBlock(lines, CELL_BOLD if bold else CELL)
    rows = wrap_lines(lines, width, CELL.fontSize)
    return "\n".join("".join(chunk for chunk, _ in row) for _, row in rows)


COSIGNATURE_PENDING = {  # where the note stood when the document was made
    NoteStatus.AWAITING_COSIGN: "awaiting the supervisor's review (this author's notes need a "
    "co-signature).",
    NoteStatus.RETURNED: "not given; the supervisor returned the note to its author for changes.",
}


def signature_block(*signatures: SignatureLine, signed: str = "Note") -> TextBlock:
    """The visible signatures of one note (author, then co-signer) or addendum, boxed and kept
    whole on one page: printed name, credentials, date and time with zone, meaning, the id of
    what was signed and the SHA-256 of its content."""
    lines: list[Line] = []
    for line in signatures:
        name = f"{line.printed_name}, {line.credentials}" if line.credentials else line.printed_name
        if lines:
            lines.append([])
        lines += [
            *label_lines("Electronically signed by", name),
            *([*label_lines("NPI / license", ids)] if (ids := _identifiers(line)) else []),
            *label_lines(
                "Signed", f"{when(line.signed_at)}, {line.time_zone} · Meaning: {line.meaning}"
            ),
            *label_lines(f"{signed} id", str(line.item_id)),
            *label_lines("Content hash (SHA-256)", line.content_hash),
        ]
    return TextBlock(lines, SIGNATURE, whole=True)


def _identifiers(line: SignatureLine) -> str:
    """'NPI 1234567890 · License LC-123' as signed, or '' when none was recorded."""
    parts = [f"NPI {line.npi}"] if line.npi else []
    parts += [f"License {line.license_number}"] if line.license_number else []
    return " · ".join(parts)


def note_story(note: NoteSection) -> list[Flowable]:
    """A participant note: DRAFT mark or content, signatures, then each addendum after it."""
    story: list[Flowable] = []
    if note.draft:
        story.append(
            text(
                f"DRAFT: {note.status.label.lower()}, not signed. Not part of the legal record "
                "until signed.",
                DRAFT,
            )
        )
    parts = [("Template", note.template)]
    parts += [(f.label, f.text) for f in note.fields]
    if note.observations:
        seen = " · ".join(f"{f.label} {f.text.lower()}" for f in note.observations)
        parts.append(("Observed", seen))
    parts += [("Goal addressed", f"{g.label}: {g.text}") for g in note.goals]
    parts.append(("Risk screening", " · ".join(note.risk)))
    story.append(TextBlock([line for part in parts[:-1] for line in label_lines(*part)], NOTE))
    last = TextBlock(label_lines(*parts[-1]), NOTE)  # a signature never starts a page alone
    story.append(
        KeepTogether([last, signature_block(*note.signatures)]) if note.signatures else last
    )
    if note.status in COSIGNATURE_PENDING:
        story.append(labelled("Co-signature", COSIGNATURE_PENDING[note.status]))
    for number, addendum in enumerate(note.addenda, start=1):
        heading = text(f"Addendum {number}, written {when(addendum.written_at)}", SUBHEADING)
        signed = (
            text("DRAFT: this addendum is not signed.", DRAFT)
            if addendum.signature is None
            else signature_block(addendum.signature, signed="Addendum")
        )
        story.append(KeepTogether([heading, text(addendum.text), signed]))
    return story


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int


class _ManifestInfo(pdfdoc.PDFInfo):  # type: ignore[misc]
    """The PDF's document information, with the manifest under its own key."""

    manifest = ""

    def format(self, document: Any) -> bytes:
        entries = {
            "Title": pdfdoc.PDFString(self.title),
            "Author": pdfdoc.PDFString(self.author),
            "Subject": pdfdoc.PDFString(self.subject),
            "Creator": pdfdoc.PDFString(self.creator),
            "Producer": pdfdoc.PDFString(self.producer),
            "Keywords": pdfdoc.PDFString(self.keywords),
            "Trapped": pdfdoc.PDFName(self.trapped),
            MANIFEST_KEY[1:]: pdfdoc.PDFString(self.manifest),
        }
        entries["CreationDate"] = entries["ModDate"] = pdfdoc.PDFDate(
            ts=document._timeStamp, dateFormatter=self._dateFormatter
        )
        return bytes(pdfdoc.PDFDictionary(entries).format(document))


def _canvas_class(
    footer: Callable[[Canvas, int, int], None], manifest: str, counted: list[int]
) -> type[Canvas]:
    """A canvas that draws each page's footer once the page count is known (put in
    `counted`)."""

    class FooterCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **{**kwargs, "initialFontName": REGULAR})
            info = _ManifestInfo()
            info.manifest = manifest
            self._doc.info = info
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            counted.append(total)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer(self, number, total)
                super().showPage()
            super().save()

    return FooterCanvas


def build_pdf(
    story: list[Flowable],
    provenance: Provenance,
    subject: str,
    signed: Sequence[Any] = (),
    wide: bool = False,
) -> RenderedPdf:
    """Lay `story` out on Letter pages (landscape when `wide`) with the shared header and
    footer, and the manifest naming `signed` items; `subject` is printed in every header."""
    page = landscape(LETTER) if wide else LETTER
    width, height = page
    notice = text(content.part2_notice(), NOTICE)
    _, notice_height = notice.wrap(width - 2 * MARGIN, height)
    footer_height = notice_height + 16
    title = provenance.kind.heading
    made = when(provenance.made_at)
    right = text(f"{title} · {subject}", HEADER)  # the subject's fields come isolated
    _, right_height = right.wrap(width * 0.62, HEADER_HEIGHT)

    def header(canvas: Canvas, _doc: Any) -> None:
        canvas.saveState()
        top = height - MARGIN + 6
        canvas.setFont(BOLD, 9)
        canvas.setFillColor(INK)
        canvas.drawString(MARGIN, top, provenance.program)
        right.drawOn(canvas, width - MARGIN - width * 0.62, top - right_height + 9)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, top - 6, width - MARGIN, top - 6)
        canvas.restoreState()

    def footer(canvas: Canvas, number: int, total: int) -> None:
        if number == 1:  # drawn once as a form, placed on every page: far less work and bytes
            canvas.beginForm(NOTICE_FORM)
            canvas.setStrokeColor(RULE)
            canvas.line(MARGIN, MARGIN + footer_height, width - MARGIN, MARGIN + footer_height)
            notice.drawOn(canvas, MARGIN, MARGIN + 12)
            canvas.endForm()
        canvas.saveState()
        canvas.doForm(NOTICE_FORM)
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN, f"Document {provenance.document_id} · Made {made}")
        canvas.setFillColor(INK)
        canvas.setFont(BOLD, 8)
        canvas.drawRightString(width - MARGIN, MARGIN, f"Page {number} of {total}")
        canvas.restoreState()

    frame = Frame(
        MARGIN,
        MARGIN + footer_height + FOOTER_GAP,
        width - 2 * MARGIN,
        height - 2 * MARGIN - footer_height - FOOTER_GAP - HEADER_HEIGHT,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    buffer = BytesIO()
    document = BaseDocTemplate(
        buffer,
        pagesize=page,
        title=title,  # no names in the metadata: file browsers and indexers show it
        author=provenance.program,
        subject=title,
        creator="Facilitator",
        pageTemplates=[PageTemplate("page", [frame], onPage=header)],
    )
    counted: list[int] = []
    try:
        document.build(
            story, canvasmaker=_canvas_class(footer, manifest_json(provenance, signed), counted)
        )
    finally:
        forget_widths()
    return RenderedPdf(buffer.getvalue(), counted[-1])


def participant_subject(name: str, preferred: str, chart_number: str) -> str:
    """A participant document's page-header subject: 'Legal Name (Preferred) · Chart 1001'."""
    shown = f"{isolated(name)} ({isolated(preferred)})" if preferred.strip() else isolated(name)
    return f"{shown} · Chart {isolated(chart_number)}"


def frame_width(wide: bool = False) -> float:
    """The width text and tables may take on a page."""
    page = landscape(LETTER) if wide else LETTER
    return float(page[0] - 2 * MARGIN)
