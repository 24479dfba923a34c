"""Reading roster CSV files: encodings, headers, delimiters, dates, and what is refused."""

from __future__ import annotations

import re
from datetime import date

import pytest

from facilitator.services.roster_csv import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    goals,
    header_key,
    parse_date,
    read_roster,
)

HEADER = "chart_number,first_name,last_name,date_of_birth\n"


def only_problem(data: bytes) -> str:
    roster = read_roster(data)
    assert len(roster.problems) == 1, roster.problems
    return roster.problems[0].message


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Chart Number", "chart_number"),
        ("chart #", "chart_number"),
        ("MRN", "chart_number"),
        ("First Name", "first_name"),
        ("Legal last name", "last_name"),
        ("DOB", "date_of_birth"),
        ("Date of Birth", "date_of_birth"),
        ("Admission Date", "admitted"),
        ("  Pronouns ", "pronouns"),
        ("Treatment goals", "goals"),
        ("Diagnosis", None),
    ],
)
def test_headers_are_matched_ignoring_case_spacing_and_punctuation(
    header: str, key: str | None
) -> None:
    assert header_key(header) == key


def test_utf8_with_and_without_byte_order_mark_read_the_same() -> None:
    text = HEADER + "C-1,Zoë,Ñúñez,1990-01-02\n"
    plain = read_roster(text.encode())
    with_bom = read_roster(b"\xef\xbb\xbf" + text.encode())
    assert plain == with_bom
    assert plain.problems == ()
    assert plain.lines[0].values == {
        "chart_number": "C-1",
        "first_name": "Zoë",
        "last_name": "Ñúñez",
        "date_of_birth": "1990-01-02",
    }
    assert plain.lines[0].line == 2


def test_windows_1252_bytes_are_refused_with_their_line() -> None:
    data = (HEADER + "C-1,Ana,Bell,1990-01-02\nC-2,Zoë,Cole,1991-01-02\n").encode("cp1252")
    roster = read_roster(data)
    assert roster.lines == ()
    (problem,) = roster.problems
    assert problem.line == 3
    assert "Line 3 is not UTF-8 text (byte 0xEB at byte 7 of the line)" in problem.message
    assert "CSV UTF-8" in problem.message


def test_utf16_is_refused_with_how_to_save_as_utf8() -> None:
    message = only_problem((HEADER + "C-1,Ana,Bell,1990-01-02\n").encode("utf-16"))
    assert "UTF-16" in message
    assert "CSV UTF-8" in message


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", b"\xef\xbb\xbf"])
def test_empty_file(data: bytes) -> None:
    assert only_problem(data).startswith("The file is empty.")


def test_only_blank_cells() -> None:
    assert only_problem(b",,,\n,,,\n") == "The file holds only blank lines."


def test_header_without_participants() -> None:
    assert only_problem(HEADER.encode()) == "The file has a header line but no participants."


def test_too_large_file_is_refused_before_decoding() -> None:
    data = HEADER.encode() + b"\xff" * MAX_FILE_BYTES
    assert "larger than 2 MB" in only_problem(data)


def test_too_many_lines() -> None:
    data = (HEADER + "C,A,B,1990-01-01\n" * (MAX_ROWS + 1)).encode()
    roster = read_roster(data)
    assert roster.lines == ()
    assert f"{MAX_ROWS + 1} participant lines; an import takes at most {MAX_ROWS}" in (
        roster.problems[0].message
    )


def test_missing_required_columns_stop_the_rows_from_being_read() -> None:
    roster = read_roster(b"chart_number,first_name\nC-1,Ana\n")
    assert roster.lines == ()
    (problem,) = roster.problems
    assert "no last_name or date_of_birth column" in problem.message
    assert problem.line == 1


def test_unexpected_column_is_reported_with_a_suggestion_and_rows_still_read() -> None:
    roster = read_roster(
        b"chart_number,first_name,last_name,date_of_birth,preffered_name,Diagnosis\n"
        b"C-1,Ana,Bell,1990-01-02,Annie,F10.20\n"
    )
    messages = [p.message for p in roster.problems]
    assert len(messages) == 2
    assert "Unexpected column 5 'preffered_name'" in messages[0]
    assert "Did you mean preferred_name?" in messages[0]
    assert "Unexpected column 6 'Diagnosis'" in messages[1]
    assert "Did you mean" not in messages[1]
    assert roster.lines[0].values["first_name"] == "Ana"


def test_two_headers_for_one_column() -> None:
    roster = read_roster(HEADER.rstrip().encode() + b",DOB\nC-1,Ana,Bell,1990-01-02,1990-01-02\n")
    assert roster.problems[0].message.startswith(
        "Column 5 ('DOB') repeats column 4: both are read as date_of_birth."
    )


def test_group_without_admitted_column() -> None:
    roster = read_roster(HEADER.rstrip().encode() + b",group\nC-1,Ana,Bell,1990-01-02,Morning\n")
    assert "a group column but no admitted column" in roster.problems[0].message


def test_unnamed_column_is_tolerated_only_when_empty() -> None:
    assert read_roster(HEADER.rstrip().encode() + b",\nC-1,Ana,Bell,1990-01-02,\n").problems == ()
    roster = read_roster(HEADER.rstrip().encode() + b",\nC-1,Ana,Bell,1990-01-02,x\n")
    assert roster.problems[0].message.startswith(
        "Column 5 has no header but holds values (first on line 2)."
    )


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimited_files(delimiter: str) -> None:
    text = HEADER.replace(",", delimiter) + delimiter.join(
        ["C-1", "Ana", "Bell, Jr.", "1990-01-02"]
    )
    roster = read_roster(text.encode())
    assert roster.problems == ()
    assert roster.lines[0].values["last_name"] == "Bell, Jr."


def test_line_numbers_count_quoted_line_breaks_and_skip_blank_lines() -> None:
    text = HEADER + '\nC-1,"Ana\nMaria",Bell,1990-01-02\n,,,\nC-2,Bo,Cole,1991-01-02\n'
    roster = read_roster(text.encode())
    assert [line.line for line in roster.lines] == [3, 6]


def test_more_values_than_columns_is_a_line_problem() -> None:
    roster = read_roster((HEADER + "C-1,Ana,Bell,Jr,1990-01-02\n").encode())
    (problem,) = roster.lines[0].problems
    assert problem.line == 2
    assert "5 values but the header has 4 columns" in problem.message


def test_bad_quoting_names_the_line() -> None:
    roster = read_roster((HEADER + 'C-1,Ana,Bell,1990-01-02\nC-2,"Bo"x,Cole,1991\n').encode())
    (problem,) = roster.problems
    assert problem.line == 3
    assert problem.message.startswith("Line 3 cannot be read as CSV")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2001-05-13", date(2001, 5, 13)),
        ("2001-5-3", date(2001, 5, 3)),
        ("05/13/2001", date(2001, 5, 13)),
        ("5/3/2001", date(2001, 5, 3)),
    ],
)
def test_iso_and_us_dates(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("13.05.2001", "'13.05.2001' is not a date. Write dates as YYYY-MM-DD"),
        ("May 13, 2001", "is not a date. Write dates as YYYY-MM-DD (2001-05-13) or MM/DD/YYYY"),
        (
            "13/05/2001",
            "its month would be 13. Day-first dates are not accepted; write it as 2001-05-13.",
        ),
        ("5/13/01", "'5/13/01' has a two-digit year"),
        ("2001-02-30", "'2001-02-30' is not a day of the calendar."),
        ("1899-12-31", "'1899-12-31' is before 1900"),
    ],
)
def test_dates_that_are_refused_say_what_was_expected(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_date(text)


def test_goals_are_split_on_vertical_bars() -> None:
    assert goals(" Sleep seven hours | | Call a sponsor weekly|") == [
        "Sleep seven hours",
        "Call a sponsor weekly",
    ]
