"""Roster import on a real SQLCipher clinic: preview, per-line errors, all-or-nothing writes."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from facilitator.app import Clinic, open_clinic
from facilitator.services.roster_import import (
    RosterImport,
    RosterImportError,
    RosterPreview,
    RowAction,
)
from facilitator.storage.models import AuditEvent, Participant
from facilitator.storage.unit_of_work import unit_of_work
from tests.roster_clinic import EVENING, MORNING, make_roster_clinic, table_contents

TODAY = date(2026, 11, 23)
HEADER = (
    "chart_number,first_name,last_name,preferred_name,pronouns,date_of_birth,group,admitted,goals"
)
VALID = f"""{HEADER}
N-1,Avery,Brightwater,Ave,she/her,1991-04-17,{MORNING},2026-11-23,Sleep seven hours|Call a sponsor
N-2,Blake,Caldmore,,he/him,07/30/1979,{EVENING},11/20/2026,
K-100,Kerry,Ashdown,,,1984-03-09,,,
"""


@pytest.fixture(scope="module")
def clinic_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, uuid.UUID]:
    folder = tmp_path_factory.mktemp("roster") / "clinic"
    return folder, make_roster_clinic(folder)


@pytest.fixture
def clinic(clinic_folder: tuple[Path, uuid.UUID], tmp_path: Path) -> Iterator[Clinic]:
    folder = tmp_path / "clinic"
    shutil.copytree(clinic_folder[0], folder)
    opened = open_clinic(folder)
    yield opened
    opened.close()


@pytest.fixture
def admin(clinic_folder: tuple[Path, uuid.UUID]) -> uuid.UUID:
    return clinic_folder[1]


def importer(clinic: Clinic) -> RosterImport:
    return RosterImport(clinic.database, clinic.audit, lambda: TODAY)


def preview(clinic: Clinic, csv_text: str) -> RosterPreview:
    return importer(clinic).preview(csv_text.encode(), "roster.csv")


def participants(clinic: Clinic) -> dict[str, Participant]:
    with clinic.database.sessions() as session:
        found = session.scalars(select(Participant)).all()
        for p in found:  # loaded while the session is open
            _ = p.enrollments, p.goals, [e.group.name for e in p.enrollments]
        return {p.chart_number: p for p in found}


def problems_by_cell(result: RosterPreview) -> dict[tuple[int, str | None], str]:
    return {(p.line or 0, p.column): p.message for r in result.rows for p in r.problems}


def test_valid_file_previews_creates_and_an_update_then_imports_them(
    clinic: Clinic, admin: uuid.UUID
) -> None:
    before = table_contents(clinic.database)
    result = preview(clinic, VALID)
    assert table_contents(clinic.database) == before  # a preview writes nothing
    assert result.problems == ()
    assert [(r.line, r.action) for r in result.rows] == [
        (2, RowAction.CREATE),
        (3, RowAction.CREATE),
        (4, RowAction.UNCHANGED),  # same person, same names: blanks never erase pronouns
    ]
    assert result.importable
    assert result.changing == 2

    imported = importer(clinic).apply(result, admin)

    assert (imported.created, imported.updated, imported.unchanged) == (2, 0, 1)
    assert (imported.enrollments, imported.goals) == (2, 2)
    people = participants(clinic)
    avery = people["N-1"]
    assert (avery.legal_first, avery.legal_last, avery.preferred_name, avery.pronouns) == (
        "Avery",
        "Brightwater",
        "Ave",
        "she/her",
    )
    assert avery.date_of_birth == date(1991, 4, 17)
    assert [(e.group.name, e.admitted, e.discharged) for e in avery.enrollments] == [
        (MORNING, date(2026, 11, 23), None)
    ]
    assert [(g.sequence, g.text, g.status, g.created_on) for g in avery.goals] == [
        (1, "Sleep seven hours", "active", date(2026, 11, 23)),
        (2, "Call a sponsor", "active", date(2026, 11, 23)),
    ]
    blake = people["N-2"]
    assert blake.date_of_birth == date(1979, 7, 30)
    assert blake.preferred_name is None
    assert [(e.group.name, e.admitted) for e in blake.enrollments] == [
        (EVENING, date(2026, 11, 20))
    ]
    assert people["K-100"].pronouns == "they/them"


def test_import_is_audited_with_counts_only(clinic: Clinic, admin: uuid.UUID) -> None:
    importer(clinic).apply(preview(clinic, VALID), admin)
    with clinic.database.sessions() as session:
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert event.clinician_id == admin
    assert event.outcome == "success"
    assert event.object_type == "roster"
    assert event.detail == {
        "created": 2,
        "updated": 0,
        "unchanged": 1,
        "enrollments": 2,
        "goals": 2,
    }


def test_importing_the_same_file_again_changes_nothing(clinic: Clinic, admin: uuid.UUID) -> None:
    importer(clinic).apply(preview(clinic, VALID), admin)
    after_first = table_contents(clinic.database)
    again = preview(clinic, VALID)
    assert {r.action for r in again.rows} == {RowAction.UNCHANGED}
    assert not again.importable
    with pytest.raises(RosterImportError, match="every participant in the file is already up to"):
        importer(clinic).apply(again, admin)
    assert table_contents(clinic.database) == after_first


def test_known_chart_number_with_the_same_birth_date_updates_without_erasing(
    clinic: Clinic, admin: uuid.UUID
) -> None:
    result = preview(
        clinic,
        f"{HEADER}\nK-100,Kerry,Ashdown-Reyes,Kit,,03/09/1984,{EVENING},2026-11-23,Journal\n",
    )
    (row,) = result.rows
    assert row.action is RowAction.UPDATE
    assert row.changes == ("last_name", "preferred_name", "admitted", "goals")
    importer(clinic).apply(result, admin)
    kerry = participants(clinic)["K-100"]
    assert (kerry.legal_last, kerry.preferred_name, kerry.pronouns) == (
        "Ashdown-Reyes",
        "Kit",
        "they/them",
    )
    assert [(e.group.name, e.admitted) for e in kerry.enrollments] == [
        (MORNING, date(2026, 11, 2)),
        (EVENING, date(2026, 11, 23)),
    ]
    assert [g.text for g in kerry.goals] == ["Journal"]
    history = clinic.admissions.participant_history(kerry.id)
    assert {(h.label, h.was, h.now, h.reason, h.by) for h in history} == {
        ("Legal last name", "Ashdown", "Ashdown-Reyes", "Roster import of roster.csv", "R. Admin"),
        ("Preferred name", "", "Kit", "Roster import of roster.csv", "R. Admin"),
    }


def test_every_kind_of_line_error_is_shown_with_its_line_and_column(clinic: Clinic) -> None:
    before = table_contents(clinic.database)
    long_name = "A" * 101
    result = preview(
        clinic,
        f"""{HEADER}
D-1,,Brightwater,,,1991-04-17,,,
D-2,Casey,,,,1991-13-01,,,
D-3,Dakota,Dunlevy,,,17/04/1991,,,
D-4,Elliot,Eastbrook,,,1991-04-17,Tuesday Night,2026-11-23,
D-4,Finley,Fairholm,,,1991-04-17,closed track,2026-11-23,
K-100,Kerry,Ashdown,,,1985-03-09,,,
,Harper,Hartwell,,,2030-01-01,{MORNING},,
D-8,{long_name},Ivesdale,,,1991-04-17,,2026-11-23,
D-9,Jesse,"Juni\x07pero",,,1991-04-17,{MORNING},1990-01-01,
""",
    )
    assert table_contents(clinic.database) == before
    cells = problems_by_cell(result)
    assert cells[(2, "first_name")] == "The first name is missing."
    assert cells[(3, "last_name")] == "The last name is missing."
    assert cells[(3, "date_of_birth")].startswith(
        "Date of birth: '1991-13-01' is not a day of the calendar."
    )
    assert "Day-first dates are not accepted; write it as 1991-04-17" in cells[(4, "date_of_birth")]
    assert cells[(5, "group")] == (
        f"There is no active group named 'Tuesday Night'. Groups: {EVENING}, {MORNING}."
    )
    assert cells[(5, "chart_number")] == (
        "Chart number D-4 is on lines 5 and 6: each participant goes on one line."
    )
    assert cells[(6, "chart_number")] == cells[(5, "chart_number")]
    assert "no active group named 'closed track'" in cells[(6, "group")]
    assert cells[(7, "chart_number")].startswith(
        "Chart number K-100 belongs to a participant with another date of birth."
    )
    assert (7, "date_of_birth") in cells
    assert cells[(8, "chart_number")] == "The chart number is missing."
    assert cells[(8, "date_of_birth")] == "The date of birth 2030-01-01 is in the future."
    assert cells[(8, "admitted")] == "An enrollment in a group needs the admission date."
    assert cells[(9, "first_name")] == "The first name is 101 characters long; at most 100 fit."
    assert cells[(9, "group")] == "An admission date needs the group the participant joins."
    assert cells[(10, "last_name")].startswith("The last name holds a control character")
    assert cells[(10, "admitted")] == "The admission 1990-01-01 is before the birth date."
    assert all(r.action is None and r.entry is None for r in result.rows)
    assert result.rows_with_errors == 9
    assert not result.importable
    with pytest.raises(RosterImportError, match="problems to fix first"):
        importer(clinic).apply(result, uuid.uuid4())
    assert table_contents(clinic.database) == before


def test_enrolling_again_in_a_group_the_participant_is_in_is_an_error(clinic: Clinic) -> None:
    result = preview(clinic, f"{HEADER}\nK-100,Kerry,Ashdown,,,1984-03-09,{MORNING},2026-11-16,\n")
    assert problems_by_cell(result) == {
        (2, "admitted"): "Already enrolled in this group since 2026-11-02. Change the admission "
        "in the app, or leave group and admitted blank on this line."
    }


def test_file_problems_block_the_import_but_lines_are_still_checked(clinic: Clinic) -> None:
    result = preview(clinic, f"{HEADER},Diagnosis\nN-1,Avery,Brightwater,,,1991-04-17,,,,F10\n")
    assert len(result.problems) == 1
    assert "Unexpected column 10 'Diagnosis'" in result.problems[0].message
    assert [r.action for r in result.rows] == [RowAction.CREATE]
    assert result.error_count == 1
    assert not result.importable


def test_a_failure_on_the_last_row_leaves_the_records_as_they_were(
    clinic: Clinic, admin: uuid.UUID
) -> None:
    """The database refuses the last participant; the rows before it are rolled back too."""
    with clinic.database.engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TRIGGER refuse_last_row BEFORE INSERT ON participant "
                "WHEN NEW.chart_number = 'N-9' "
                "BEGIN SELECT RAISE(ABORT, 'simulated failure on the last row'); END"
            )
        )
    rows = "\n".join(
        f"N-{n},Avery{n},Brightwater,,,1991-04-17,{MORNING},2026-11-23,Goal {n}"
        for n in range(1, 10)
    )
    result = preview(clinic, f"{HEADER}\n{rows}\n")
    assert result.importable and result.changing == 9
    before = table_contents(clinic.database)

    with pytest.raises(RosterImportError) as raised:
        importer(clinic).apply(result, admin)

    assert str(raised.value) == (
        "Nothing was imported: the database refused the write (simulated failure on the last "
        "row). The clinic's records are as they were before."
    )
    after = table_contents(clinic.database)
    audit_before, audit_after = before.pop("audit_event"), after.pop("audit_event")
    heads = [
        {r for r in contents.pop("setting") if r[0] == "audit.head"} for contents in (before, after)
    ]
    assert after == before  # every record, byte for byte, apart from the audit log
    assert len(audit_after) == len(audit_before) + 1
    with clinic.database.sessions() as session:
        (event,) = session.scalars(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert (event.outcome, event.detail, event.clinician_id) == ("failure", {"rows": 9}, admin)
    assert heads[0] != heads[1]  # the audit checkpoint moved to the failure entry


def test_a_preview_made_before_the_clinic_changed_is_refused(
    clinic: Clinic, admin: uuid.UUID
) -> None:
    result = preview(clinic, VALID)
    with unit_of_work(clinic.database) as session:
        session.add(
            Participant(
                chart_number="N-2",
                legal_first="Other",
                legal_last="Person",
                date_of_birth=date(1970, 1, 1),
            )
        )
    before = table_contents(clinic.database)
    with pytest.raises(RosterImportError, match="changed since the preview was made"):
        importer(clinic).apply(result, admin)
    assert table_contents(clinic.database) == before


def test_unreadable_file_is_a_file_problem(clinic: Clinic, tmp_path: Path) -> None:
    result = importer(clinic).preview_file(tmp_path / "missing.csv")
    assert result.rows == ()
    assert "cannot be read: No such file or directory" in result.problems[0].message
