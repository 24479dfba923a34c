"""What a document is asked for with, and the one entry that loads any of them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from facilitator.documents.attendance_report import (
    AttendanceReportDocument,
    load_attendance_report,
)
from facilitator.documents.common import DocumentKind
from facilitator.documents.discharge_summary import DischargeSummaryDocument
from facilitator.documents.participant import (
    ParticipantChartDocument,
    ParticipantNoteDocument,
    load_participant_chart,
    load_participant_note,
)
from facilitator.documents.session import (
    SessionRecordDocument,
    SignInSheetDocument,
    load_session_record,
    load_sign_in_sheet,
)
from facilitator.services.discharge import load_discharge_summary

Document = (
    ParticipantNoteDocument
    | ParticipantChartDocument
    | SessionRecordDocument
    | SignInSheetDocument
    | AttendanceReportDocument
    | DischargeSummaryDocument
)


@dataclass(frozen=True)
class NoteRequest:
    note_id: uuid.UUID
    kind = DocumentKind.PARTICIPANT_NOTE
    object_type = "participant_note"

    @property
    def object_id(self) -> str:
        return str(self.note_id)


@dataclass(frozen=True)
class ChartRequest:
    participant_id: uuid.UUID
    first: date | None = None  # default: the first admission
    last: date | None = None  # default: today
    include_unsigned: bool = False
    kind = DocumentKind.PARTICIPANT_CHART
    object_type = "participant"

    @property
    def object_id(self) -> str:
        return str(self.participant_id)


@dataclass(frozen=True)
class SessionRecordRequest:
    session_id: uuid.UUID
    kind = DocumentKind.SESSION_RECORD
    object_type = "group_session"

    @property
    def object_id(self) -> str:
        return str(self.session_id)


@dataclass(frozen=True)
class SignInSheetRequest:
    session_id: uuid.UUID
    kind = DocumentKind.SIGN_IN_SHEET
    object_type = "group_session"

    @property
    def object_id(self) -> str:
        return str(self.session_id)


@dataclass(frozen=True)
class AttendanceReportRequest:
    first: date
    last: date
    group_id: uuid.UUID | None = None  # None: every group
    kind = DocumentKind.ATTENDANCE_REPORT
    object_type = "care_group"

    @property
    def object_id(self) -> str | None:
        return str(self.group_id) if self.group_id else None


@dataclass(frozen=True)
class DischargeSummaryRequest:
    discharge_id: uuid.UUID
    kind = DocumentKind.DISCHARGE_SUMMARY
    object_type = "discharge"

    @property
    def object_id(self) -> str:
        return str(self.discharge_id)


DocumentRequest = (
    NoteRequest
    | ChartRequest
    | SessionRecordRequest
    | SignInSheetRequest
    | AttendanceReportRequest
    | DischargeSummaryRequest
)


def load_document(session: Session, request: DocumentRequest, now: datetime) -> Document:
    """The document's content, read in the caller's unit of work; `now` is aware."""
    match request:
        case NoteRequest():
            return load_participant_note(session, request.note_id, now)
        case ChartRequest():
            return load_participant_chart(
                session,
                request.participant_id,
                request.first,
                request.last,
                now,
                request.include_unsigned,
            )
        case SessionRecordRequest():
            return load_session_record(session, request.session_id, now)
        case SignInSheetRequest():
            return load_sign_in_sheet(session, request.session_id, now)
        case AttendanceReportRequest():
            return load_attendance_report(
                session, request.first, request.last, request.group_id, now
            )
        case DischargeSummaryRequest():
            return load_discharge_summary(session, request.discharge_id, now)
