"""`facilitator selftest`: check an installed copy without anyone watching a screen.

Given the open clinic (the command opens it: a fresh data folder is created and upgraded), runs
the main window off screen for a moment, draws it, and prints one `name: value` line per check.
Packaging smoke tests and a clinic's IT call it; it exits 0 when everything needed is there.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from io import BytesIO
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QBuffer, QEventLoop, QIODevice, QTimer, qVersion
from PySide6.QtGui import QImage, QImageReader
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from reportlab.pdfgen.canvas import Canvas

from facilitator.app import Clinic
from facilitator.diagnostics import Check, installation_report
from facilitator.documents.destination import ExportError, write_atomically
from facilitator.domain.users import SignedInUser
from facilitator.export_target import ExportTargetError, check_export_target
from facilitator.security.audit import AuditAction
from ui.application import app_icon, create_application
from ui.main_window import MainWindow
from ui.printing.pdf_print import PrintFailedError, print_pdf

EXIT_FAILED = 1
SHOW_FOR_MS = 1000
REQUIRED_IMAGE_FORMATS = ("png", "svg")


def run(
    clinic: Clinic,
    user: SignedInUser,
    screenshot: Path | None = None,
    out: TextIO | None = None,
) -> int:
    """Check the installation against the open `clinic`, signed in as `user`; return the exit
    code."""
    stream = out or sys.stdout
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window flashes on a desktop
    app = create_application()
    checks = installation_report(clinic)
    today = clinic.today()
    groups, blocks = clinic.groups(today), clinic.day_blocks(today)
    checks.append(Check("clinic", f"{len(groups)} groups, {len(blocks)} blocks today"))
    checks += _qt_checks(app.platformName())
    checks.append(_print_check())
    window = MainWindow(clinic, user)
    window.show()
    shown = QEventLoop()  # not app.exec(): quitting the application upsets its later users
    QTimer.singleShot(SHOW_FOR_MS, shown.quit)
    shown.exec()
    image = window.grab().toImage()
    window.hide()  # not close(): the off-screen geometry must not become the saved one
    window.deleteLater()
    drawn = not image.isNull() and image.width() >= 400 and image.height() >= 300
    size = f"{image.width()}x{image.height()}"
    checks.append(Check("main window", f"{window.windowTitle()}, drawn at {size}", drawn))
    if screenshot is not None and drawn:
        checks.append(_save_screenshot(clinic, user, image, screenshot))
    for check in checks:
        print(f"{check.name}: {check.value}{'' if check.ok else '  <-- FAILED'}", file=stream)
    failed = [check.name for check in checks if not check.ok]
    print(f"selftest: {'FAILED: ' + ', '.join(failed) if failed else 'passed'}", file=stream)
    return EXIT_FAILED if failed else 0


def _save_screenshot(clinic: Clinic, user: SignedInUser, image: QImage, path: Path) -> Check:
    """Save the drawn window (it shows participants' names: PHI) as a PNG readable by its user
    alone, never in the data folder nor over a special file, and audit it like an export."""
    try:
        target = check_export_target(path, clinic.data_dir, force=True)
    except ExportTargetError as error:
        return Check("screenshot", str(error), ok=False)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]  # PySide takes str
        return Check("screenshot", "not saved", ok=False)
    data = bytes(buffer.data().data())
    clinic.remember_export_folder(target.parent)  # a partial file a kill leaves is cleaned
    try:
        write_atomically(target, data, force=True)  # a private (0600) file, then renamed
    except ExportError as error:
        return Check("screenshot", str(error), ok=False)
    clinic.record_audit(
        None if user.id.int == 0 else user.id,  # the self-test's stand-in of an empty clinic
        AuditAction.EXPORT,
        object_type="screenshot",
        detail={
            "kind": "screenshot",
            "path": str(target),
            "sha256": hashlib.sha256(data).hexdigest(),
        },
    )
    return Check("screenshot", str(target))


def _qt_checks(platform_name: str) -> list[Check]:
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    missing = [name for name in REQUIRED_IMAGE_FORMATS if name not in formats]
    icon = app_icon().pixmap(64, 64)
    return [
        Check("qt", f"Qt {qVersion()}, platform {platform_name}"),
        Check(
            "image formats",
            " ".join(sorted(formats)) + (f" (missing {', '.join(missing)})" if missing else ""),
            ok=not missing,
        ),
        Check("icon", "drawn" if not icon.isNull() else "cannot be drawn", ok=not icon.isNull()),
        Check("printers", str(len(QPrinterInfo.availablePrinterNames()))),
    ]


def _print_check() -> Check:
    """Print a one-page PDF to a PDF file through the app's print code (PDFium and QPrinter)."""
    buffer = BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(72, 720, "Facilitator selftest")
    canvas.save()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder, "selftest.pdf")
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        try:
            printed = print_pdf(buffer.getvalue(), printer)
        except PrintFailedError as error:
            return Check("print", str(error), ok=False)
        made = target.is_file() and target.read_bytes().startswith(b"%PDF")
    ok = made and printed.pages == 1
    return Check("print", f"{printed.pages} page to a PDF file" if ok else "nothing printed", ok)
