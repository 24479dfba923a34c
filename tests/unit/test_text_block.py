"""TextBlock: wrapping within the width, nothing lost, page breaks by whole lines."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from reports.fonts import REGULAR, spans
from reports.layout import CELL, grid
from reports.text_block import TextBlock, lines_of


def row_texts(block: TextBlock, width: float) -> list[str]:
    return ["".join(chunk for chunk, _ in row) for _, row in block.rows(width)]


def test_words_wrap_at_spaces_within_the_width_and_none_is_lost() -> None:
    words = [f"word{n}" for n in range(60)]
    block = TextBlock(spans("  ".join(words)), CELL)
    _, height = block.wrap(120, 1000)
    assert len(block.rows(120)) > 5
    assert height == len(block.rows(120)) * CELL.leading
    assert all(width <= 120 for width, _ in block.rows(120))
    assert " ".join(row_texts(block, 120)).split(" ") == words


def test_a_word_longer_than_the_line_is_split_between_characters() -> None:
    name = "Featherstonehaugh-Wolfeschlegelsteinhausen中文🙂" * 3
    block = TextBlock(spans(name), CELL)
    block.wrap(60, 1000)
    assert all(width <= 60 for width, _ in block.rows(60))
    assert "".join(row_texts(block, 60)) == name
    assert {face for _, row in block.rows(60) for _, face in row} >= {"DocCJK", "DocSymbols"}


def test_line_breaks_bold_labels_and_empty_text() -> None:
    block = TextBlock(lines_of(("Goal:", True), (" first\n\nthird", False)), CELL)
    block.wrap(500, 1000)
    assert row_texts(block, 500) == ["Goal: first", "", "third"]
    assert block.rows(500)[0][1][0] == ("Goal:", "DocSans-Bold")
    assert TextBlock(spans(""), CELL).wrap(500, 1000) == (500, 0)


def test_a_page_break_splits_by_whole_lines_never_leaving_one_alone() -> None:
    block = TextBlock(spans("\n".join(f"line {n}" for n in range(10))), CELL)
    block.wrap(300, 1000)
    first, rest = block.split(300, 4.5 * CELL.leading)
    assert row_texts(first, 300) == [f"line {n}" for n in range(4)]
    assert row_texts(rest, 300) == [f"line {n}" for n in range(4, 10)]
    assert block.split(300, 1.5 * CELL.leading) == []
    assert TextBlock(block.lines, CELL, whole=True).split(300, 4.5 * CELL.leading) == []


def test_a_long_name_in_a_table_cell_wraps_inside_its_column() -> None:
    name = "Maximiliana Alexandrovna Featherstonehaugh-Wolfeschlegelsteinhausen"
    table = grid([["Participant", "Minutes"], [name, "60"], [f"{name} 中文", "60"]], [80, 40])
    table.wrap(120, 1000)
    plain = table._cellvalues[1][0]  # all in the table's font: wrapped lines the table draws
    assert isinstance(plain, str)
    assert len(plain.split("\n")) >= 3
    assert all(stringWidth(line, REGULAR, CELL.fontSize) <= 74 for line in plain.split("\n"))
    (mixed,) = table._cellvalues[2][0]  # a fallback font: a TextBlock (a cell holds a tuple)
    assert isinstance(mixed, TextBlock)
    assert all(width <= 74 for width, _ in mixed.rows(74))  # 80 points less the padding
