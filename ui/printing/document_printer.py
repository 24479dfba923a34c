"""Print and print preview of the clinic's documents, exactly as they are exported, audited."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from facilitator.app import Clinic
from facilitator.documents.requests import DocumentRequest
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from reports.export import render
from ui.printing.pdf_print import PrintedPages, PrintFailedError, match_paper, print_pdf
from ui.widgets import fit_to_screen

PREVIEW_WIDTH, PREVIEW_HEIGHT = 900, 1000  # pixels, or the screen's size when smaller


def print_document(
    clinic: Clinic,
    user: SignedInUser,
    request: DocumentRequest,
    printer: QPrinter,
    pdf: bytes | None = None,
) -> PrintedPages:
    """Print the document `request` names (laid out now unless `pdf` is given) on `printer`,
    and write who printed what to which printer in the audit log."""
    data = pdf if pdf is not None else document_pdf(clinic, request)
    printed = print_pdf(data, printer)
    record_print(clinic, user, request, printer, printed)
    return printed


def record_print(
    clinic: Clinic,
    user: SignedInUser,
    request: DocumentRequest,
    printer: QPrinter,
    printed: PrintedPages,
) -> None:
    """The audit entry of a print: who, which document, which printer (or file), how much."""
    clinic.record_audit(
        user.id,
        AuditAction.PRINT,
        object_type=request.object_type,
        object_id=request.object_id,
        detail={
            "kind": request.kind.value,
            "printer_path": printed.destination,
            "pages": printed.pages,
            "copies": printer.copyCount(),
        },
    )


def document_pdf(clinic: Clinic, request: DocumentRequest) -> bytes:
    """The document as the export pipeline lays it out (with its Part 2 notice), unsigned."""
    return render(clinic.load_document(request)).data


class DocumentPrinter(QObject):
    """Opens the print dialog or the print preview for a document, for one window."""

    def __init__(self, clinic: Clinic, user: SignedInUser, parent: QWidget) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self._user = user
        self._window = parent

    def print_with_dialog(self, request: DocumentRequest) -> PrintedPages | None:
        """Ask for the printer and pages, then print; None when cancelled or failed."""
        pdf = self._pdf(request)
        if pdf is None:
            return None
        printer = self._printer(pdf)
        dialog = QPrintDialog(printer, self._window)
        dialog.setWindowTitle(self.tr("Print {document}").format(document=request.kind.heading))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return self._print(request, printer, pdf)

    def preview(self, request: DocumentRequest) -> PrintedPages | None:
        """Show the pages as they will print (a view of PHI: audited); printing from the preview
        is audited too."""
        pdf = self._pdf(request)
        if pdf is None:
            return None
        self._clinic.record_audit(
            self._user.id,
            AuditAction.PRINT_PREVIEW,
            object_type=request.object_type,
            object_id=request.object_id,
            detail={"kind": request.kind.value},
        )
        printer = self._printer(pdf)
        dialog = QPrintPreviewDialog(printer, self._window)
        dialog.setWindowTitle(
            self.tr("Print preview: {document}").format(document=request.kind.heading)
        )
        fit_to_screen(dialog, PREVIEW_WIDTH, PREVIEW_HEIGHT)  # a page large enough to read
        painted: list[PrintedPages] = []
        dialog.paintRequested.connect(lambda target: self._paint(pdf, target, painted))
        if dialog.exec() != QDialog.DialogCode.Accepted or not painted:
            return None
        # Accepted: the preview has printed the pages on the printer chosen from it.
        record_print(self._clinic, self._user, request, printer, painted[-1])
        return painted[-1]

    def _paint(self, pdf: bytes, printer: QPrinter, painted: list[PrintedPages]) -> None:
        try:
            painted.append(print_pdf(pdf, printer))
        except PrintFailedError as error:
            self._warn(str(error))

    def _pdf(self, request: DocumentRequest) -> bytes | None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return document_pdf(self._clinic, request)
        except DomainError as error:
            self._warn(str(error))
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def _printer(self, pdf: bytes) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        match_paper(printer, pdf)
        return printer

    def _print(
        self, request: DocumentRequest, printer: QPrinter, pdf: bytes
    ) -> PrintedPages | None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return print_document(self._clinic, self._user, request, printer, pdf)
        except (PrintFailedError, DomainError) as error:
            self._warn(str(error))
            return None
        finally:
            QApplication.restoreOverrideCursor()

    def _warn(self, message: str) -> None:
        QMessageBox.warning(self._window, self.tr("Printing"), message)


def print_actions(
    printer: DocumentPrinter,
    request: Callable[[], DocumentRequest],
    what: str,
    parent: QWidget,
    keys: tuple[str, str] = ("Ctrl+P", "Ctrl+Alt+P"),
) -> list[QAction]:
    """ "Print {what}…" and "Print preview of {what}…" for a menu, with `keys` (print,
    preview)."""
    actions = []
    for text, shortcut, slot in (
        (parent.tr("&Print {what}…"), keys[0], printer.print_with_dialog),
        (parent.tr("Print pre&view of {what}…"), keys[1], printer.preview),
    ):
        action = QAction(text.format(what=what), parent)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _=False, show=slot: show(request()))
        actions.append(action)
    return actions
