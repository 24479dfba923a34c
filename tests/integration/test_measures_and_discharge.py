"""Measures, the week's lists, discharge and readmission, and the signed discharge summary, on a
copy of the demo clinic (a real SQLCipher file)."""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from io import BytesIO
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError, IntegrityError

from facilitator.app import Clinic, open_clinic
from facilitator.cli.main import main
from facilitator.documents.participant import load_participant_chart
from facilitator.documents.requests import DischargeSummaryRequest
from facilitator.domain.attendance import AttendanceStatus
from facilitator.domain.discharge import (
    DischargeReason,
    DischargeRequest,
    GoalStatus,
    TransitionPlan,
)
from facilitator.domain.errors import DomainError
from facilitator.domain.measures import MeasureDefinitionError, MeasureSchedule
from facilitator.domain.progress import week_of
from facilitator.domain.users import SignedInUser
from facilitator.services import this_week
from facilitator.services.accounts import default_hasher
from facilitator.storage.models import (
    AuditEvent,
    Clinician,
    Discharge,
    Enrollment,
    GroupSession,
    MeasureResult,
    Program,
)
from facilitator.storage.unit_of_work import unit_of_work
from reports import discharge_summary, participant_chart
from reports.export import export_document
from reports.manifest import read_manifest
from tests.users import signed_in

TODAY = date(2026, 11, 23)
MET = GoalStatus.MET
PASSWORD = "correct horse battery staple 7"
PHQ9_MILD = {
    "interest": 1,
    "mood": 1,
    "sleep": 1,
    "energy": 1,
    "appetite": 1,
    "self_worth": 1,
    "concentration": 0,
    "psychomotor": 0,
    "self_harm": 0,
}


@pytest.fixture(scope="module")
def clinic(demo_clinic_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    folder = tmp_path_factory.mktemp("measures") / "clinic"
    shutil.copytree(demo_clinic_folder, folder)
    opened = open_clinic(folder)
    with unit_of_work(opened.database) as session:
        row = session.scalars(select(Clinician).where(Clinician.username == "mreyes")).one()
        row.password_hash = default_hasher().hash(PASSWORD)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def mreyes(clinic: Clinic) -> SignedInUser:
    return signed_in(clinic.database, "mreyes")


def audit(clinic: Clinic, object_id: uuid.UUID) -> list[tuple[str, str]]:
    with unit_of_work(clinic.database) as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.outcome)
            .where(AuditEvent.object_id == str(object_id))
            .order_by(AuditEvent.sequence)
        )
        return [(action, outcome) for action, outcome in rows]


def result_count(clinic: Clinic) -> int:
    with unit_of_work(clinic.database) as session:
        return session.scalar(select(func.count()).select_from(MeasureResult)) or 0


def due_row(clinic: Clinic) -> tuple[uuid.UUID, str]:
    row = next(r for r in clinic.week_measures_due(TODAY) if r.code == "PHQ-9")
    return row.participant_id, row.name


def test_recording_a_measure_scores_it_and_clears_it_from_the_due_list(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    participant_id, _ = due_row(clinic)
    row = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    assert (row.total, row.band, row.risk, row.high) == (6, "Mild", False, 27)
    assert row in clinic.measures.results(participant_id)
    due = {(r.participant_id, r.code) for r in clinic.week_measures_due(TODAY)}
    assert (participant_id, "PHQ-9") not in due
    assert (participant_id, "GAD-7") in due  # still to give
    assert audit(clinic, row.result_id) == [("create", "success")]


def test_a_correction_scores_again_and_keeps_the_original(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    participant_id = active_participant(clinic, 5)
    jlee = signed_in(clinic.database, "jlee")
    row = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    risky = {**PHQ9_MILD, "sleep": 3, "self_harm": 1}
    corrected = clinic.measures.correct(
        jlee, row.result_id, TODAY, risky, "  Item 3 and item 9 misread from the form ", TODAY
    )
    assert (corrected.total, corrected.band, corrected.risk, corrected.corrections) == (
        9,
        "Mild",
        True,
        1,
    )
    with unit_of_work(clinic.database) as session:
        assert this_week.measure_risk(session, [participant_id], TODAY)[participant_id].startswith(
            f"PHQ-9 on {TODAY:%Y-%m-%d}"
        )
    again = clinic.measures.correct(
        mreyes, row.result_id, TODAY - timedelta(days=1), risky, "Given on Sunday", TODAY
    )
    assert again.corrections == 2 and again.taken_on == TODAY - timedelta(days=1)
    assert [r for r in clinic.measures.results(participant_id) if r.result_id == row.result_id] == [
        again
    ]
    history = clinic.measures.history(row.result_id)
    assert [(v.taken_on, v.total, v.risk, v.by, v.reason) for v in history] == [
        (TODAY, 6, False, "Morgan Reyes", None),
        (TODAY, 9, True, "Jordan Lee", "Item 3 and item 9 misread from the form"),
        (TODAY - timedelta(days=1), 9, True, "Morgan Reyes", "Given on Sunday"),
    ]
    assert history[0].original and history[0].item_scores == PHQ9_MILD
    assert history[0].at <= history[1].at <= history[2].at
    assert audit(clinic, row.result_id) == [
        ("create", "success"),
        ("edit", "success"),
        ("edit", "success"),
    ]


@pytest.mark.parametrize(
    ("day", "scores", "reason", "message"),
    [
        (TODAY, {**PHQ9_MILD, "mood": 2}, "   ", "Say why"),
        (TODAY, {**PHQ9_MILD, "mood": 2}, "x" * 501, "under 500 characters"),
        (TODAY, PHQ9_MILD, "Typo", "Nothing differs"),
        (TODAY, {**PHQ9_MILD, "mood": 4}, "Typo", "scores 0-3, not 4"),
        (TODAY + timedelta(days=1), PHQ9_MILD, "Typo", "in the future"),
    ],
)
def test_a_refused_correction_changes_nothing(
    clinic: Clinic,
    mreyes: SignedInUser,
    day: date,
    scores: dict[str, int],
    reason: str,
    message: str,
) -> None:
    participant_id = active_participant(clinic, 6)
    row = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    with pytest.raises(DomainError, match=message):
        clinic.measures.correct(mreyes, row.result_id, day, scores, reason, TODAY)
    assert len(clinic.measures.history(row.result_id)) == 1
    assert next(r for r in clinic.measures.results(participant_id) if r == row)


def test_the_database_refuses_to_change_a_correction(clinic: Clinic, mreyes: SignedInUser) -> None:
    participant_id = active_participant(clinic, 7)
    row = clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY, PHQ9_MILD, TODAY)
    clinic.measures.correct(mreyes, row.result_id, TODAY, {**PHQ9_MILD, "mood": 3}, "Typo", TODAY)
    for statement in (
        "UPDATE measure_correction SET previous_total = 27",
        "DELETE FROM measure_correction",
    ):
        with (
            pytest.raises((IntegrityError, DatabaseError), match="measure correction"),
            unit_of_work(clinic.database) as session,
        ):
            session.execute(text(statement))
    assert clinic.measures.history(row.result_id)[0].total == 6


@pytest.mark.parametrize(
    ("code", "scores", "day", "message"),
    [
        ("PHQ-9", {**PHQ9_MILD, "mood": 4}, TODAY, "scores 0-3, not 4"),
        ("PHQ-9", {"mood": 1}, TODAY, "score every item"),
        ("PHQ-9", PHQ9_MILD, TODAY + timedelta(days=1), "in the future"),
        ("NOPE", PHQ9_MILD, TODAY, "No active measure is coded NOPE"),
    ],
)
def test_bad_results_are_refused_and_nothing_is_written(
    clinic: Clinic,
    mreyes: SignedInUser,
    code: str,
    scores: dict[str, int],
    day: date,
    message: str,
) -> None:
    participant_id, _ = due_row(clinic)
    before = result_count(clinic)
    with pytest.raises(DomainError, match=message):
        clinic.measures.record(mreyes, participant_id, code, day, scores, TODAY)
    assert result_count(clinic) == before


def test_administrators_define_measures_as_data(clinic: Clinic, mreyes: SignedInUser) -> None:
    admin = signed_in(clinic.database, "admin")
    data = {
        "code": "SLEEP",
        "name": "Sleep quality",
        "item": [{"key": "nights", "label": "Restful nights this week", "low": 0, "high": 7}],
        "band": [{"label": "Poor", "low": 0, "high": 3}, {"label": "Fair", "low": 4, "high": 7}],
    }
    with pytest.raises(DomainError, match="Only an administrator"):
        clinic.measures.define(mreyes, data)
    bad = {**data, "band": [{"label": "Poor", "low": 0, "high": 3}]}
    with pytest.raises(MeasureDefinitionError, match="must end at the highest total 7"):
        clinic.measures.define(admin, bad)
    clinic.measures.define(admin, data)
    assert "Sleep quality" in [d.name for d in clinic.measures.definitions()]
    with pytest.raises(MeasureDefinitionError, match="already exists"):
        clinic.measures.define(admin, data)
    participant_id, _ = due_row(clinic)
    row = clinic.measures.record(mreyes, participant_id, "SLEEP", TODAY, {"nights": 5}, TODAY)
    assert (row.total, row.band) == (5, "Fair")


def test_todays_milestones_and_the_runners_marks(clinic: Clinic) -> None:
    labels = {(m.day, m.label) for m in clinic.week_milestones(TODAY)}
    assert (TODAY, "90 days of recovery") in labels
    assert all(TODAY <= m.day <= TODAY + timedelta(days=6) for m in clinic.week_milestones(TODAY))
    day_blocks = clinic.day_blocks(TODAY)
    marks = {}
    for session_id in {b.session_id for b in day_blocks}:
        for entry in clinic.runner.sheet(session_id).blocks[0].roster:
            marks[entry.participant_id] = (entry.measures_due, entry.measure_risk)
    assert any(risk and "PHQ-9" in risk for _, risk in marks.values())
    due = {r.participant_id for r in clinic.week_measures_due(TODAY)}
    assert any(measures for pid, (measures, _) in marks.items() if pid in due)


def active_participant(clinic: Clinic, index: int) -> uuid.UUID:
    with unit_of_work(clinic.database) as session:
        rows = session.scalars(
            select(Enrollment.participant_id)
            .where(Enrollment.discharged.is_(None), Enrollment.admitted < TODAY - timedelta(14))
            .order_by(Enrollment.admitted)
        ).all()
        return rows[index]


def test_discharge_leaves_rosters_refuses_attendance_until_readmission(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    participant_id = active_participant(clinic, 2)
    plan = TransitionPlan(next_level_of_care="Standard outpatient")
    with pytest.raises(DomainError, match="Attendance is recorded on"):
        clinic.discharges.discharge(
            mreyes,
            participant_id,
            DischargeRequest(TODAY - timedelta(days=10), DischargeReason.COMPLETED, plan),
        )
    row = clinic.discharges.discharge(
        mreyes,
        participant_id,
        DischargeRequest(TODAY - timedelta(days=1), DischargeReason.STEPPED_DOWN, plan),
    )
    assert audit(clinic, row.discharge_id) == [("create", "success")]
    block = next(b for b in clinic.day_blocks(TODAY))
    with unit_of_work(clinic.database) as session:
        group_id = session.scalars(
            select(Enrollment.group_id).where(Enrollment.participant_id == participant_id)
        ).first()
        session_id = session.scalars(
            select(GroupSession.id).where(
                GroupSession.group_id == group_id, GroupSession.day == TODAY
            )
        ).one()
    block_id = clinic.runner.sheet(session_id).blocks[0].block_id
    roster = {e.participant_id for e in clinic.runner.sheet(session_id).blocks[0].roster}
    assert participant_id not in roster  # gone from the day after discharge
    with pytest.raises(DomainError, match="needs a readmission"):
        clinic.runner.record_attendance(block_id, participant_id, AttendanceStatus.PRESENT)
    with pytest.raises(DomainError, match="needs a readmission"):
        clinic.runner.add_participant(block_id, participant_id, "Drop-in")
    assert block.block_id  # today's blocks are there to attend
    assert group_id is not None
    with pytest.raises(DomainError, match="after the last discharge"):
        clinic.discharges.readmit(mreyes, participant_id, group_id, TODAY - timedelta(days=1))
    clinic.discharges.readmit(mreyes, participant_id, group_id, TODAY)
    assert participant_id in {
        e.participant_id for e in clinic.runner.sheet(session_id).blocks[0].roster
    }
    clinic.runner.record_attendance(block_id, participant_id, AttendanceStatus.PRESENT)
    with pytest.raises(DomainError, match="still enrolled"):
        clinic.discharges.readmit(mreyes, participant_id, group_id, TODAY + timedelta(days=1))


def test_a_discharge_ahead_of_today_is_refused_and_nothing_changes(
    clinic: Clinic, mreyes: SignedInUser
) -> None:
    participant_id = active_participant(clinic, 4)
    tomorrow = TODAY + timedelta(days=1)
    request = DischargeRequest(tomorrow, DischargeReason.COMPLETED, TransitionPlan())
    with pytest.raises(DomainError, match=f"{tomorrow} is in the future"):
        clinic.discharges.discharge(mreyes, participant_id, request, TODAY)
    assert clinic.discharges.latest(participant_id) is None
    with unit_of_work(clinic.database) as session:
        open_enrollments = session.scalars(
            select(Enrollment).where(
                Enrollment.participant_id == participant_id, Enrollment.discharged.is_(None)
            )
        ).all()
    assert len(open_enrollments) == 1


def test_sign_lock_and_export_the_discharge_summary(
    clinic: Clinic, mreyes: SignedInUser, tmp_path: Path
) -> None:
    participant_id = active_participant(clinic, 3)
    clinic.measures.record(mreyes, participant_id, "PHQ-9", TODAY - timedelta(1), PHQ9_MILD, TODAY)
    plan = TransitionPlan(
        next_level_of_care="Standard outpatient (ASAM Level 1)",
        referrals="Primary care",
        support_groups="SMART Recovery",
        follow_up="Counselor on 2026-11-30 at 10:00",
        relapse_prevention="Call a peer before payday",
    )
    row = clinic.discharges.discharge(
        mreyes,
        participant_id,
        DischargeRequest(TODAY - timedelta(days=1), DischargeReason.COMPLETED, TransitionPlan()),
    )
    others = clinic.discharges.goals(active_participant(clinic, 0))
    with pytest.raises(DomainError, match="not this participant's; nothing saved"):
        clinic.discharges.update(
            mreyes,
            row.discharge_id,
            DischargeReason.STEPPED_DOWN,
            plan,
            ((others[0].goal_id, MET),),
        )
    assert clinic.discharges.goals(active_participant(clinic, 0)) == others
    assert clinic.discharges.latest(participant_id).reason is DischargeReason.COMPLETED  # unchanged
    goals = clinic.discharges.goals(participant_id)
    outcomes = ((goals[0].goal_id, MET), (goals[1].goal_id, GoalStatus.PARTIALLY_MET))
    row = clinic.discharges.update(
        mreyes, row.discharge_id, DischargeReason.STEPPED_DOWN, plan, outcomes
    )
    with pytest.raises(DomainError, match=r"password|not right|wrong"):
        clinic.discharges.sign(mreyes, "not the password", row.discharge_id)
    assert not clinic.discharges.document(row.discharge_id).signature
    signed = clinic.discharges.sign(mreyes, PASSWORD, row.discharge_id)
    summary = signed.summary
    assert signed.signature is not None
    canonical = json.dumps(
        summary.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    assert signed.signature.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
    assert signed.signature.printed_name == "Morgan Reyes"
    assert signed.signature.signed_at.tzinfo is not None
    assert [m.measure for m in summary.measures if m.measure == "PHQ-9"]
    assert summary.attendance.blocks_attended > 0 and summary.topics and summary.goals
    assert [g.status for g in summary.goals][:2] == ["met", "partially_met"]
    weeks = clinic.participant_record(participant_id, TODAY).weeks
    counted = [w for w in weeks if week_of(summary.admitted) <= w.monday <= summary.discharged]
    assert summary.attendance.weeks == len(counted)  # every enrolled week
    assert any(w.partial for w in counted)  # the part weeks at admission or discharge too
    assert summary.attendance.weeks_met_target == sum(w.met for w in counted)
    assert audit(clinic, row.discharge_id) == [
        ("create", "success"),
        ("edit", "success"),
        ("sign", "refused"),
        ("sign", "success"),
    ]
    with pytest.raises(DomainError, match="signed and locked"):
        clinic.discharges.update(mreyes, row.discharge_id, DischargeReason.COMPLETED, plan)
    with pytest.raises(DomainError, match="signed and locked"):
        clinic.discharges.sign(mreyes, PASSWORD, row.discharge_id)
    with (
        pytest.raises((IntegrityError, DatabaseError), match="locked"),
        unit_of_work(clinic.database) as session,
    ):
        session.execute(
            text("UPDATE discharge SET reason = 'administrative' WHERE id = :id"),
            {"id": row.discharge_id.hex},
        )
    assert clinic.discharges.document(row.discharge_id).summary == summary  # as signed

    path = tmp_path / "summary.pdf"
    result = export_document(clinic, mreyes, DischargeSummaryRequest(row.discharge_id), path)
    assert audit(clinic, row.discharge_id)[-1] == ("export", "success")
    pdf = discharge_summary.build(clinic.discharges.document(row.discharge_id))
    assert result.pages == pdf.pages and not result.signed  # no signer given
    reader = PdfReader(BytesIO(pdf.data))
    words = " ".join((page.extract_text() or "") for page in reader.pages)
    words = " ".join(words.split())
    for expected in (
        "Discharge summary",
        summary.participant_name,
        f"Admitted {summary.admitted:%Y-%m-%d}, discharged {summary.discharged:%Y-%m-%d}",
        "Stepped down to a less intensive level of care",
        "Standard outpatient (ASAM Level 1)",
        "SMART Recovery",
        "Call a peer before payday",
        "Counselor on 2026-11-30 at 10:00",
        "Curriculum topics completed",
        summary.topics[0].title,
        summary.goals[0].text[:30],
        "Partially met",
        "PHQ-9",
        f"{summary.attendance.minutes / 60:.1f}",
        "Electronically signed by: Morgan Reyes, LPC, LCADC",
        signed.signature.content_hash,
        "42 CFR part 2",
        f"Page 1 of {pdf.pages}",
    ):
        assert expected in words, expected
    assert "DRAFT" not in words
    manifest = read_manifest(pdf.data)
    assert [(s.kind, s.item_id, s.content_hash) for s in manifest.signed] == [
        ("discharge_summary", row.discharge_id, signed.signature.content_hash)
    ]


def test_a_draft_summary_prints_marked_draft(clinic: Clinic) -> None:
    with unit_of_work(clinic.database) as session:
        draft = session.scalars(select(Discharge.id).where(Discharge.status == "draft")).first()
    assert draft is not None
    document = clinic.discharges.document(draft)
    reader = PdfReader(BytesIO(discharge_summary.build(document).data))
    first = " ".join((reader.pages[0].extract_text() or "").split())
    assert "DRAFT: not signed" in first
    assert not document.signed_items()


def test_the_participant_chart_prints_the_trend_charts(clinic: Clinic) -> None:
    participant_id = active_participant(clinic, 0)
    with unit_of_work(clinic.database) as session:
        document = load_participant_chart(
            session, participant_id, None, TODAY, datetime(2026, 11, 23, 12, tzinfo=UTC)
        )
    assert document.trends is not None
    assert {s.name for s in document.trends.measures} >= {"PHQ-9", "GAD-7"}
    assert document.trends.weeks and document.trends.markers[0].label == "Admitted"
    pdf = participant_chart.build(document)
    words = " ".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf.data)).pages)
    for title in ("Measure totals", "Craving (0-10)", "Hours attended per week", "PHQ-9 ("):
        assert title in words


def test_the_charts_headings_never_end_a_page(clinic: Clinic) -> None:
    for index in range(3):
        with unit_of_work(clinic.database) as session:
            document = load_participant_chart(
                session, active_participant(clinic, index), None, TODAY, datetime.now(UTC)
            )
        pdf = participant_chart.build(document)
        for page in PdfReader(BytesIO(pdf.data)).pages:  # not alone above the page's notice
            lines = (page.extract_text() or "").splitlines()
            for line, after in pairwise(lines):
                assert not (line in ("Progress", "Notes") and after.startswith("This record"))


def test_the_measure_command_adds_a_measure_defined_in_toml(
    clinic: Clinic,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with unit_of_work(clinic.database) as session:
        row = session.scalars(select(Clinician).where(Clinician.username == "admin")).one()
        row.password_hash = default_hasher().hash(PASSWORD)
    monkeypatch.setenv("FACILITATOR_USER", "admin")
    monkeypatch.setenv("FACILITATOR_PASSWORD", PASSWORD)
    good = tmp_path / "stress.toml"
    good.write_text(
        'code = "STRESS"\nname = "Stress"\n'
        '[[item]]\nkey = "stress"\nlabel = "Stress this week"\nlow = 0\nhigh = 10\n'
        '[[band]]\nlabel = "Low"\nlow = 0\nhigh = 4\n'
        '[[band]]\nlabel = "High"\nlow = 6\nhigh = 10\n',
        encoding="utf-8",
    )
    folder = str(clinic.data_dir)
    assert main(["--data-dir", folder, "measure", "add", str(good)]) != 0
    assert "gap: no band holds 5-5" in capsys.readouterr().err
    good.write_text(good.read_text().replace("high = 4", "high = 5"), encoding="utf-8")
    assert main(["--data-dir", folder, "measure", "add", str(good)]) == 0
    assert "Added STRESS: Stress." in capsys.readouterr().out
    assert main(["--data-dir", folder, "measure", "list"]) == 0
    listing = capsys.readouterr().out
    assert "STRESS       Stress: 1 items, total 0-10 (Low 0-5, High 6-10)" in listing
    assert "PHQ-9        PHQ-9: 9 items, total 0-27" in listing


def test_the_program_schedule_decides_what_is_due(clinic: Clinic, mreyes: SignedInUser) -> None:
    admin = signed_in(clinic.database, "admin")
    with unit_of_work(clinic.database) as session:
        program_id = session.scalars(select(Program.id)).one()
    weekly = MeasureSchedule(("READINESS",), at_admission=False, every_weeks=1, at_discharge=False)
    with pytest.raises(DomainError, match="Only an administrator"):
        clinic.measures.set_program_schedule(mreyes, program_id, weekly, 8)
    with pytest.raises(DomainError, match="No measure is coded NOPE"):
        clinic.measures.set_program_schedule(admin, program_id, MeasureSchedule(("NOPE",)), 8)
    with pytest.raises(DomainError, match="1 to 104 weeks"):
        clinic.measures.set_program_schedule(admin, program_id, weekly, 0)
    before = clinic.week_measures_due(TODAY)
    clinic.measures.set_program_schedule(admin, program_id, weekly, 8)
    after = clinic.week_measures_due(TODAY)
    assert {r.code for r in before} >= {"PHQ-9", "GAD-7"}
    assert {r.code for r in after} == {"READINESS"}
    assert all(r.reason.startswith("week ") for r in after)
    assert audit(clinic, program_id)[-1] == ("settings_change", "success")
