"""Property tests of the roster importer: it never crashes, and valid rosters round-trip.

Examples are few and derandomized (the same ones on every run and in CI) so the module runs in
a few seconds; the strategies aim at the awkward parts: encodings, quoting, delimiters, blank
and extra cells, every Unicode plane, dates in both formats.
"""

from __future__ import annotations

import csv
import io
import itertools
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from facilitator.app import Clinic, open_clinic
from facilitator.domain.admission import MAX_AGE, MAX_DAYS_AHEAD, MIN_AGE, ZERO_WIDTH
from facilitator.services.roster_csv import COLUMNS, MAX_FILE_BYTES, read_roster
from facilitator.services.roster_import import RosterImport, RosterPreview
from facilitator.storage.models import Enrollment, Participant
from facilitator.visible_text import BIDI_CONTROLS
from tests.roster_clinic import EVENING, MORNING, make_roster_clinic

TODAY = date(2026, 11, 23)
PROPERTY = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
HEADERS = [c.key for c in COLUMNS] + ["DOB", "Chart #", "First Name", "extra", ""]
CHARTS = itertools.count(1)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Clinic, uuid.UUID]]:
    """One clinic for the module: previews read it, round trips use chart numbers never reused."""
    source = tmp_path_factory.mktemp("roster-properties") / "source"
    admin = make_roster_clinic(source)
    folder = source.parent / "clinic"
    shutil.copytree(source, folder)
    opened = open_clinic(folder)
    yield opened, admin
    opened.close()


def importer(clinic: Clinic) -> RosterImport:
    return RosterImport(clinic.database, clinic.audit, lambda: TODAY)


def assert_coherent(preview: RosterPreview) -> None:
    """Either lines or problems; a line has an action exactly when it has no problems."""
    assert preview.rows or preview.problems
    for row in preview.rows:
        assert (row.action is None) == bool(row.problems), row
        assert (row.entry is None) == bool(row.problems), row
        assert all(p.line == row.line for p in row.problems)
    assert preview.importable == (preview.error_count == 0 and preview.changing > 0)


@PROPERTY
@given(data=st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash_the_preview(
    clinic: tuple[Clinic, uuid.UUID], data: bytes
) -> None:
    assert_coherent(importer(clinic[0]).preview(data, "random.bin"))


@PROPERTY
@given(text=st.text(max_size=600), bom=st.booleans())
def test_arbitrary_text_never_crashes_the_preview(
    clinic: tuple[Clinic, uuid.UUID], text: str, bom: bool
) -> None:
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8", "surrogatepass")
    assert_coherent(importer(clinic[0]).preview(data, "random.csv"))


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["1990-01-31", "01/31/1990", "31/01/1990", "2026-02-30", MORNING, "x|y"]),
    st.just(""),
)


@PROPERTY
@given(
    header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=10),
    rows=st.lists(st.lists(cells, max_size=11), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_arbitrary_csv_tables_never_crash_the_preview(
    clinic: tuple[Clinic, uuid.UUID], header: list[str], rows: list[list[str]], delimiter: str
) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    assert_coherent(importer(clinic[0]).preview(out.getvalue().encode(), "table.csv"))


def test_the_size_limit_is_checked_before_anything_else() -> None:
    roster = read_roster(b"\x00" * (MAX_FILE_BYTES + 1))
    assert [p.message.split(",")[0] for p in roster.problems] == ["The file is larger than 2 MB"]


# Names: any printable character of any plane (no controls, invisible bidi overrides or lone
# surrogates, which the importer refuses), trimmed as the importer trims them, and never blank.
name_text = (
    st.text(
        st.characters(
            blacklist_categories=("Cc", "Cs"),
            blacklist_characters=["|", *ZERO_WIDTH, *BIDI_CONTROLS],
        ),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)


@dataclass(frozen=True)
class Person:
    chart_number: str
    first_name: str
    last_name: str
    preferred_name: str
    pronouns: str
    date_of_birth: date
    us_dates: bool
    group: str
    admitted: date | None
    goals: tuple[str, ...]

    def cells(self) -> list[str]:
        def day(value: date | None) -> str:
            if value is None:
                return ""
            return f"{value:%m/%d/%Y}" if self.us_dates else value.isoformat()

        return [
            self.chart_number,
            self.first_name,
            self.last_name,
            self.preferred_name,
            self.pronouns,
            day(self.date_of_birth),
            self.group,
            day(self.admitted),
            " | ".join(self.goals),
        ]


def years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


@st.composite
def people(draw: st.DrawFn) -> Person:
    # the admission rules: 12 to 110 years old on admission (or today), admitted at most
    # 30 days ahead
    group = draw(st.sampled_from(["", MORNING, EVENING.upper()]))
    admitted = draw(st.dates(date(2000, 1, 1), TODAY + timedelta(days=MAX_DAYS_AHEAD)))
    on = admitted if group else TODAY
    birth = draw(st.dates(years_before(on, MAX_AGE) + timedelta(days=1), years_before(on, MIN_AGE)))
    admitted = admitted if group else None
    goal_texts = draw(st.lists(name_text, max_size=3, unique_by=str.casefold))
    return Person(
        chart_number=f"PT-{next(CHARTS)}-{draw(st.text('ABC123', max_size=4))}",
        first_name=draw(name_text),
        last_name=draw(name_text),
        preferred_name=draw(st.one_of(st.just(""), name_text)),
        pronouns=draw(st.sampled_from(["", "she/her", "he/him", "they/them", "ze/zir"])),
        date_of_birth=birth,
        us_dates=draw(st.booleans()),
        group=group,
        admitted=admitted,
        goals=tuple(goal_texts),
    )


@settings(PROPERTY, max_examples=25)
@given(
    roster=st.lists(people(), min_size=1, max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    bom=st.booleans(),
)
def test_valid_rosters_round_trip(
    clinic: tuple[Clinic, uuid.UUID], roster: list[Person], delimiter: str, bom: bool
) -> None:
    opened, admin = clinic
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([c.key for c in COLUMNS])
    writer.writerows(person.cells() for person in roster)
    data = (b"\xef\xbb\xbf" if bom else b"") + out.getvalue().encode()

    preview = importer(opened).preview(data, "generated.csv")
    assert preview.error_count == 0, [p.message for r in preview.rows for p in r.problems]
    result = importer(opened).apply(preview, admin)
    assert result.created == len(roster)

    with opened.database.sessions() as session:
        stored = {
            p.chart_number: p
            for p in session.scalars(
                select(Participant)
                .where(Participant.chart_number.in_([p.chart_number for p in roster]))
                .options(
                    selectinload(Participant.enrollments).selectinload(Enrollment.group),
                    selectinload(Participant.goals),
                )
            )
        }
        for person in roster:
            row = stored[person.chart_number]
            assert (row.legal_first, row.legal_last) == (person.first_name, person.last_name)
            assert row.preferred_name == (person.preferred_name or None)
            assert row.pronouns == (person.pronouns or None)
            assert row.date_of_birth == person.date_of_birth
            assert [(e.group.name.casefold(), e.admitted) for e in row.enrollments] == (
                [(person.group.casefold(), person.admitted)] if person.group else []
            )
            assert [g.text for g in row.goals] == list(person.goals)
