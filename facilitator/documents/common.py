"""What every document carries: where it comes from, and the signed notes it shows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum

from facilitator.domain.attendance import over_capacity, span_text
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import NoteStatus
from facilitator.domain.signed_record import ServiceLine


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
    npi: str = ""  # as signed (notes and addenda signed from revision 0009 on)
    license_number: str = ""


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
class SignerLine:
    """The signing clinician as the signed content names them."""

    printed_name: str
    credentials: str
    npi: str
    license_number: str

    @property
    def text(self) -> str:
        """'Maria Reyes, LCSW · NPI 1234567890 · License LC-123'."""
        parts = [f"{self.printed_name}, {self.credentials}".rstrip(", ")]
        parts += [f"NPI {self.npi}"] if self.npi else []
        parts += [f"License {self.license_number}"] if self.license_number else []
        return " · ".join(parts)


@dataclass(frozen=True)
class BlockContext:
    """The service a participant's note belongs to, as that participant's documents show it:
    what a signature covers (documents.service_context builds it; a signed note keeps it as
    signed in participant_note.signed_context).

    Other members appear by initials only (`co_participants`), and the group note has their
    names replaced by initials (see facilitator.documents.privacy).
    """

    block_id: uuid.UUID
    day: date
    program: str
    level_of_care: str
    group: str
    room: str
    start: time  # actual, else planned: `times_basis` says which
    end: time
    times_basis: str  # "actual", "planned", "actual start, planned end" ...
    planned_start: time
    planned_end: time
    modality: str
    topic: str
    facilitators: str
    interventions: str
    group_note: str
    attendance: str  # "Present", "Late, arrived 09:10" ...
    mode: str  # "In person", "Video", "Telephone"
    arrived: time | None
    left: time | None
    minutes: int
    present_total: int  # everyone who attended, this participant included
    capacity: int | None  # the group's cap
    co_participants: tuple[str, ...]  # initials of the others who attended
    services: tuple[ServiceLine, ...]
    clinic_name: str
    clinic_npi: str
    signer: SignerLine | None  # who signed (None: not signed, or signed before 0009)
    late_entry: str  # "Late entry — signed ..., service ..." or ""
    coverage: str  # what the signature did not cover ("" when it covers all of this)
    as_signed: bool  # True: read from the signed note, not from the block as it is now

    @property
    def over_capacity(self) -> bool:
        return over_capacity(self.present_total, self.capacity)

    def facts(self) -> tuple[tuple[str, str], ...]:
        """The service as (label, text) lines, in the order the note and the review show them:
        one wording for the PDF and the screen."""
        times = f"{span_text(self.start, self.end)} ({self.times_basis})"
        if self.times_basis != "planned" and (self.start, self.end) != (
            self.planned_start,
            self.planned_end,
        ):
            times += f"; planned {span_text(self.planned_start, self.planned_end)}"
        present = f"{self.present_total} in total"
        if self.over_capacity:
            present += f" (over the group's capacity of {self.capacity})"
        others = ", ".join(self.co_participants) or "none"
        services = "; ".join(s.text for s in self.services) or "none configured"
        facility = self.clinic_name or "(clinic name not set)"
        facility += f" · NPI {self.clinic_npi}" if self.clinic_npi else " · NPI not set"
        return (
            ("Date", f"{self.day:%A %d %B %Y}"),
            (
                "Program",
                f"{self.program} ({self.level_of_care})" if self.level_of_care else self.program,
            ),
            ("Group", f"{self.group}, {self.room}" if self.room else self.group),
            ("Time", times),
            ("Modality", self.modality),
            ("Topic", self.topic or "(none recorded)"),
            ("Facilitators", self.facilitators or "(none recorded)"),
            ("Attendance", f"{self.attendance} · {self.mode} · {self.minutes} minutes"),
            ("Present", f"{present}; others (initials only): {others}"),
            ("Service code", services),
            ("Facility", facility),
        )
