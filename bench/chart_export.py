"""Export a participant's 12-week chart to a PDF file and time it (target: under 1 s median).

    python -m bench.chart_export --data-dir DIR [--repeat 20] [--weeks 12]

Run it on a clinic made by `python -m bench.generate_history` (or a demo clinic): it takes the
participant with the most attendance and the last 12 weeks they attended, and exports their
chart (signed notes, measure and attendance trend plots) through reports.export.export_document
as the app does, unsigned: load the records, lay out, write atomically, audit. Beside the total
it shows the load and the layout on their own, and each median's CPU time (on a busy machine
the wall clock includes waiting for other programs; the CPU time does not). `bench.run` shows
the same export in its table. The files go to a temporary folder inside the data folder (PHI
stays beside the database); the benchmark adds EXPORT entries to the audit log, so run it on a
generated or demo clinic, never on real records.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bench.timing import HEADER, Result, timed
from facilitator.app import Clinic, open_clinic
from facilitator.cli.passphrase import terminal_passphrase
from facilitator.documents.requests import ChartRequest
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.database_key import default_key_store
from facilitator.storage.models import Attendance, Block, Clinician, GroupSession
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document, render

TARGET_MS = 1000
WEEKS = 12


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = Path(args.data_dir).expanduser().resolve()
    clinic = open_clinic(data_dir, default_key_store(data_dir, terminal_passphrase(data_dir)))
    try:
        results = measure_chart_export(
            clinic, _any_clinician(clinic), data_dir, args.repeat, args.weeks, stages=True
        )
    finally:
        clinic.close()
    print(HEADER)
    for result in results:
        print(result.line())
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.chart_export", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--data-dir", required=True, metavar="DIR")
    parser.add_argument("--repeat", type=int, default=20, help="samples per measurement")
    parser.add_argument("--weeks", type=int, default=WEEKS, help=f"weeks (default {WEEKS})")
    return parser


def measure_chart_export(
    clinic: Clinic,
    user: SignedInUser,
    data_dir: Path,
    repeat: int,
    weeks: int = WEEKS,
    stages: bool = False,
) -> list[Result]:
    """Export the last `weeks` of the most-attended participant's chart `repeat` times (after
    one cold run, left out); with `stages`, the load and the layout timed apart too."""
    found = _most_attended(clinic)
    if found is None:
        return [Result("chart export", [], None, "no attendance in this clinic")]
    participant, last = found
    request = ChartRequest(participant, last - timedelta(weeks=weeks) + timedelta(days=1), last)
    wall, cpu = [], []
    with tempfile.TemporaryDirectory(dir=data_dir) as folder:
        path = Path(folder) / "chart.pdf"
        for attempt in range(repeat + 1):  # the first is cold (fonts loaded): left out
            took, on_cpu = timed(lambda: export_document(clinic, user, request, path))
            if attempt:
                wall.append(took)
                cpu.append(on_cpu)
        size = path.stat().st_size
    document = clinic.load_document(request)
    pages = render(document).pages
    results = [
        Result(
            f"export: {weeks}-week participant chart",
            wall,
            TARGET_MS,
            f"{pages} pages, {len(document.signed_items())} signed items, {size // 1024} KiB",
            cpu,
        )
    ]
    if stages:
        for name, action in (
            ("  of which: load the records", lambda: clinic.load_document(request)),
            ("  of which: lay out (participant_chart)", lambda: render(document)),
        ):
            samples = [timed(action) for _ in range(repeat)]
            results.append(Result(name, [s[0] for s in samples], cpu=[s[1] for s in samples]))
    return results


def _most_attended(clinic: Clinic) -> tuple[uuid.UUID, date] | None:
    """The participant with the most attendance, and the last day they attended."""
    with unit_of_work(clinic.database) as session:
        found = session.execute(
            select(Attendance.participant_id, func.count())
            .group_by(Attendance.participant_id)
            .order_by(func.count().desc())
            .limit(1)
        ).first()
        if found is None:
            return None
        last = session.scalar(
            select(func.max(GroupSession.day))
            .join(Block, Block.session_id == GroupSession.id)
            .join(Attendance, Attendance.block_id == Block.id)
            .where(Attendance.participant_id == found[0])
        )
    assert last is not None
    return found[0], last


def _any_clinician(clinic: Clinic) -> SignedInUser:
    """The first clinician by name, signed in without a password as the exporting user."""
    with unit_of_work(clinic.database) as session:
        row = session.scalars(select(Clinician).order_by(Clinician.username).limit(1)).one()
        return SignedInUser(
            row.id,
            row.username,
            row.display_name,
            row.credentials,
            Role(row.role),
            row.needs_cosignature,
        )


if __name__ == "__main__":
    sys.exit(main())
