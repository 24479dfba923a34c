"""A SIGKILL between writing an export's hidden partial PDF and its rename leaves that file
(complete, with PHI) in the export folder; the next start removes it and audits the count."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from facilitator.app import open_clinic
from facilitator.leftovers import EXPORT_PART
from facilitator.storage.models import AuditEvent
from facilitator.storage.unit_of_work import unit_of_work
from tests.crash.test_kill_while_typing import ROOT, child_env, real_key_store, run_child


@pytest.fixture(scope="module")
def clinic_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("export-crash-clinic")
    run_child(
        "-m", "facilitator.cli.main", "--data-dir", str(folder), "demo", "--today", "2026-11-23"
    )
    yield folder


@pytest.mark.usefixtures(real_key_store.__name__)
def test_a_partial_export_left_by_a_sigkill_is_removed_at_the_next_start(
    clinic_folder: Path, tmp_path: Path
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "keep-me.part").write_text("not ours: a name of another shape")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.crash.exporter", str(clinic_folder), str(exports / "r.pdf")],
        env=child_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == "written", child.stderr.read() if child.stderr else ""
    child.send_signal(signal.SIGKILL)
    child.wait()
    [partial] = [p for p in exports.iterdir() if EXPORT_PART.match(p.name)]
    assert partial.name.startswith(".r.pdf.") and partial.read_bytes().startswith(b"%PDF-")
    assert b"%%EOF" in partial.read_bytes()[-64:]  # complete: the PHI a crash leaves behind
    assert not (exports / "r.pdf").exists()

    clinic = open_clinic(clinic_folder)  # the next start
    try:
        with unit_of_work(clinic.database) as session:
            entry = session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "cleanup")
                .order_by(AuditEvent.sequence.desc())
            ).first()
    finally:
        clinic.close()
    assert sorted(p.name for p in exports.iterdir()) == ["keep-me.part"]
    assert entry is not None and entry.clinician_id is None
    assert entry.detail == {"export_parts": 1, "backup_partials": 0}
