"""The runner's use cases. Each call is one committed transaction on the clinic database."""

from __future__ import annotations

import threading
import time as clock
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.attendance import (
    AttendanceMode,
    AttendanceStatus,
    TimeSpan,
    carried_over,
)
from facilitator.domain.discharge import attendance_refusal
from facilitator.domain.enrollment import EnrollmentPeriod
from facilitator.domain.errors import DomainError
from facilitator.domain.notes import (
    NoteStatus,
    audit_token,
    changed_part_names,
    note_parts,
)
from facilitator.security.audit import AuditAction, AuditTrail, DetailValue
from facilitator.services.session_sheet import (
    BlockSheet,
    NoteDraft,
    SessionSheet,
    load_session_sheet,
)
from facilitator.services.signed_locks import (
    attendance_in_block,
    note_in_block,
    refuse_if_block_locked,
    refuse_if_note_locked,
)
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Attendance,
    Block,
    CurriculumTopic,
    Enrollment,
    ParticipantNote,
)
from facilitator.storage.unit_of_work import unit_of_work

EDIT_AUDIT_SECONDS = 300.0
"""Autosaved text (drafts, group notes) is audited as an edit at most this often per record."""


class SessionRunner:
    """Start and end blocks, take attendance, write group notes and participant drafts.

    Every change is audited for `actor` (None: not known, as in scripts), never with text.
    Autosaved text is audited when created, then at most once per EDIT_AUDIT_SECONDS per
    record and runner, so a note typed over ten minutes leaves two or three entries, not
    hundreds.
    """

    def __init__(
        self,
        database: Database,
        audit: AuditTrail,
        actor: uuid.UUID | None = None,
        clock_seconds: Callable[[], float] = clock.monotonic,
    ) -> None:
        self._database = database
        self._audit = audit
        self._actor = actor
        self._clock = clock_seconds
        self._last_edit_audit: dict[uuid.UUID, float] = {}
        self._changed: dict[uuid.UUID, set[str]] = {}  # note parts edited since their entry
        self._lock = threading.Lock()  # drafts are saved on the writer thread

    def sheet(self, session_id: uuid.UUID) -> SessionSheet:
        with unit_of_work(self._database) as session:
            return load_session_sheet(session, session_id)

    def open_sheet(self, session_id: uuid.UUID) -> SessionSheet:
        """The session's sheet for a runner window being opened: a view of the group's
        records, audited (who opened which session; ids only). Refreshes call sheet()."""
        with unit_of_work(self._database) as session:
            sheet = load_session_sheet(session, session_id)
            self._record(session, AuditAction.VIEW_SESSION, "session", session_id, {})
            return sheet

    def start_block(self, block_id: uuid.UUID, at: time) -> None:
        with unit_of_work(self._database) as session:
            block = _unlocked_block(session, block_id)
            if block.actual_end is not None and at > block.actual_end:
                raise DomainError(f"The block already ended at {block.actual_end:%H:%M}.")
            was, block.actual_start = block.actual_start, at
            self._record(
                session, AuditAction.EDIT, "block", block_id, _times("actual_start", was, at)
            )

    def end_block(self, block_id: uuid.UUID, at: time) -> None:
        with unit_of_work(self._database) as session:
            block = _unlocked_block(session, block_id)
            start = block.actual_start or block.planned_start
            TimeSpan(start, at)  # raises when the end is before the start
            was, block.actual_end = block.actual_end, at
            self._record(
                session, AuditAction.EDIT, "block", block_id, _times("actual_end", was, at)
            )

    def set_topic(
        self, block_id: uuid.UUID, topic_id: uuid.UUID | None, free_topic: str | None = None
    ) -> None:
        """Pick a curriculum topic of the block's modality, or give a free topic."""
        with unit_of_work(self._database) as session:
            block = _unlocked_block(session, block_id)
            was = block.topic_id, block.free_topic
            if topic_id is not None:
                topic = session.get(CurriculumTopic, topic_id)
                if topic is None or topic.modality_id != block.modality_id:
                    raise DomainError("That topic is not in this block's curriculum.")
                block.topic_id, block.free_topic = topic_id, None
            else:
                text = (free_topic or "").strip()
                if not text:
                    raise DomainError("Give the topic a title, or pick one from the curriculum.")
                block.topic_id, block.free_topic = None, text
            detail: dict[str, DetailValue] = {
                "field": "topic",
                "topic_was": str(was[0]) if was[0] else None,
                "topic_now": str(block.topic_id) if block.topic_id else None,
                "free_topic_changed": was[1] != block.free_topic,  # its text is never logged
            }
            self._record(session, AuditAction.EDIT, "block", block_id, detail)

    def save_group_note(
        self, block_id: uuid.UUID, interventions: Iterable[str], other: str, summary: str
    ) -> None:
        with unit_of_work(self._database) as session:
            block = _block(session, block_id)
            new = {"interventions": list(interventions), "other_interventions": other}
            new["group_note"] = summary
            changed = {field: getattr(block, field) != value for field, value in new.items()}
            if not any(changed.values()):
                return
            refuse_if_block_locked(session, block_id)
            for field, value in new.items():
                setattr(block, field, value)
            if self._edit_due(block_id):  # which parts changed, never the text
                detail: dict[str, DetailValue] = {"field": "group_note", **changed}
                self._record(session, AuditAction.EDIT, "block", block_id, detail)

    def record_attendance(
        self,
        block_id: uuid.UUID,
        participant_id: uuid.UUID,
        status: AttendanceStatus,
        arrived: time | None = None,
        left: time | None = None,
        absence_reason: str | None = None,
        mode: AttendanceMode | None = None,
    ) -> None:
        """Set one person's status, times and how they attended (`mode`; None keeps the one
        recorded, in person for someone new); absent people keep no times."""
        with unit_of_work(self._database) as session:
            block = _block(session, block_id)
            _refuse_after_discharge(session, block, participant_id)
            refuse_if_note_locked(session, block_id, participant_id)
            if not status.attended:
                arrived = left = None
            elif arrived is not None and left is not None:
                TimeSpan(arrived, left)  # raises when departure precedes arrival
            row = attendance_in_block(session, block_id, participant_id) or Attendance(
                block_id=block.id, participant_id=participant_id
            )
            was = attendance_detail(row, "was")
            row.status = status.value
            row.mode = (mode or AttendanceMode(row.mode or AttendanceMode.IN_PERSON)).value
            row.arrived, row.left = arrived, left
            row.absence_reason = (absence_reason or None) if not status.attended else None
            detail = {"status": status.value, **was, **attendance_detail(row, "now")}
            self._save_attendance(session, row, detail)

    def mark_all_present(self, block_id: uuid.UUID, session_id: uuid.UUID) -> int:
        """Mark present everyone on the roster whose attendance is not yet taken."""
        entries = self._block_sheet(session_id, block_id).roster
        untaken = [
            Attendance(
                block_id=block_id,
                participant_id=e.participant_id,
                status=AttendanceStatus.PRESENT.value,
            )
            for e in entries
            if e.attendance is None
        ]
        return self._add_attendance(block_id, untaken, "mark_all_present")

    def copy_previous_attendance(self, block_id: uuid.UUID, session_id: uuid.UUID) -> int:
        """Take untaken attendance as in the previous block.

        Late becomes present (they were in the room by then); left early becomes absent.
        """
        sheet = self.sheet(session_id)
        index = next(i for i, b in enumerate(sheet.blocks) if b.block_id == block_id)
        if index == 0:
            raise DomainError("This is the first block of the day; there is nothing to copy.")
        previous = {e.participant_id: e for e in sheet.blocks[index - 1].roster}
        carried = []
        for entry in sheet.blocks[index].roster:
            before = previous.get(entry.participant_id)
            if entry.attendance is not None or before is None or before.attendance is None:
                continue
            if not before.removed:
                status, reason = carried_over(
                    before.attendance.status, before.attendance.absence_reason
                )
                carried.append(
                    Attendance(
                        block_id=block_id,
                        participant_id=entry.participant_id,
                        status=status.value,
                        mode=before.attendance.mode.value,
                        absence_reason=reason,
                    )
                )
        return self._add_attendance(block_id, carried, "copy_previous")

    def add_participant(self, block_id: uuid.UUID, participant_id: uuid.UUID, reason: str) -> None:
        """Add someone not on the roster (a drop-in or a new admission) as present."""
        if not reason.strip():
            raise DomainError("Say why this person joins the block (for example, drop-in).")
        with unit_of_work(self._database) as session:
            block = _block(session, block_id)
            _refuse_after_discharge(session, block, participant_id)
            row = attendance_in_block(session, block_id, participant_id)
            on_roster = row is None and _enrolled_on(session, block, participant_id)
            if on_roster or (row is not None and row.removed_reason is None):
                raise DomainError("This person is already on the block's roster.")
            row = row or Attendance(block_id=block_id, participant_id=participant_id)
            row.status = AttendanceStatus.PRESENT.value
            row.absence_reason = None
            row.added_reason, row.removed_reason = reason.strip(), None
            self._save_attendance(session, row, {"kind": "added"})

    def remove_participant(
        self, block_id: uuid.UUID, participant_id: uuid.UUID, reason: str
    ) -> None:
        """Take someone off this block's roster; their attendance and note are kept as written."""
        if not reason.strip():
            raise DomainError("Say why this person is removed from the block.")
        with unit_of_work(self._database) as session:
            _block(session, block_id)
            refuse_if_note_locked(session, block_id, participant_id)
            row = attendance_in_block(session, block_id, participant_id) or Attendance(
                block_id=block_id,
                participant_id=participant_id,
                status=AttendanceStatus.ABSENT_UNEXCUSED.value,
            )
            row.removed_reason = reason.strip()
            self._save_attendance(session, row, {"kind": "removed"})

    def save_draft(
        self,
        block_id: uuid.UUID,
        participant_id: uuid.UUID,
        author_id: uuid.UUID | None,
        draft: NoteDraft,
    ) -> uuid.UUID:
        """Create or update the participant's draft note; a signed note is refused."""
        with unit_of_work(self._database) as session:
            row = attendance_in_block(session, block_id, participant_id)
            if row is None or not AttendanceStatus(row.status).attended or row.removed_reason:
                raise DomainError(
                    "Notes are written only for participants marked present in this block."
                )
            note = note_in_block(session, block_id, participant_id)
            created = note is None
            if note is None:
                note = ParticipantNote(
                    block_id=block_id, participant_id=participant_id, author_id=author_id
                )
                session.add(note)
            elif NoteStatus(note.status).locked:
                raise DomainError("This note is signed and cannot change; add an addendum.")
            before = _parts(note) if not created else {}
            note.template = draft.template
            note.fields = dict(draft.fields)
            note.mood, note.affect = draft.mood, draft.affect
            note.participation = draft.participation
            note.goals_addressed = [
                {"goal_id": goal_id, "progress": progress}
                for goal_id, progress in sorted(draft.goals_addressed.items())
            ]
            note.risk_flags = draft.risk.as_dict()
            note.status = NoteStatus.DRAFT.value
            session.flush()
            with self._lock:  # which parts changed since the last entry, never their text
                changed = self._changed.setdefault(note.id, set())
                changed |= changed_part_names(before, _parts(note))
            if created or self._edit_due(note.id):
                detail: dict[str, DetailValue] = {
                    "block_id": str(block_id),
                    "participant_id": str(participant_id),
                }
                if not created:
                    detail["changed"] = audit_token(changed)
                self._record(
                    session,
                    AuditAction.CREATE if created else AuditAction.EDIT,
                    "participant_note",
                    note.id,
                    detail,
                    actor=author_id,
                )
                with self._lock:
                    self._changed.pop(note.id, None)
            if created:
                self._edit_due(note.id)  # the first edit entry comes a while after creation
            return note.id

    def _save_attendance(
        self, session: Session, row: Attendance, detail: Mapping[str, DetailValue]
    ) -> None:
        """Write one person's attendance, new or changed, and audit it with `detail`."""
        action = AuditAction.EDIT if row.id is not None else AuditAction.CREATE
        session.add(row)
        session.flush()
        self._record(
            session,
            action,
            "attendance",
            row.id,
            {"block_id": str(row.block_id), "participant_id": str(row.participant_id), **detail},
        )

    def _add_attendance(self, block_id: uuid.UUID, rows: list[Attendance], kind: str) -> int:
        """Add attendance taken for several people at once: one action, one transaction.

        Only people still without attendance are added: a row taken meanwhile (by another
        runner, or behind a signed note) is never overwritten.
        """
        with unit_of_work(self._database) as session:
            taken = set(
                session.scalars(
                    select(Attendance.participant_id).where(Attendance.block_id == block_id)
                )
            )
            rows = [r for r in rows if r.participant_id not in taken]
            session.add_all(rows)
            if rows:
                self._record(
                    session,
                    AuditAction.CREATE,
                    "block",
                    block_id,
                    {"records": "attendance", "kind": kind, "count": len(rows)},
                )
        return len(rows)

    def _block_sheet(self, session_id: uuid.UUID, block_id: uuid.UUID) -> BlockSheet:
        return next(b for b in self.sheet(session_id).blocks if b.block_id == block_id)

    def _edit_due(self, record_id: uuid.UUID) -> bool:
        """Whether an autosaved edit of `record_id` is due an audit entry (and note it was)."""
        now = self._clock()
        with self._lock:
            last = self._last_edit_audit.get(record_id)
            if last is not None and now - last < EDIT_AUDIT_SECONDS:
                return False
            self._last_edit_audit[record_id] = now
            return True

    def _record(
        self,
        session: Session,
        action: AuditAction,
        object_type: str,
        object_id: uuid.UUID | None,
        detail: Mapping[str, DetailValue],
        actor: uuid.UUID | None = None,
    ) -> None:
        self._audit.record(
            session,
            actor=actor or self._actor,
            action=action,
            object_type=object_type,
            object_id=str(object_id) if object_id is not None else None,
            detail=detail,
        )


def _block(session: Session, block_id: uuid.UUID) -> Block:
    block = session.get(Block, block_id)
    if block is None:
        raise DomainError("That block no longer exists.")
    return block


def _parts(note: ParticipantNote) -> dict[str, object]:
    return note_parts(
        dict(note.fields),
        {
            "mood": note.mood,
            "affect": note.affect,
            "participation": note.participation,
            "goals": note.goals_addressed,
            "risk": note.risk_flags,
            "template": note.template,
        },
    )


def _unlocked_block(session: Session, block_id: uuid.UUID) -> Block:
    block = _block(session, block_id)
    refuse_if_block_locked(session, block_id)
    return block


def attendance_detail(row: Attendance, when: str) -> dict[str, DetailValue]:
    """An attendance row's status and times for an audit detail ('status_was': 'late', ...);
    the reasons are free text and stay out."""
    return {
        f"status_{when}": row.status,
        f"arrived_{when}": f"{row.arrived:%H:%M}" if row.arrived else None,
        f"left_{when}": f"{row.left:%H:%M}" if row.left else None,
    }


def _times(field: str, was: time | None, now: time) -> dict[str, DetailValue]:
    """An audit detail of a changed time: which, was and now ('09:05')."""
    return {"field": field, "was": f"{was:%H:%M}" if was else None, "now": f"{now:%H:%M}"}


def _enrolled_on(session: Session, block: Block, participant_id: uuid.UUID) -> bool:
    """True when the participant is enrolled in the block's group and active that day."""
    group_session = block.session
    enrollments = session.scalars(
        select(Enrollment).where(
            Enrollment.participant_id == participant_id,
            Enrollment.group_id == group_session.group_id,
        )
    )
    return any(
        EnrollmentPeriod(e.admitted, e.discharged).is_active_on(group_session.day)
        for e in enrollments
    )


def _refuse_after_discharge(session: Session, block: Block, participant_id: uuid.UUID) -> None:
    """No attendance after discharge until a readmission (a new enrollment)."""
    enrollments = session.scalars(
        select(Enrollment).where(Enrollment.participant_id == participant_id)
    )
    refusal = attendance_refusal(
        [EnrollmentPeriod(e.admitted, e.discharged) for e in enrollments], block.session.day
    )
    if refusal is not None:
        raise DomainError(refusal)
