"""TextBlock: the documents' text, wrapped and drawn without ReportLab's Paragraph.

Text comes as lines of spans (text, font) made by reports.fonts.spans: already printable, in
display order, with fallback fonts chosen, so nothing here parses markup. A block is set in one
size and leading (its ParagraphStyle's), wrapped greedily at spaces (runs of spaces count as
one, as in a Paragraph; no-break spaces hold), a word too long for a line is split between
characters, and each line of the source starts a new line. Each word is measured once; the
wrapped lines are kept for the width they were made for, so a table asking again (to size a
row, then to draw it) or a page break costs nothing more, and a block of any length is laid out
in time proportional to its length. A block split at a page break leaves no single first line
at the foot of a page (as Paragraph, allowOrphans=0).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.geomutils import normalizeTRBL
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont
from reportlab.platypus import Flowable

from reports.fonts import Line, Span, spans

_SPACES = re.compile(r"[^\S\u00a0\u2007\u202f]+")
"""Where a line may break: any white space except the no-break spaces."""

Row = tuple[float, tuple[Span, ...]]
"""One line as drawn: its width, and its spans (neighbours in the same font merged)."""


class TextBlock(Flowable):  # type: ignore[misc]
    """Lines of spans in `style` (size, leading, colour, indents, alignment, spacing, border);
    kept on one page when `whole`."""

    def __init__(self, lines: Sequence[Line], style: ParagraphStyle, whole: bool = False) -> None:
        super().__init__()
        self.style = style
        self.lines = lines
        self.whole = whole
        self._rows: list[Row] = []
        self._rows_width: float | None = None

    def rows(self, width: float) -> list[Row]:
        """The wrapped lines for a block `width` wide (kept for that width)."""
        inner = width - self.style.leftIndent - self.style.rightIndent
        if inner != self._rows_width:
            self._rows = wrap_lines(self.lines, inner, self.style.fontSize)
            self._rows_width = inner
        return self._rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = len(self.rows(availWidth)) * self.style.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        rows = self.rows(availWidth)
        fit = int(availHeight / self.style.leading)
        if self.whole or fit <= 1:
            return []
        if fit >= len(rows):
            return [self]
        first, rest = TextBlock([], self.style), TextBlock([], self.style)
        for part, kept in ((first, rows[:fit]), (rest, rows[fit:])):
            part.lines = [list(row) for _, row in kept]  # re-wrapped only at another width
            part._rows, part._rows_width = kept, self._rows_width
        first.spaceAfter = rest.spaceBefore = 0
        return [first, rest]

    def draw(self) -> None:
        canvas, style = self.canv, self.style
        left, right = style.leftIndent, style.rightIndent
        if style.borderWidth and style.borderColor:
            top, pad_right, bottom, pad_left = normalizeTRBL(style.borderPadding)
            canvas.saveState()
            canvas.setStrokeColor(style.borderColor)
            canvas.setLineWidth(style.borderWidth)
            canvas.rect(
                left - pad_left,
                -bottom,
                self.width - left - right + pad_left + pad_right,
                self.height + top + bottom,
                stroke=1,
                fill=0,
            )
            canvas.restoreState()
        if not self._rows:
            return
        size, leading, inner = style.fontSize, style.leading, self._rows_width or 0.0
        shift = {TA_RIGHT: 1.0, TA_CENTER: 0.5}.get(style.alignment, 0.0)
        text = canvas.beginText()
        text.setFillColor(style.textColor)
        face = None
        y = self.height - size
        for width, row in self._rows:
            text.setTextOrigin(left + shift * (inner - width), y)
            for chunk, chunk_face in row:
                if chunk_face != face:
                    face = chunk_face
                    text.setFont(face, size, leading)
                text._textOut(chunk)  # as Paragraph does: no cursor kept, no width measured
            y -= leading
        canvas.drawText(text)

    def getPlainText(self, identify: object = None) -> str:
        """The text, line by line (ReportLab names flowables by it in its error messages)."""
        return "\n".join("".join(chunk for chunk, _ in line) for line in self.lines)


def wrap_lines(lines: Sequence[Line], width: float, size: float) -> list[Row]:
    """`lines` wrapped to `width` at `size`. A single empty line gives no rows (an empty block);
    an empty line among others gives an empty row."""
    if len(lines) == 1 and not any(chunk.strip() for chunk, _ in lines[0]):
        return []
    rows: list[Row] = []
    for line in lines:
        rows += _wrap_line(line, width, size)
    return rows


def _wrap_line(line: Line, width: float, size: float) -> list[Row]:
    rows: list[Row] = []
    row: list[Span] = []
    used = 0.0
    for pieces, wide, space_face, gap in _words(line, size):
        if row:
            if used + gap + wide <= width:
                row.append((" ", space_face))
                row += pieces
                used += gap + wide
                continue
            rows.append((used, _merged(row)))
            row, used = [], 0.0
        if wide <= width:
            row, used = list(pieces), wide
            continue
        for chunk, face in pieces:  # a word longer than a line: split between characters
            for char in chunk:
                char_width = _width(char, face, size)
                if row and used + char_width > width:
                    rows.append((used, _merged(row)))
                    row, used = [], 0.0
                row.append((char, face))
                used += char_width
    rows.append((used, _merged(row)))
    return rows


def _words(line: Line, size: float) -> list[tuple[list[Span], float, str, float]]:
    """The line's words: their spans, width, and the font and width of the space before them."""
    words: list[tuple[list[Span], float, str, float]] = []
    pieces: list[Span] = []
    wide = gap = 0.0
    space_face = ""
    for chunk, face in line:
        known = _WIDTHS.get(face)
        if known is None:
            known = _WIDTHS[face] = {" ": _width(" ", face, 1.0)}
        for index, part in enumerate(_SPACES.split(chunk)):
            if index and pieces:  # a space ends the word before it
                words.append((pieces, wide, space_face, gap))
                pieces, wide, space_face = [], 0.0, ""
            if index and not space_face:
                space_face, gap = face, known[" "] * size
            if part:
                pieces.append((part, face))
                unit = known.get(part)
                if unit is None:
                    unit = known[part] = _width(part, face, 1.0)
                wide += unit * size
    if pieces:
        words.append((pieces, wide, space_face, gap))
    return words


_WIDTHS: dict[str, dict[str, float]] = {}
"""Words measured while a document is made, per font, at size 1 (widths scale with the size):
the same words come back again and again in a chart. Emptied by forget_widths."""


def forget_widths() -> None:
    """Forget the measured words (once a document is made: they are the document's text)."""
    _WIDTHS.clear()


def _width(text: str, face: str, size: float) -> float:
    return float(getFont(face).stringWidth(text, size))


def _merged(row: Sequence[Span]) -> tuple[Span, ...]:
    """Neighbouring spans in the same font as one, empty ones left out."""
    merged: list[Span] = []
    last = ""
    for chunk, face in row:
        if not chunk:
            continue
        if face == last:
            merged[-1] = (merged[-1][0] + chunk, face)
        else:
            merged.append((chunk, face))
            last = face
    return tuple(merged)


def lines_of(*parts: tuple[str, bool]) -> list[Line]:
    """Pieces of text, each (text, bold), set one after the other; a line break in a piece
    starts a new line."""
    lines: list[Line] = [[]]
    for value, bold in parts:
        first, *rest = spans(value, bold)
        lines[-1] = lines[-1] + first
        lines += rest
    return lines
