"""The billing export: one CSV row per participant per billable service over a period.

    ServiceExport(database, audit, data_dir).export(user, first, last, Path("march.csv"))

Rows come from the attendance as recorded and the programs' service codes
(facilitator.domain.service_codes): a per-day code gives one row per participant per day whose
attended minutes in the code's modalities reach its minimum; a per-block code one row per
attended block of its modalities reaching its minimum. Minutes are domain.attendance's
minutes_attended, as in the attendance report. The file is written atomically outside the
data folder and the export is audited (period, rows, the file's SHA-256).
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from facilitator.documents.destination import write_atomically
from facilitator.domain.attendance import AttendanceStatus, TimeSpan, minutes_attended
from facilitator.domain.errors import DomainError
from facilitator.domain.late_entry import block_ended_at, is_late_entry
from facilitator.domain.notes import NoteStatus, SignatureRole
from facilitator.domain.service_codes import (
    BillingPer,
    ServiceCode,
    is_telehealth,
    mode_of,
    service_codes,
)
from facilitator.domain.users import Role, SignedInUser
from facilitator.export_target import check_export_target
from facilitator.leftovers import EXPORT, remember_folder
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.clinic_profile import load_profile
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Attendance,
    Block,
    BlockFacilitator,
    Clinician,
    Group,
    GroupSession,
    ParticipantNote,
    Program,
)
from facilitator.storage.unit_of_work import unit_of_work

COLUMNS = (
    "date",
    "chart_number",
    "program",
    "group",
    "code",
    "modifiers",
    "units",
    "minutes",
    "mode",
    "place_of_service",
    "rendering_clinician",
    "rendering_npi",
    "signed",
    "late",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXPORTERS = (Role.SUPERVISOR, Role.ADMINISTRATOR)
COMPLETE = (NoteStatus.SIGNED, NoteStatus.COSIGNED)


@dataclass(frozen=True)
class ServiceRow:
    """One billable service of one participant."""

    day: date
    chart_number: str
    program: str
    group: str
    code: str
    modifiers: tuple[str, ...]
    units: int
    minutes: int
    mode: str  # in_person, video, telephone or mixed
    place_of_service: str
    clinician: str  # the rendering clinician: the block's lead (a day: the most minutes)
    clinician_npi: str
    signed: bool  # every note behind the row is signed (and co-signed where required)
    late: bool  # a note behind it was signed after the limit, or is still unsigned past it

    def cells(self) -> list[str]:
        return [
            self.day.isoformat(),
            self.chart_number,
            self.program,
            self.group,
            self.code,
            " ".join(self.modifiers),
            str(self.units),
            str(self.minutes),
            self.mode,
            self.place_of_service,
            self.clinician,
            self.clinician_npi,
            "yes" if self.signed else "no",
            "yes" if self.late else "no",
        ]


@dataclass(frozen=True)
class ServiceExportResult:
    path: Path
    rows: int
    sha256: str


@dataclass(frozen=True)
class _Attended:
    """One participant in one block, with the minutes they attended (above zero)."""

    block_id: uuid.UUID
    start: time
    day: date
    participant_id: uuid.UUID
    chart_number: str
    program: Program
    group: str
    modality: str  # the modality's code
    minutes: int
    mode: str
    lead: Clinician | None
    signed: bool
    late: bool


class ServiceExport:
    def __init__(self, database: Database, audit: AuditTrail, data_dir: Path) -> None:
        self._database = database
        self._audit = audit
        self._data_dir = data_dir

    def rows(
        self, first: date, last: date, group_id: uuid.UUID | None, now: datetime
    ) -> list[ServiceRow]:
        with unit_of_work(self._database) as session:
            return load_service_rows(session, first, last, group_id, now)

    def export(
        self,
        user: SignedInUser,
        first: date,
        last: date,
        destination: Path,
        group_id: uuid.UUID | None = None,
        replace: bool = False,
        now: datetime | None = None,
    ) -> ServiceExportResult:
        """Write the period's billable services to `destination` as CSV, audited as `user`'s
        export; DomainError (nothing written) when it cannot be."""
        if user.role not in EXPORTERS:
            raise DomainError("Only supervisors and administrators can export billing data.")
        if last < first:
            raise DomainError(f"The period ends ({last}) before it starts ({first}).")
        path = check_export_target(destination, self._data_dir, force=replace)
        rows = self.rows(first, last, group_id, now or datetime.now().astimezone())
        data = service_csv(rows)
        digest = hashlib.sha256(data).hexdigest()
        with unit_of_work(self._database) as session:
            remember_folder(session, EXPORT, path.parent)  # before a crash can leave a partial
        write_atomically(path, data, replace)
        try:
            with unit_of_work(self._database) as session:
                self._audit.record(
                    session,
                    actor=user.id,
                    action=AuditAction.EXPORT,
                    object_type="care_group",
                    object_id=str(group_id) if group_id else None,
                    detail={
                        "kind": "services",
                        "path": str(path),
                        "first_day": first.isoformat(),
                        "last_day": last.isoformat(),
                        "rows": len(rows),
                        "sha256": digest,
                    },
                )
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return ServiceExportResult(path, len(rows), digest)


def load_service_rows(
    session: Session, first: date, last: date, group_id: uuid.UUID | None, now: datetime
) -> list[ServiceRow]:
    """The billable services between `first` and `last` (of one group, if given)."""
    attended = _attended(session, first, last, group_id, now)
    programs = {a.program.id: a.program for a in attended}
    codes = {pid: service_codes(p.service_codes, p.name) for pid, p in programs.items()}
    if programs and not any(codes.values()):
        names = ", ".join(sorted(p.name for p in programs.values()))
        raise DomainError(
            f"No service codes are set for {names}: an administrator adds them to the "
            "program before billing can be exported."
        )
    rows: list[ServiceRow] = []
    for program_id, program_codes in codes.items():
        mine = [a for a in attended if a.program.id == program_id]
        for code in program_codes:
            if code.per is BillingPer.DAY:
                rows += _day_rows(code, mine)
            else:
                rows += _block_rows(code, mine)
    return sorted(rows, key=lambda r: (r.day, r.chart_number, r.code, r.group))


def service_csv(rows: Iterable[ServiceRow]) -> bytes:
    """UTF-8 CSV with a header row; no cell can start a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row.cells()])
    return buffer.getvalue().encode("utf-8")


def safe_cell(text: str) -> str:
    """`text`, prefixed with a single quote when a spreadsheet would read it as a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def _day_rows(code: ServiceCode, attended: Sequence[_Attended]) -> list[ServiceRow]:
    days: defaultdict[tuple[uuid.UUID, date], list[_Attended]] = defaultdict(list)
    for item in attended:
        if code.covers(item.modality):
            days[(item.participant_id, item.day)].append(item)
    return [
        row
        for blocks in days.values()
        if (row := _row(code, sorted(blocks, key=lambda b: b.start))) is not None
    ]


def _block_rows(code: ServiceCode, attended: Sequence[_Attended]) -> list[ServiceRow]:
    return [
        row
        for item in attended
        if code.covers(item.modality) and (row := _row(code, [item])) is not None
    ]


def _row(code: ServiceCode, blocks: Sequence[_Attended]) -> ServiceRow | None:
    """The row billing `blocks` (one participant's, one day) under `code`; None under its
    minimum."""
    minutes = sum(b.minutes for b in blocks)
    units = code.units(minutes)
    if units == 0:
        return None
    mode = mode_of(b.mode for b in blocks)
    remote = is_telehealth(mode)
    lead = _rendering(blocks)
    first = blocks[0]
    return ServiceRow(
        day=first.day,
        chart_number=first.chart_number,
        program=first.program.name,
        group=first.group,
        code=code.code,
        modifiers=code.modifiers_for(remote),
        units=units,
        minutes=minutes,
        mode=mode,
        place_of_service=code.place_for(remote),
        clinician=lead.display_name if lead else "",
        clinician_npi=(lead.npi or "") if lead else "",
        signed=all(b.signed for b in blocks),
        late=any(b.late for b in blocks),
    )


def _rendering(blocks: Sequence[_Attended]) -> Clinician | None:
    """The lead of the blocks with the most attended minutes (the earliest on a tie)."""
    minutes: dict[uuid.UUID, int] = defaultdict(int)
    leads: dict[uuid.UUID, Clinician] = {}
    for block in blocks:
        if block.lead is not None:
            minutes[block.lead.id] += block.minutes
            leads.setdefault(block.lead.id, block.lead)
    if not leads:
        return None
    return leads[max(leads, key=lambda cid: (minutes[cid], -list(leads).index(cid)))]


def _attended(
    session: Session, first: date, last: date, group_id: uuid.UUID | None, now: datetime
) -> list[_Attended]:
    query = (
        select(Attendance)
        .join(Block, Attendance.block_id == Block.id)
        .join(GroupSession, Block.session_id == GroupSession.id)
        .where(GroupSession.day.between(first, last))
        .options(
            selectinload(Attendance.participant),
            selectinload(Attendance.block).options(
                selectinload(Block.modality),
                selectinload(Block.facilitators).selectinload(BlockFacilitator.clinician),
                selectinload(Block.session)
                .selectinload(GroupSession.group)
                .selectinload(Group.program),
            ),
        )
    )
    if group_id is not None:
        if session.get(Group, group_id) is None:
            raise DomainError("That group no longer exists.")
        query = query.where(GroupSession.group_id == group_id)
    rows = [a for a in session.scalars(query) if a.removed_reason is None]
    notes = _notes(session, {a.block_id for a in rows})
    try:
        zone = ZoneInfo(load_profile(session).time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(f"The clinic's time zone is not known: {error}.") from error
    found: list[_Attended] = []
    for row in rows:
        block = row.block
        span = TimeSpan(
            block.actual_start or block.planned_start, block.actual_end or block.planned_end
        )
        minutes = minutes_attended(AttendanceStatus(row.status), span, row.arrived, row.left)
        if minutes <= 0:
            continue
        day = block.session.day
        program = block.session.group.program
        status, signed_at = notes.get((block.id, row.participant_id), (None, None))
        found.append(
            _Attended(
                block_id=block.id,
                start=span.start,
                day=day,
                participant_id=row.participant_id,
                chart_number=row.participant.chart_number,
                program=program,
                group=block.session.group.name,
                modality=block.modality.code,
                minutes=minutes,
                mode=row.mode,
                lead=_lead(block),
                signed=status in COMPLETE,
                late=is_late_entry(
                    block_ended_at(day, span.end, zone), signed_at or now, program.late_entry_hours
                ),
            )
        )
    return found


def _lead(block: Block) -> Clinician | None:
    lead = next((f for f in block.facilitators if f.role == "lead"), None)
    chosen = lead or (block.facilitators[0] if block.facilitators else None)
    return chosen.clinician if chosen else None


def _notes(
    session: Session, block_ids: set[uuid.UUID]
) -> dict[tuple[uuid.UUID, uuid.UUID], tuple[NoteStatus, datetime | None]]:
    """Each note's status and its author's signing time, by (block, participant)."""
    found: dict[tuple[uuid.UUID, uuid.UUID], tuple[NoteStatus, datetime | None]] = {}
    notes = session.scalars(
        select(ParticipantNote)
        .where(ParticipantNote.block_id.in_(block_ids))
        .options(selectinload(ParticipantNote.signatures))
    )
    for note in notes:
        signed_at = min(
            (s.signed_at for s in note.signatures if s.role == SignatureRole.AUTHOR),
            default=None,
        )
        found[(note.block_id, note.participant_id)] = (NoteStatus(note.status), signed_at)
    return found
