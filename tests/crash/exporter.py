"""A child process for crash tests: exports a report and stops, the PDF written, before its
rename, until it is killed.

    python -m tests.crash.exporter DATA_DIR OUT.pdf

Prints "written" once the hidden partial PDF is complete and flushed to the disk.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from facilitator.documents import destination
from facilitator.documents.requests import AttendanceReportRequest
from reports import export
from tests.crash.runner_typist import open_demo
from tests.users import signed_in


def _stop_before_rename(_path: Path, _force: bool) -> None:
    print("written", flush=True)
    time.sleep(120)


def main() -> int:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    clinic = open_demo(folder)
    user = signed_in(clinic.database, "mreyes")
    destination._recheck = _stop_before_rename  # the last step before the rename
    request = AttendanceReportRequest(date(2026, 11, 2), date(2026, 11, 20), None)
    export.export_document(clinic, user, request, out)
    return 1  # never reached: killed while waiting


if __name__ == "__main__":
    sys.exit(main())
