"""The export pipeline: load a document, lay it out, sign it, write it safely, audit it.

    export_document(clinic, user, request, Path("chart.pdf"), signer=...)

1. the destination is checked first (facilitator.export_target: an existing folder we may
   write in, outside the data folder, no special file, no existing file unless `force`), so a
   typo costs nothing; its folder is remembered, so that a partial file a crash leaves there
   is removed at the next start;
2. the content is loaded through facilitator.documents in its own unit of work;
3. it is laid out by the document's module in reports/;
4. when it shows signed notes (or a signed discharge summary) and a signer hook is given, the
   PDF is signed (PAdES);
5. it is written atomically: a hidden temporary file in the destination folder (never /tmp,
   so no PHI lands elsewhere), flushed to the disk, then renamed over the destination;
6. the export is audited (EXPORT: who, kind, object id, destination path, pages, the period
   a chart or attendance report covers, and the SHA-256 of the file written, which
   `facilitator verify` compares byte for byte). Should the audit entry fail, the file is
   removed again: there is no export without its entry.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from facilitator.documents.attendance_report import AttendanceReportDocument
from facilitator.documents.common import DocumentKind
from facilitator.documents.destination import ExportError, write_atomically
from facilitator.documents.discharge_summary import DischargeSummaryDocument
from facilitator.documents.participant import ParticipantChartDocument, ParticipantNoteDocument
from facilitator.documents.requests import Document, DocumentRequest
from facilitator.documents.session import SessionRecordDocument, SignInSheetDocument
from facilitator.domain.users import SignedInUser
from facilitator.export_target import check_export_target
from facilitator.security.audit import AuditAction, DetailValue
from reports import (
    attendance_report,
    discharge_summary,
    participant_chart,
    participant_note,
    session_record,
    sign_in_sheet,
)
from reports.layout import RenderedPdf

__all__ = ["ExportError", "ExportResult", "export_document", "render"]

Signer = Callable[[bytes], bytes]
Progress = Callable[[str, int], None]  # what is happening, percent done


@dataclass(frozen=True)
class ExportResult:
    path: Path
    pages: int
    document_id: uuid.UUID
    kind: DocumentKind
    signed: bool  # carries a PDF signature


class DocumentSource(Protocol):
    """What the pipeline needs of the clinic (facilitator.app.Clinic is one)."""

    @property
    def data_dir(self) -> Path: ...

    def remember_export_folder(self, folder: Path) -> None: ...

    def load_document(self, request: DocumentRequest) -> Document: ...

    def keep_receipt(
        self, document_id: uuid.UUID, items: Sequence[tuple[str, str]], sha256: str
    ) -> None: ...

    def record_audit(
        self,
        actor: uuid.UUID | None,
        action: AuditAction,
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        outcome: str = "success",
        detail: Mapping[str, DetailValue] | None = None,
    ) -> None: ...


_BUILDERS: dict[type[Any], Callable[[Any], RenderedPdf]] = {
    ParticipantNoteDocument: participant_note.build,
    ParticipantChartDocument: participant_chart.build,
    SessionRecordDocument: session_record.build,
    SignInSheetDocument: sign_in_sheet.build,
    AttendanceReportDocument: attendance_report.build,
    DischargeSummaryDocument: discharge_summary.build,
}


def render(document: Document) -> RenderedPdf:
    """The document laid out as a PDF (unsigned)."""
    return _BUILDERS[type(document)](document)


def export_document(
    source: DocumentSource,
    user: SignedInUser,
    request: DocumentRequest,
    destination: Path,
    signer: Signer | None = None,
    progress: Progress | None = None,
    force: bool = False,
) -> ExportResult:
    """Export one document to `destination` as `user`; ExportError or DomainError if not.

    An existing file is replaced only with `force` (the user confirmed it)."""
    report = progress or (lambda _stage, _percent: None)
    destination = check_export_target(destination, source.data_dir, force)
    report("Reading the records", 5)
    document = source.load_document(request)
    report("Laying out the pages", 30)
    rendered = render(document)
    data = rendered.data
    signed = signer is not None and bool(document.signed_items())
    if signer is not None and signed:
        report("Signing the PDF", 75)
        data = signer(data)
    report("Writing the file", 90)
    source.remember_export_folder(destination.parent)  # before a crash can leave a partial
    write_atomically(destination, data, force)
    try:
        source.record_audit(
            user.id,
            AuditAction.EXPORT,
            object_type=request.object_type,
            object_id=request.object_id,
            detail={
                "kind": request.kind.value,
                "path": str(destination),
                "pages": rendered.pages,
                "document_id": str(document.provenance.document_id),
                "signed": signed,
                "sha256": hashlib.sha256(data).hexdigest(),
                **_period(document),
            },
        )
    except BaseException:
        destination.unlink(missing_ok=True)
        raise
    items = [(str(i.item_id), i.content_hash) for i in document.signed_items()]
    source.keep_receipt(document.provenance.document_id, items, hashlib.sha256(data).hexdigest())
    report("Done", 100)
    return ExportResult(
        destination, rendered.pages, document.provenance.document_id, request.kind, signed
    )


def _period(document: Document) -> dict[str, DetailValue]:
    """The period a chart or an attendance report covers (and whether a chart shows drafts),
    for the audit entry: what was disclosed, beyond whose records."""
    if isinstance(document, ParticipantChartDocument):
        shown = {"include_unsigned": document.include_unsigned}
    elif isinstance(document, AttendanceReportDocument):
        shown = {}
    else:
        return {}
    return {"first_day": document.first.isoformat(), "last_day": document.last.isoformat(), **shown}
