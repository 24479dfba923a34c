"""A measure result marked entered in error: kept with who, when and why, and counted nowhere
(totals, plots, the chart, the due list, risk, the discharge summary); the mark is final, and
the database refuses to change it, on a copy of the demo clinic (a real SQLCipher file)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Uuid, bindparam, select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from facilitator.app import Clinic
from facilitator.documents.participant import load_participant_chart
from facilitator.domain.discharge import DischargeReason, DischargeRequest, TransitionPlan
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.services import this_week
from facilitator.storage.models import AuditEvent, Enrollment, MeasureVoid
from facilitator.storage.unit_of_work import unit_of_work
from tests.clinic_copies import clinic_copy
from tests.integration.test_measures_and_discharge import PHQ9_MILD, TODAY
from tests.storage_backends import Storage
from tests.users import signed_in

RISKY = {**PHQ9_MILD, "self_harm": 2}
WRONG_PERSON = "Recorded for the wrong participant"


@pytest.fixture(scope="module")
def clinic(
    module_storage: Storage,
    demo_clinics: Callable[[Storage], tuple[Path, dict[str, str]]],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Clinic]:
    """A copy of the demo clinic, on SQLCipher and on PostgreSQL."""
    folder = tmp_path_factory.mktemp("entered-in-error") / "clinic"
    with clinic_copy(demo_clinics(module_storage)[0], folder, module_storage) as opened:
        yield opened


@pytest.fixture(scope="module")
def mreyes(clinic: Clinic) -> SignedInUser:
    return signed_in(clinic.database, "mreyes")


def enrolled(clinic: Clinic, index: int) -> uuid.UUID:
    """Someone enrolled for weeks, still in the program, with measures given."""
    with unit_of_work(clinic.database) as session:
        return session.scalars(
            select(Enrollment.participant_id)
            .where(Enrollment.discharged.is_(None), Enrollment.admitted < TODAY - timedelta(14))
            .order_by(Enrollment.admitted.desc())
        ).all()[index]


def audit_details(clinic: Clinic, object_id: uuid.UUID) -> list[tuple[str, dict[str, object]]]:
    with unit_of_work(clinic.database) as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.detail)
            .where(AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.sequence)
        )
        return [(action, dict(detail or {})) for action, detail in rows]


def test_a_result_entered_in_error_is_kept_and_counts_nowhere(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    participant_id = enrolled(clinic, 0)
    jlee = signed_in(clinic.database, "jlee")
    row = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, RISKY, TODAY)
    with unit_of_work(clinic.database) as session:
        assert participant_id in this_week.measure_risk(session, [participant_id], TODAY)
    phq9 = next(s for s in clinic.trends(participant_id, TODAY).measures if s.name == "PHQ-9")
    assert phq9.points[-1].day == TODAY

    marked = clinic.measures.mark_entered_in_error(jlee, row.result_id, f"  {WRONG_PERSON} ")

    assert marked.entered_in_error and marked.result_id == row.result_id
    assert row.result_id not in {r.result_id for r in clinic.measures.results(participant_id)}
    kept = clinic.measures.results(participant_id, entered_in_error=True)
    assert [r for r in kept if r.result_id == row.result_id] == [marked]
    with unit_of_work(clinic.database) as session:
        assert participant_id not in this_week.measure_risk(session, [participant_id], TODAY)
    phq9 = next(s for s in clinic.trends(participant_id, TODAY).measures if s.name == "PHQ-9")
    assert all(p.day != TODAY for p in phq9.points)
    with unit_of_work(clinic.database) as session:
        chart = load_participant_chart(
            session, participant_id, None, TODAY, datetime(2026, 11, 23, 12, tzinfo=UTC)
        )
    assert chart.trends is not None
    printed = next(s for s in chart.trends.measures if s.name == "PHQ-9")
    assert all(p.day != TODAY for p in printed.points)

    history = clinic.measures.history(row.result_id)
    assert [(v.total, v.by, v.reason, v.entered_in_error) for v in history] == [
        (8, "Morgan Reyes", None, False),
        (8, "Jordan Lee", WRONG_PERSON, True),
    ]
    assert history[0].at <= history[1].at
    (created, _), (action, detail) = audit_details(clinic, row.result_id)
    assert (created, action) == ("create", "edit")
    assert detail["participant_id"] == str(participant_id)
    with unit_of_work(clinic.database) as session:
        void_id = session.scalars(
            select(MeasureVoid.id).where(MeasureVoid.result_id == row.result_id)
        ).one()
    assert detail["entered_in_error"] == str(void_id) and WRONG_PERSON not in str(detail)


def test_an_admission_measure_entered_in_error_is_due_again(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    with unit_of_work(clinic.database) as session:
        participant_id, admitted = session.execute(
            select(Enrollment.participant_id, Enrollment.admitted)
            .where(Enrollment.discharged.is_(None), Enrollment.admitted < TODAY)
            .order_by(Enrollment.admitted.desc())
            .limit(1)
        ).one()
    due = {(r.participant_id, r.code) for r in clinic.week_measures_due(TODAY)}
    assert (participant_id, "PHQ-9") not in due  # given at admission
    given = next(
        r
        for r in clinic.measures.results(participant_id)
        if r.code == "PHQ-9" and r.taken_on >= admitted - timedelta(days=7)
    )
    clinic.measures.mark_entered_in_error(mreyes, given.result_id, "Never given: a blank form")
    again = [
        r
        for r in clinic.week_measures_due(TODAY)
        if (r.participant_id, r.code) == (participant_id, "PHQ-9")
    ]
    assert [(r.reason, r.scheduled) for r in again] == [("admission", admitted)]


def test_the_discharge_summary_leaves_out_results_entered_in_error(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    participant_id = enrolled(clinic, 1)
    last = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, RISKY, TODAY)
    row = clinic.discharges.discharge(
        mreyes, participant_id, DischargeRequest(TODAY, DischargeReason.COMPLETED, TransitionPlan())
    )

    def phq9_last() -> tuple[object, int]:
        summary = clinic.discharges.document(row.discharge_id).summary
        trend = next(m for m in summary.measures if m.measure == "PHQ-9")
        return trend.last_day, trend.last_total

    assert phq9_last() == (TODAY, 8)
    clinic.measures.mark_entered_in_error(mreyes, last.result_id, WRONG_PERSON)
    day, _ = phq9_last()
    assert day != TODAY
    document = clinic.discharges.document(row.discharge_id)
    plotted = next(s for s in document.trends.measures if s.name == "PHQ-9")
    assert all(p.day != TODAY for p in plotted.points)


@pytest.mark.parametrize(
    ("reason", "message"),
    [("   ", "Say why the result was entered in error"), ("x" * 501, "under 500 characters")],
)
def test_a_mark_without_a_fit_reason_is_refused(
    clinic: Clinic, mreyes: SignedInUser, reason: str, message: str
) -> None:
    participant_id = enrolled(clinic, 2)
    row = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    with pytest.raises(DomainError, match=message):
        clinic.measures.mark_entered_in_error(mreyes, row.result_id, reason)
    assert row in clinic.measures.results(participant_id)
    assert len(clinic.measures.history(row.result_id)) == 1


def test_the_mark_is_final(clinic: Clinic, mreyes: SignedInUser) -> None:
    participant_id = enrolled(clinic, 3)
    row = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    clinic.measures.correct(mreyes, row.result_id, TODAY, RISKY, "Item 9 misread", TODAY)
    clinic.measures.mark_entered_in_error(mreyes, row.result_id, WRONG_PERSON)
    with pytest.raises(DomainError, match="entered in error and cannot be marked again"):
        clinic.measures.mark_entered_in_error(mreyes, row.result_id, "Twice")
    with pytest.raises(DomainError, match="entered in error and cannot be corrected"):
        clinic.measures.correct(mreyes, row.result_id, TODAY, PHQ9_MILD, "Back", TODAY)
    history = clinic.measures.history(row.result_id)
    assert [(v.total, v.reason, v.entered_in_error) for v in history] == [
        (6, None, False),
        (8, "Item 9 misread", False),
        (8, WRONG_PERSON, True),
    ]
    with pytest.raises(DomainError, match="no longer in the records"):
        clinic.measures.mark_entered_in_error(mreyes, uuid.uuid4(), WRONG_PERSON)


def test_the_database_refuses_to_undo_or_change_the_mark(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    participant_id = enrolled(clinic, 4)
    row = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    clinic.measures.mark_entered_in_error(mreyes, row.result_id, WRONG_PERSON)
    key = {"id": row.result_id, "new": uuid.uuid4()}
    for statement, message in (
        ("UPDATE measure_void SET reason = 'x'", "stays so"),
        ("DELETE FROM measure_void", "stays so"),
        ("UPDATE measure_result SET total = 0 WHERE id = :id", "never changes"),
        ("DELETE FROM measure_result WHERE id = :id", "is kept"),
        (
            "INSERT INTO measure_correction (id, result_id, previous_taken_on, "
            "previous_item_scores, previous_total, previous_band, previous_risk, reason, "
            "corrected_at) VALUES (:new, :id, '2026-11-23', '{}', 0, 'x', false, 'x', "
            "'2026-11-23 00:00:00')",
            "not corrected",
        ),
        (
            "INSERT INTO measure_void (id, result_id, reason, voided_at) "
            "VALUES (:new, :id, 'again', '2026-11-23 00:00:00')",
            "(?i)unique",
        ),
    ):
        with (
            pytest.raises((IntegrityError, DatabaseError), match=message),
            unit_of_work(clinic.database) as session,
        ):
            uuids = (bindparam(name, type_=Uuid) for name in key if f":{name}" in statement)
            session.execute(text(statement).bindparams(*uuids), key)
    history = clinic.measures.history(row.result_id)
    assert [(v.total, v.reason) for v in history] == [(6, None), (6, WRONG_PERSON)]
