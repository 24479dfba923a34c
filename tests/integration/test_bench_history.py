"""The benchmark's history generator writes a clinic the app reads like its own."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bench import generate_history
from facilitator.app import open_clinic
from facilitator.domain.notes import content_hash
from facilitator.services.notes_content import canonical_note_content
from facilitator.storage.models import ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work

TODAY = date(2026, 11, 23)


@pytest.mark.slow
def test_a_year_of_history_opens_in_the_app(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["--data-dir", str(tmp_path), "--years", "1", "--groups", "1"]
    assert generate_history.main([*arguments, "--today", TODAY.isoformat()]) == 0
    assert "rows/s" in capsys.readouterr().out

    clinic = open_clinic(tmp_path)
    try:
        (session_id,) = {row.session_id for row in clinic.day_blocks(TODAY)}
        sheet = clinic.runner.sheet(session_id)
        assert [len(block.roster) for block in sheet.blocks] == [15, 15, 15]
        assert all(e.attendance is None for b in sheet.blocks for e in b.roster)
        with unit_of_work(clinic.database) as session:
            notes = session.scalar(select(func.count()).select_from(ParticipantNote))
            note = session.scalars(select(ParticipantNote).limit(1)).one()
            assert note.content_hash == content_hash(canonical_note_content(note))
            assert {s.content_hash for s in note.signatures} == {note.content_hash}
        assert notes is not None and notes > 5000
        # A second run refuses to write into a clinic that already has records.
        assert generate_history.main(arguments) == 2
    finally:
        clinic.close()
