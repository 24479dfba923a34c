"""How far a note has come, when it must stand out for risk, and when one is due at all."""

from __future__ import annotations

import pytest

from facilitator.domain.attendance import AttendanceStatus, note_due
from facilitator.domain.notes import (
    NoteProgress,
    NoteStatus,
    NoteTemplate,
    TemplateField,
    note_progress,
    risk_raised,
)

GIRP = NoteTemplate(
    code="GIRP",
    name="Goal, Intervention, Response, Plan",
    description="",
    fields=(
        TemplateField("goal", "Goal", "", required=True),
        TemplateField("intervention", "Intervention", "", required=True),
        TemplateField("response", "Response", "", required=True),
        TemplateField("plan", "Plan", "", required=True),
        TemplateField("additional", "Additional comments", "", required=False),
    ),
)
COMPLETE = {
    "goal": "Reduce use",
    "intervention": "Psychoeducation on triggers",
    "response": "Named two triggers",
    "plan": "Practise urge surfing",
}
LOCKED = [
    NoteStatus.SIGNED,
    NoteStatus.AWAITING_COSIGN,
    NoteStatus.RETURNED,
    NoteStatus.COSIGNED,
]
EDITABLE = [NoteStatus.DRAFT]


def without(key: str) -> dict[str, str]:
    return {k: v for k, v in COMPLETE.items() if k != key}


def test_no_note_yet_is_due() -> None:
    assert note_progress(GIRP, None, {}) is NoteProgress.DUE
    # Even values passed alongside do not make a missing note anything but due.
    assert note_progress(GIRP, None, COMPLETE) is NoteProgress.DUE


@pytest.mark.parametrize("status", EDITABLE)
def test_empty_draft_is_drafted(status: NoteStatus) -> None:
    assert note_progress(GIRP, status, {}) is NoteProgress.DRAFTED


@pytest.mark.parametrize("status", EDITABLE)
@pytest.mark.parametrize("missing", ["goal", "intervention", "response", "plan"])
def test_draft_missing_a_required_field_is_drafted(status: NoteStatus, missing: str) -> None:
    assert note_progress(GIRP, status, without(missing)) is NoteProgress.DRAFTED


@pytest.mark.parametrize("blank", ["", "   ", "\n\t"])
def test_blank_required_field_counts_as_missing(blank: str) -> None:
    values = {**COMPLETE, "response": blank}
    assert note_progress(GIRP, NoteStatus.DRAFT, values) is NoteProgress.DRAFTED


@pytest.mark.parametrize("status", EDITABLE)
def test_draft_with_every_required_field_is_complete(status: NoteStatus) -> None:
    assert note_progress(GIRP, status, COMPLETE) is NoteProgress.COMPLETE


def test_optional_field_is_not_needed_for_complete() -> None:
    assert "additional" not in COMPLETE
    assert note_progress(GIRP, NoteStatus.DRAFT, COMPLETE) is NoteProgress.COMPLETE
    values = {**COMPLETE, "additional": "Coordination of care with prescriber"}
    assert note_progress(GIRP, NoteStatus.DRAFT, values) is NoteProgress.COMPLETE


@pytest.mark.parametrize("status", LOCKED)
@pytest.mark.parametrize("values", [COMPLETE, {}], ids=["complete", "empty"])
def test_locked_note_is_signed_whatever_its_fields(
    status: NoteStatus, values: dict[str, str]
) -> None:
    assert note_progress(GIRP, status, values) is NoteProgress.SIGNED


def test_every_status_maps_to_one_progress() -> None:
    expected = {
        NoteStatus.DRAFT: NoteProgress.COMPLETE,
        NoteStatus.RETURNED: NoteProgress.SIGNED,
        NoteStatus.SIGNED: NoteProgress.SIGNED,
        NoteStatus.AWAITING_COSIGN: NoteProgress.SIGNED,
        NoteStatus.COSIGNED: NoteProgress.SIGNED,
    }
    assert set(expected) == set(NoteStatus)
    assert {s: note_progress(GIRP, s, COMPLETE) for s in NoteStatus} == expected


NO_RISK: dict[str, object] = {
    "suicidal_ideation": False,
    "homicidal_ideation": False,
    "use_since_last_session": False,
    "craving": 0,
}


def test_no_flags_is_no_risk() -> None:
    assert not risk_raised(NO_RISK)
    assert not risk_raised({})


@pytest.mark.parametrize(
    "flag", ["suicidal_ideation", "homicidal_ideation", "use_since_last_session"]
)
def test_each_flag_raises_risk(flag: str) -> None:
    assert risk_raised({**NO_RISK, flag: True})
    assert risk_raised({flag: True})  # the others missing altogether


@pytest.mark.parametrize(
    ("craving", "raised"),
    [(0, False), (6, False), (7, True), (8, True), (10, True), (None, False)],
)
def test_craving_of_seven_or_more_raises_risk(craving: int | None, raised: bool) -> None:
    assert risk_raised({**NO_RISK, "craving": craving}) is raised


def test_craving_missing_is_no_risk() -> None:
    flags = {k: v for k, v in NO_RISK.items() if k != "craving"}
    assert not risk_raised(flags)


@pytest.mark.parametrize(
    ("status", "due"),
    [
        (AttendanceStatus.PRESENT, True),
        (AttendanceStatus.LATE, True),
        (AttendanceStatus.LEFT_EARLY, True),
        (AttendanceStatus.ABSENT_EXCUSED, False),
        (AttendanceStatus.ABSENT_UNEXCUSED, False),
    ],
)
def test_note_due_for_those_who_attended(status: AttendanceStatus, due: bool) -> None:
    assert note_due(status, removed=False) is due


@pytest.mark.parametrize("status", list(AttendanceStatus))
def test_no_note_due_for_someone_removed(status: AttendanceStatus) -> None:
    assert note_due(status, removed=True) is False
