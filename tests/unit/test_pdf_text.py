"""Note text in a PDF: visible controls, fallback fonts, no character lost from the text layer."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from reportlab.platypus import SimpleDocTemplate

from reports.fonts import REGULAR, printable, spans
from reports.layout import text


def round_trip(value: str) -> str:
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([text(value)])
    return "".join(page.extract_text() for page in PdfReader(buffer).pages)


def squeeze(value: str) -> str:
    return re.sub(r"\s+", "", value)


def test_control_characters_are_shown_visibly() -> None:
    assert printable("a\x00b\x07c\x1bd\x7fe\x9bf\tg\r\nh") == "a␀b␇c␛d␡e[U+009B]f g\nh"
    assert printable("\ud800") == "[U+D800]"


def test_text_is_split_into_lines_with_fallback_fonts_only_where_needed() -> None:
    assert spans("a < b & c\nd") == [[("a < b & c", REGULAR)], [("d", REGULAR)]]
    assert spans("x 中文") == [[("x ", REGULAR), ("中文", "DocCJK")]]
    assert spans("ok \U0001f680") == [[("ok ", REGULAR), ("\U0001f680", "DocSymbols")]]  # rocket
    assert spans("soft\u00adhyphen") == [[("softhyphen", REGULAR)]]


def test_every_character_reaches_the_text_layer() -> None:
    """Emoji (astral), CJK, Greek, Cyrillic, combining marks, a script no shipped font has
    (Thai), controls, and a word too long for a line."""
    value = "Emoji \U0001f600\U0001f9e9 中文 Ελληνικά Кириллица e\u0301 ไทย \x01 " + "w" * 400
    assert squeeze(round_trip(value)) == squeeze(printable(value))


def test_right_to_left_text_comes_back_in_reading_order() -> None:
    assert "שלום" in round_trip("Said שלום today")
