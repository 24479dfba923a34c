"""Export a document from a window: a save dialog, the export off the UI thread, progress."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from facilitator.app import Clinic
from facilitator.documents.requests import DocumentRequest
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from reports.export import ExportResult, Progress, Signer, export_document
from reports.pdf_signature import pdf_signer
from ui.background import BackgroundWorker


class DocumentExporter(QObject):
    """One window's exports. `export` asks where to save (and, for a document that shows
    signed notes, the password that unlocks the clinician's signing key: only such a document
    carries a PDF signature), then runs the export on the global QThreadPool with a progress
    dialog; the worker loads the records in its own unit of work and never touches a widget."""

    exported = Signal(object)  # ExportResult
    export_failed = Signal(str)

    def __init__(self, clinic: Clinic, user: SignedInUser, window: QWidget) -> None:
        super().__init__(window)
        self._clinic = clinic
        self._user = user
        self._window = window
        self._progress: QProgressDialog | None = None
        self.worker: BackgroundWorker[ExportResult] | None = None  # the export under way

    def action(
        self, text: str, keys: str, request: Callable[[], DocumentRequest | None], name: str
    ) -> QAction:
        """A menu action that exports what `request` returns (None: nothing, e.g. cancelled),
        suggesting a file name made from `name`."""
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(keys))
        action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({keys})")
        action.triggered.connect(lambda _=False: self._on_action_triggered(request, name))
        return action

    def _on_action_triggered(
        self, request: Callable[[], DocumentRequest | None], name: str
    ) -> None:
        wanted = request()
        if wanted is not None:
            self.export(wanted, name)

    def export(self, request: DocumentRequest, name: str) -> None:
        """Ask for the file, then export `request` to it in the background."""
        if self.worker is not None:
            QMessageBox.information(
                self._window, self.tr("Export"), self.tr("An export is still being written.")
            )
            return
        asked = self._ask_path(request, name)
        if asked is None:
            return
        path, confirmed = asked
        signer: Signer | None = None
        if self._clinic.documents.shows_signed_notes(request):  # one quick query
            password = self._ask_password()
            if password is None:
                return
            signer = self._signer(password)
        clinic, user = self._clinic, self._user

        def job(progress: Progress) -> ExportResult:
            return export_document(clinic, user, request, path, signer, progress, confirmed)

        self.worker = BackgroundWorker(job)
        self.worker.signals.progressed.connect(self._on_worker_progressed)
        self.worker.signals.finished.connect(self._on_worker_finished)
        self.worker.signals.failed.connect(self._on_worker_failed)
        self._show_progress(request.kind.heading)
        self.worker.start()

    def _ask_path(self, request: DocumentRequest, name: str) -> tuple[Path, bool] | None:
        """The file chosen, and whether the save dialog confirmed replacing it (it asks itself
        when the file exists: that is what lets the export replace it)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        suggested = re.sub(r"[^\w.-]+", "-", f"{request.kind.heading} {name}").strip("-")
        chosen, _ = QFileDialog.getSaveFileName(
            self._window,
            self.tr("Export {document}").format(document=request.kind.heading.lower()),
            str(Path(folder) / f"{suggested}.pdf"),
            self.tr("PDF documents (*.pdf)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() == ".pdf":
            return path, True
        return path.with_name(path.name + ".pdf"), False  # a name the dialog did not check

    def _ask_password(self) -> str | None:
        password, accepted = QInputDialog.getText(
            self._window,
            self.tr("Sign the PDF"),
            self.tr(
                "Signed notes in this document are exported in a PDF signed with your key.\n"
                "Password for {name}:"
            ).format(name=self._user.username),
            QLineEdit.EchoMode.Password,
        )
        return password if accepted and password else None

    def _signer(self, password: str) -> Signer:
        """Signs with the clinician's key, unlocked in the worker only if the PDF needs it."""
        clinic, user = self._clinic, self._user

        def sign(pdf: bytes) -> bytes:
            return pdf_signer(clinic.signing_identity(user, password))(pdf)

        return sign

    def _show_progress(self, what: str) -> None:
        progress = QProgressDialog(self._window)
        progress.setWindowTitle(self.tr("Export {document}").format(document=what.lower()))
        progress.setLabelText(self.tr("Starting…"))
        progress.setRange(0, 100)
        progress.setCancelButton(None)  # a half-written export would leave nothing to keep
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setValue(0)
        self._progress = progress

    def _close_progress(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self.worker = None

    def _on_worker_progressed(self, stage: str, percent: int) -> None:
        if self._progress is not None:
            self._progress.setLabelText(self.tr(stage) + "…")
            self._progress.setValue(percent)

    def _on_worker_finished(self, result: ExportResult) -> None:
        self._close_progress()
        signed = self.tr(", signed") if result.signed else ""
        pages = self.tr("1 page") if result.pages == 1 else self.tr("%n pages", "", result.pages)
        message = self.tr("Exported {document} ({pages}{signed}) to {path}").format(
            document=result.kind.heading.lower(),
            pages=pages,
            signed=signed,
            path=result.path,
        )
        if isinstance(self._window, QMainWindow):
            self._window.statusBar().showMessage(message, 15000)
        self.exported.emit(result)

    def _on_worker_failed(self, message: str) -> None:
        self._close_progress()
        QMessageBox.warning(self._window, self.tr("Export failed"), message)
        self.export_failed.emit(message)


def not_found(window: QWidget, error: DomainError) -> None:
    """Tell the user why there is nothing to export."""
    QMessageBox.information(window, window.tr("Export"), str(error))
