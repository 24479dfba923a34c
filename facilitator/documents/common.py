"""What every document carries: where it comes from, and the signed notes it shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus


class DocumentNotFoundError(DomainError):
    """What a document was asked for does not exist: the message says what and how to fix it."""


class DocumentKind(StrEnum):
    PARTICIPANT_NOTE = "participant_note"
    PARTICIPANT_CHART = "participant_chart"
    SESSION_RECORD = "session_record"
    SIGN_IN_SHEET = "sign_in_sheet"
    ATTENDANCE_REPORT = "attendance_report"
    DISCHARGE_SUMMARY = "discharge_summary"

    @property
    def heading(self) -> str:
        return _TITLES[self]


_TITLES = {
    DocumentKind.PARTICIPANT_NOTE: "Participant progress note",
    DocumentKind.PARTICIPANT_CHART: "Participant chart",
    DocumentKind.SESSION_RECORD: "Session record",
    DocumentKind.SIGN_IN_SHEET: "Sign-in sheet",
    DocumentKind.ATTENDANCE_REPORT: "Attendance report",
    DocumentKind.DISCHARGE_SUMMARY: "Discharge summary",
}


@dataclass(frozen=True)
class Provenance:
    """Who made the document and when: printed in its footer and in its manifest."""

    document_id: uuid.UUID
    kind: DocumentKind
    clinic_id: str
    made_at: datetime  # aware, in the computer's time zone
    program: str  # the program (or clinic) named in the page header


@dataclass(frozen=True)
class SignedItem:
    """A signed note or addendum the document shows: listed in the PDF's manifest."""

    kind: str  # "note" or "addendum"
    item_id: uuid.UUID
    content_hash: str


@dataclass(frozen=True)
class SignatureLine:
    """One electronic signature, as the signature block prints it."""

    role: str  # author, cosigner, addendum
    meaning: str
    printed_name: str
    credentials: str
    signed_at: datetime  # aware, in the signer's time zone
    time_zone: str  # IANA name, e.g. America/New_York
    item_id: uuid.UUID  # the note or addendum signed
    content_hash: str


@dataclass(frozen=True)
class AddendumSection:
    addendum_id: uuid.UUID
    text: str
    written_at: datetime  # aware
    signature: SignatureLine | None  # None while unsigned


@dataclass(frozen=True)
class NoteField:
    label: str
    text: str


@dataclass(frozen=True)
class NoteSection:
    """One participant note: its content, its signatures, then its addenda in order.

    A note that is not signed yet (a draft) is printed marked DRAFT, with no signature block.
    """

    note_id: uuid.UUID
    status: NoteStatus
    template: str  # e.g. "GIRP: Goal, Intervention, Response, Plan"
    fields: tuple[NoteField, ...]
    observations: tuple[NoteField, ...]  # mood, affect, participation
    goals: tuple[NoteField, ...]  # goal text -> progress
    risk: tuple[str, ...]  # the risk screening in words: "Suicidal ideation: no", ...
    content_hash: str | None
    signatures: tuple[SignatureLine, ...]
    addenda: tuple[AddendumSection, ...]

    @property
    def draft(self) -> bool:
        return not self.status.locked

    def signed_items(self) -> list[SignedItem]:
        if self.draft or self.content_hash is None:
            return []
        items = [SignedItem("note", self.note_id, self.content_hash)]
        items += [
            SignedItem("addendum", a.addendum_id, a.signature.content_hash)
            for a in self.addenda
            if a.signature is not None
        ]
        return items


@dataclass(frozen=True)
class ParticipantHeading:
    name: str  # legal name
    preferred_name: str
    chart_number: str
    date_of_birth: date
    pronouns: str


@dataclass(frozen=True)
class BlockContext:
    """The group block a participant's note belongs to, seen from that participant's chart.

    Other members appear by initials only (`co_participants`), and the group note has their
    names replaced by initials (see facilitator.documents.privacy).
    """

    block_id: uuid.UUID
    day: date
    group: str
    room: str
    start: time
    end: time
    modality: str
    topic: str
    facilitators: str
    interventions: str
    group_note: str
    attendance: str  # "Present", "Late (arrived 09:10)" ...
    minutes: int
    co_participants: tuple[str, ...]  # initials of the others who attended
