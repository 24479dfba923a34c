"""Print an exported PDF exactly as it is: each page drawn by PDFium, painted on a QPrinter.

PySide6-Essentials has no QtPdf, so the pages are rasterized (pypdfium2) at the printer's
resolution, up to MAX_DPI, and scaled to fit the paper without distortion. Needs no clinic:
the print preview, the print actions and the tests all call it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium
from PySide6.QtCore import QCoreApplication, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

MAX_DPI = 300  # enough for 8-point text; 600 dpi would quadruple memory and spool size
POINTS_PER_INCH = 72


class PrintFailedError(Exception):
    """The printer could not be used, or the document could not be read; says which."""


@dataclass(frozen=True)
class PrintedPages:
    """What went to the printer: how many pages, on which printer (or file)."""

    pages: int
    destination: str


def print_pdf(pdf: bytes, printer: QPrinter) -> PrintedPages:
    """Paint the pages of `pdf` (those in the printer's page range) onto `printer`."""
    try:
        document = pdfium.PdfDocument(pdf)
    except pdfium.PdfiumError as error:
        raise PrintFailedError(_tr("The document could not be read for printing.")) from error
    try:
        first, last = printer.fromPage(), printer.toPage()
        indexes = range(len(document))
        if first > 0:
            indexes = range(first - 1, min(last or len(document), len(document)))
        printer.setFullPage(True)  # the PDF has its own margins
        painter = QPainter()
        if not painter.begin(printer):
            raise PrintFailedError(
                _tr("The printer {name} could not be opened.").format(name=_destination(printer))
            )
        try:
            for count, index in enumerate(indexes):
                if count and not printer.newPage():
                    raise PrintFailedError(_tr("The printer stopped taking pages."))
                _paint_page(painter, printer, document[index])
        finally:
            painter.end()
        return PrintedPages(len(indexes), _destination(printer))
    finally:
        document.close()


def match_paper(printer: QPrinter, pdf: bytes) -> None:
    """Set `printer`'s paper to the size and orientation of the first page of `pdf`."""
    document = pdfium.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    portrait = QSizeF(min(width, height), max(width, height))  # paper sizes are portrait
    size = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = (
        QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    )
    printer.setPageSize(size)
    printer.setPageOrientation(orientation)


def _paint_page(painter: QPainter, printer: QPrinter, page: pdfium.PdfPage) -> None:
    width, height = page.get_size()
    area = QRectF(0, 0, printer.width(), printer.height())
    scale = min(area.width() / width, area.height() / height)  # device pixels per point
    target = QRectF(0, 0, width * scale, height * scale)
    target.moveCenter(area.center())
    render_scale = min(scale, MAX_DPI / POINTS_PER_INCH)
    bitmap = page.render(scale=render_scale, prefer_bgrx=True, rev_byteorder=True)
    image = QImage(
        bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
    )
    painter.drawImage(target, image)
    bitmap.close()


def _destination(printer: QPrinter) -> str:
    return printer.outputFileName() or printer.printerName()


def _tr(text: str) -> str:
    return QCoreApplication.translate("print_pdf", text)
