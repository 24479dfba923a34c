"""Whether a document will show signed notes, asked before it is loaded.

The app asks for the password that unlocks the clinician's signing key only for a document
that will carry a PDF signature, that is one with signed notes in its manifest. Loading the
whole document to find out would cost a chart's worth of reading; each question here is one
EXISTS query that follows the same selection as the document's loader (`signed_items()`);
a kind without its own query here is loaded and looked at.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from facilitator.documents.requests import (
    AttendanceReportRequest,
    ChartRequest,
    DocumentRequest,
    NoteRequest,
    SessionRecordRequest,
    SignInSheetRequest,
    load_document,
)
from facilitator.domain.notes import NoteStatus
from facilitator.storage.models import (
    Attendance,
    Block,
    Enrollment,
    GroupSession,
    ParticipantNote,
    Signature,
)

SIGNED = (ParticipantNote.status != NoteStatus.DRAFT.value) & ParticipantNote.content_hash.isnot(
    None
)


def shows_signed_notes(session: Session, request: DocumentRequest, now: datetime) -> bool:
    """True when the document `request` names will list signed items in its manifest; `now`
    is aware, as for loading the document."""
    match request:
        case SignInSheetRequest() | AttendanceReportRequest():
            return False  # they show no notes
        case NoteRequest():
            return _any(session, (ParticipantNote.id == request.note_id) & SIGNED)
        case ChartRequest():
            return _chart(session, request, now.date())
        case SessionRecordRequest():
            in_session = select(Block.id).where(Block.session_id == request.session_id)
            with_signature = exists().where(Signature.note_id == ParticipantNote.id)
            return _any(
                session,
                ParticipantNote.block_id.in_(in_session)
                & (ParticipantNote.status != NoteStatus.DRAFT.value)
                & with_signature,
            )
        case _:  # a document with no shortcut here: load it and look
            return bool(load_document(session, request, now).signed_items())


def _chart(session: Session, request: ChartRequest, today: date) -> bool:
    first = request.first or session.scalar(
        select(func.min(Enrollment.admitted)).where(
            Enrollment.participant_id == request.participant_id
        )
    )
    first = first or today
    last = request.last or today
    attended = (
        select(Attendance.block_id)
        .join(Block, Attendance.block_id == Block.id)
        .join(GroupSession, Block.session_id == GroupSession.id)
        .where(
            Attendance.participant_id == request.participant_id,
            GroupSession.day.between(first, last),
        )
    )
    return _any(
        session,
        (ParticipantNote.participant_id == request.participant_id)
        & ParticipantNote.block_id.in_(attended)
        & SIGNED,
    )


def _any(session: Session, where: ColumnElement[bool]) -> bool:
    return bool(session.scalar(select(exists().where(where))))
