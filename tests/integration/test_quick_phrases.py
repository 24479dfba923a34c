"""Quick phrases: shipped by default, edited per clinic, restored on request."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.app import Clinic, open_clinic
from facilitator.content import note_templates
from facilitator.domain.errors import DomainError


@pytest.fixture
def clinic(tmp_path: Path) -> Iterator[Clinic]:
    opened = open_clinic(tmp_path)
    yield opened
    opened.close()


def test_shipped_phrases_until_the_clinic_edits_them(clinic: Clinic) -> None:
    phrases = clinic.quick_phrases
    shipped = next(f for f in note_templates()["GIRP"].fields if f.key == "plan").quick_phrases
    assert phrases.phrases("GIRP", "plan") == shipped and shipped

    stored = phrases.set_phrases(
        "GIRP", "plan", ["  Continue IOP as scheduled. ", "", "Refer to PCP"]
    )
    assert stored == ("Continue IOP as scheduled.", "Refer to PCP")
    assert phrases.phrases("GIRP", "plan") == stored
    assert phrases.all_for("GIRP")["plan"] == stored
    assert phrases.phrases("GIRP", "goal") != stored  # other fields keep theirs
    assert phrases.phrases("DAP", "plan") != stored  # other templates too

    assert phrases.restore_shipped("GIRP", "plan") == shipped
    assert phrases.phrases("GIRP", "plan") == shipped


def test_unknown_fields_and_long_phrases_are_refused(clinic: Clinic) -> None:
    phrases = clinic.quick_phrases
    with pytest.raises(DomainError, match="no field"):
        phrases.set_phrases("GIRP", "subjective", ["x"])
    with pytest.raises(DomainError, match="no note template"):
        phrases.set_phrases("XYZ", "plan", ["x"])
    with pytest.raises(DomainError, match="at most"):
        phrases.set_phrases("GIRP", "plan", ["x" * 501])
    assert phrases.phrases("GIRP", "plan")[0] != "x"  # nothing was stored
