"""Printing the session record through the app's print code: to a PDF file, and for real through
CUPS to a cups-pdf queue, then reading back what came out of the printer."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PySide6.QtGui import QAction, QImage
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from facilitator.app import Clinic
from facilitator.documents.requests import SessionRecordRequest
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from facilitator.storage.models import AuditEvent, GroupSession
from facilitator.storage.unit_of_work import unit_of_work
from ui.printing.document_printer import document_pdf, print_document
from ui.printing.pdf_print import PrintFailedError, match_paper, print_pdf
from ui.runner.session_runner_window import SessionRunnerWindow

QUEUE = "Facilitator_Test_PDF"
CUPS_PDF_BACKEND = Path("/usr/lib/cups/backend/cups-pdf")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
MAX_MEAN_DIFFERENCE = 8  # of 255, per pixel: rasterized and scaled, the same page stays close


@pytest.fixture
def record(clinic: Clinic) -> tuple[SessionRecordRequest, str, bytes]:
    """The latest past session of the demo's first group: request, group name, exported PDF."""
    with unit_of_work(clinic.database) as session:
        row = session.scalars(
            select(GroupSession).order_by(GroupSession.day.desc()).offset(2).limit(1)
        ).one()
        request, group = SessionRecordRequest(row.id), row.group.name
    return request, group, document_pdf(clinic, request)


def test_printing_to_a_file_gives_the_exported_pages(
    qapp: object,
    clinic: Clinic,
    user: SignedInUser,
    record: tuple[SessionRecordRequest, str, bytes],
    tmp_path: Path,
) -> None:
    request, _group, pdf = record
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    match_paper(printer, pdf)

    printed = print_document(clinic, user, request, printer, pdf)

    assert printed.pages == page_count(pdf) > 1
    assert_same_pages(pdf, (tmp_path / "printed.pdf").read_bytes())
    assert last_print(clinic)["printer_path"] == str(tmp_path / "printed.pdf")


def test_a_page_range_prints_only_those_pages(
    qapp: object, record: tuple[SessionRecordRequest, str, bytes], tmp_path: Path
) -> None:
    _request, _group, pdf = record
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "page-2.pdf"))
    printer.setFromTo(2, 2)

    assert print_pdf(pdf, printer).pages == 1
    assert page_count((tmp_path / "page-2.pdf").read_bytes()) == 1


def test_a_damaged_document_is_refused_before_printing(qapp: object, tmp_path: Path) -> None:
    printer = QPrinter()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "never.pdf"))
    with pytest.raises(PrintFailedError, match="could not be read"):
        print_pdf(b"%PDF-1.4 truncated", printer)
    assert not (tmp_path / "never.pdf").exists()


def test_the_runner_offers_print_and_preview_with_shortcuts(
    qtbot: QtBot,
    clinic: Clinic,
    user: SignedInUser,
    record: tuple[SessionRecordRequest, str, bytes],
) -> None:
    window = SessionRunnerWindow(clinic, user, uuid.UUID(record[0].object_id))
    qtbot.addWidget(window)
    actions = {a.text(): a.shortcut().toString() for a in window.findChildren(QAction)}
    assert actions["&Print session record…"] == "Ctrl+P"
    assert actions["Print pre&view of session record…"] == "Ctrl+Alt+P"


@pytest.fixture(scope="module")
def cups_queue() -> Iterator[str]:
    """A cups-pdf print queue; cupsd is started (and stopped again) when it is not running."""
    tools = [
        tool
        for tool in ("cupsd", "lpadmin", "lpstat", "tesseract", "pdftoppm")
        if not shutil.which(tool)
    ]
    files = [str(path) for path in (CUPS_PDF_BACKEND, CUPS_PDF_PPD) if not path.exists()]
    if tools or files:
        pytest.skip(
            f"no CUPS with cups-pdf here (missing: {', '.join(tools + files)}); "
            "scripts/bootstrap.sh dev installs them"
        )
    started = None
    if not scheduler_running():
        started = subprocess.Popen(["cupsd", "-f"], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while not scheduler_running():
            assert time.monotonic() < deadline, "cupsd did not start"
            time.sleep(0.2)
    subprocess.run(
        ["lpadmin", "-p", QUEUE, "-v", "cups-pdf:/", "-P", str(CUPS_PDF_PPD), "-E"],
        check=True,
        capture_output=True,
    )
    yield QUEUE
    if started is not None:
        started.terminate()
        started.wait(timeout=20)


def scheduler_running() -> bool:
    result = subprocess.run(["lpstat", "-r"], capture_output=True, text=True)
    return result.returncode == 0 and "is running" in result.stdout


def cups_pdf_folder() -> Path:
    """Where cups-pdf writes this user's jobs (Out in cups-pdf.conf, ${HOME} from passwd)."""
    setting = "${HOME}/PDF"
    for line in CUPS_PDF_CONF.read_text(encoding="utf-8").splitlines():
        if line.startswith("Out "):
            setting = line.split(None, 1)[1].strip()
    home = pwd.getpwuid(os.getuid()).pw_dir
    return Path(setting.replace("${HOME}", home))


@pytest.mark.cups
def test_a_session_record_prints_through_cups(
    qapp: object,
    cups_queue: str,
    clinic: Clinic,
    user: SignedInUser,
    record: tuple[SessionRecordRequest, str, bytes],
) -> None:
    request, group, pdf = record
    info = QPrinterInfo.printerInfo(cups_queue)
    assert info.printerName() == cups_queue  # Qt sees the system's queue
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    job = f"facilitator-print-test-{uuid.uuid4().hex[:12]}"
    printer.setDocName(job)
    match_paper(printer, pdf)

    printed = print_document(clinic, user, request, printer)

    output = wait_for_job_output(cups_pdf_folder(), job)
    try:
        data = output.read_bytes()
        assert page_count(data) == printed.pages == page_count(pdf)
        rotation = assert_same_pages(pdf, data)
        text = ocr_first_page(output, rotation)
        for expected in ("session record", group.lower(), "42 cfr part 2"):
            assert expected in text, f"{expected!r} not read on the printed page:\n{text}"
    finally:
        output.unlink()
    assert last_print(clinic)["printer_path"] == cups_queue


def wait_for_job_output(folder: Path, job: str, timeout: float = 120) -> Path:
    """The PDF cups-pdf wrote for `job`, once the queue has finished with it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = subprocess.run(["lpstat", "-o", QUEUE], capture_output=True, text=True).stdout
        found = sorted(folder.glob(f"{job}*.pdf")) if folder.is_dir() else []
        if found and not busy.strip():
            return found[0]
        time.sleep(0.5)
    raise AssertionError(f"no PDF for {job} in {folder} after {timeout} s")


def ocr_first_page(path: Path, rotation: int) -> str:
    """What can be read on page 1 of the printed PDF turned upright (tesseract), lowercased,
    spaces folded."""
    document = pdfium.PdfDocument(path.read_bytes())
    try:
        bitmap = document[0].render(
            scale=200 / 72, rotation=rotation, force_bitmap_format=pdfium_c.FPDFBitmap_Gray
        )
        image = QImage(
            bitmap.buffer,
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_Grayscale8,
        )
        png = path.with_suffix(".png")
        assert image.save(str(png))
    finally:
        document.close()
    try:
        result = subprocess.run(
            ["tesseract", str(png), "-"], check=True, capture_output=True, text=True
        )
    finally:
        png.unlink()
    return re.sub(r"\s+", " ", result.stdout).lower()


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def assert_same_pages(original: bytes, printed: bytes) -> int:
    """Each printed page looks like the original's page (and not like another page), once
    turned as the printer turned it (a landscape page on portrait paper); returns the turn."""
    first = grey_pages(original)
    rotation = min(
        (0, 90, 270),
        key=lambda turn: mean_difference(first[0], grey_pages(printed, turn, last=1)[0]),
    )
    second = grey_pages(printed, rotation)
    assert len(first) == len(second)
    for index, (want, got) in enumerate(zip(first, second, strict=True)):
        assert mean_difference(want, got) < MAX_MEAN_DIFFERENCE, f"page {index + 1} differs"
    assert mean_difference(first[0], second[-1]) > mean_difference(first[0], second[0])
    return rotation


def grey_pages(
    pdf: bytes, rotation: int = 0, last: int | None = None, width: int = 400, block: int = 4
) -> list[list[float]]:
    """Each page (turned by `rotation` degrees) `width` pixels wide in grey, as the mean of each
    `block` x `block` square: coarse enough that raster and vector text of the same page
    agree, fine enough to tell lines and columns apart."""
    document = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for index in range(last or len(document)):
            page = document[index]
            across = page.get_size()[1 if rotation in (90, 270) else 0]
            bitmap = page.render(
                scale=width / across,
                rotation=rotation,
                force_bitmap_format=pdfium_c.FPDFBitmap_Gray,
            )
            pixels, stride = bytes(bitmap.buffer), bitmap.stride
            pages.append(
                [
                    sum(
                        sum(pixels[(top + y) * stride + left : (top + y) * stride + left + block])
                        for y in range(block)
                    )
                    / block**2
                    for top in range(0, bitmap.height - block + 1, block)
                    for left in range(0, bitmap.width - block + 1, block)
                ]
            )
        return pages
    finally:
        document.close()


def mean_difference(first: list[float], second: list[float]) -> float:
    if len(first) != len(second):  # pages of another shape: as different as can be
        return 255.0
    return sum(abs(a - b) for a, b in zip(first, second, strict=True)) / len(first)


def last_print(clinic: Clinic) -> dict[str, object]:
    with unit_of_work(clinic.database) as session:
        event = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == AuditAction.PRINT.value)
            .order_by(AuditEvent.sequence.desc())
            .limit(1)
        ).one()
        return dict(event.detail)
