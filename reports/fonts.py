"""Fonts for the documents, and note text made safe to lay out without losing a character.

Every document is set in DejaVu Sans (shipped in resources/fonts/, embedded as subsets). A
character DejaVu Sans lacks is drawn with the first shipped fallback that has it (Symbola for
emoji and symbols, Droid Sans Fallback for Chinese, Japanese and Korean); one that no shipped
font has is drawn as an empty box but stays in the PDF's text layer, so copying or searching the
text still finds it. Control characters are shown visibly (see `printable`). Right-to-left text
(Hebrew, Arabic) is put in display order line by line with the Unicode bidirectional algorithm
(python-bidi), as PDF text is stored, so readers and text extraction give it back in reading
order. The reordering happens before lines are wrapped: a right-to-left paragraph that wraps
shows its lines top to bottom in the order of its logical lines, each correct on its own only
when it fits on one line (whole short phrases and names, the usual case, are exact).
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import as_file, files

from bidi import get_display
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts

from facilitator.visible_text import ISOLATES, printable

REGULAR = "DocSans"
BOLD = "DocSans-Bold"
_FILES = {
    REGULAR: "DejaVuSans.ttf",
    BOLD: "DejaVuSans-Bold.ttf",
    "DocSymbols": "Symbola.ttf",
    "DocCJK": "DroidSansFallbackFull.ttf",
}
FALLBACKS = ("DocCJK", "DocSymbols")
"""Tried in this order for a character the main font lacks."""

_PLAIN = re.compile("[\n\x20-\x7e\u00a0-\u024f\u2010-\u2027\u2030-\u205e]*")
"""Text needing no fallback font, no reordering and no visible controls: Latin, and the
dashes, quotes, bullets and ellipsis of General Punctuation (all in both main fonts)."""
SOFT_HYPHEN = "\u00ad"
_NO_ISOLATES = dict.fromkeys(map(ord, ISOLATES))


class TextKeepingTTFont(ttfonts.TTFont):  # type: ignore[misc]
    """A TrueType font that keeps characters it has no glyph for in the text layer.

    ReportLab maps such characters to code 0, whose ToUnicode entry is U+0000, so they vanish
    from the extracted text. Here each gets a code of its own, drawn with the font's .notdef
    glyph (an empty box) and mapped back to the character in the ToUnicode CMap.
    """

    def splitString(
        self, text: str | bytes, doc: object, encoding: str = "utf-8"
    ) -> list[tuple[int, bytes]]:
        state = self._assignState(doc)
        if isinstance(text, bytes):
            text = text.decode(encoding)
        try:  # the usual case: every character seen before, all in the first subset
            codes = bytes(map(state.assignments.__getitem__, map(ord, text)))
            return [(0, codes)] if codes else []
        except (KeyError, ValueError):  # a new character, or one in a later subset
            pass
        results: list[tuple[int, bytes]] = []
        current_set, current = -1, bytearray()
        for code in map(ord, text):
            n = state.assignments.get(code)
            if n is None:
                n = self._assign(state, code)
            if n >> 8 != current_set:
                if current:
                    results.append((current_set, bytes(current)))
                current_set, current = n >> 8, bytearray()
            current.append(n & 0xFF)
        if current:
            results.append((current_set, bytes(current)))
        return results

    def _assign(self, state: ttfonts.TTFont.State, code: int) -> int:
        """The next free code in the subsets, as ReportLab assigns them (32 stays a space)."""
        if state.frozen:
            raise pdfdoc.PDFError(f"Font {self.fontName} is frozen, cannot add U+{code:04X}")
        skip_31 = 31 if self._asciiReadable and state.nextCode < 32 else -256
        n = state.nextCode
        if n & 0xFF == 32:
            if n != 32:
                state.subsets[n >> 8].append(32)
            state.nextCode += 1
            n = state.nextCode
        if n > 32:
            if not n & 0xFF:
                state.subsets.append([0])
                state.nextCode += 1
                n = state.nextCode
            state.subsets[n >> 8].append(code)
        else:
            if n == skip_31:
                state.nextCode = 127
            state.subsets[0][n] = code
        state.nextCode += 1
        state.assignments[code] = n
        return int(n)


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ReportLab's ToUnicode CMap with each value in UTF-16BE, as the PDF standard requires.

    ReportLab writes a code point above U+FFFF as five or six hex digits, which readers reject
    or misread; here it becomes a surrogate pair.
    """
    entries = [
        f"<{index:02X}> <{chr(value).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
        for index, value in enumerate(subset)
    ]
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            *entries,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # a fix for every TrueType font ReportLab embeds


@cache
def font(name: str) -> TextKeepingTTFont:
    """Register one shipped font (once) and return it."""
    with as_file(files("resources") / "fonts" / _FILES[name]) as path:
        loaded = TextKeepingTTFont(name, str(path))
    pdfmetrics.registerFont(loaded)
    return loaded


@cache
def register_fonts() -> None:
    """Register the main fonts and the bold/regular family; fallbacks load when first needed."""
    font(REGULAR)
    font(BOLD)
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )


@cache
def _fallback_for(code: int) -> str | None:
    if code in font(REGULAR).face.charToGlyph:
        return None
    for name in FALLBACKS:
        if code in font(name).face.charToGlyph:
            return name
    return None


Span = tuple[str, str]
"""Text and the font that draws it."""
Line = list[Span]
"""One line of text (no line break inside), as spans."""


def spans(text: str, bold: bool = False) -> list[Line]:
    """Plain text as lines ready to set: printable, each line in display order, each run of
    characters the main font lacks in its fallback font; the rest in the main font (bold or
    regular). Soft hyphens are left out: invisible in running text, they would print as
    hyphens."""
    register_fonts()
    main = BOLD if bold else REGULAR
    if SOFT_HYPHEN in text:
        text = text.replace(SOFT_HYPHEN, "")
    plain = text.translate(_NO_ISOLATES)  # isolates matter only beside right-to-left text
    if _PLAIN.fullmatch(plain):  # the usual case, and by far the quickest
        return [[(line, main)] for line in plain.split("\n")]
    lines: list[Line] = []
    for line in printable(text).split("\n"):
        runs: Line = []
        run: list[str] = []
        run_font = main
        for char in _display_order(line):
            wanted = main if ord(char) < 0x250 else _fallback_for(ord(char)) or main
            if wanted != run_font and run:
                runs.append(("".join(run), run_font))
                run.clear()
            run_font = wanted
            run.append(char)
        runs.append(("".join(run), run_font))
        lines.append(runs)
    return lines


def _display_order(line: str) -> str:
    """The line in display order when it holds right-to-left characters, else unchanged;
    without the isolates that kept each user-supplied field's direction to itself."""
    if all(ord(c) < 0x590 for c in line):
        return line
    if any(unicodedata.bidirectional(c) in ("R", "AL") for c in line):
        line = str(get_display(line))
    return "".join(c for c in line if c not in ISOLATES) if ISOLATES & set(line) else line
