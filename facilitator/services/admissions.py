"""Admitting a participant in the app, and editing their details with a reason, field by field.

The rules are facilitator.domain.admission's (the roster import checks the same ones). A chart
number already in the records is the same person coming back only when the date of birth
matches and they are not enrolled: then the admission is a readmission (discharge.readmit_in),
said so, and no second participant is made. Every edit writes a ParticipantChange per field
changed (was, now, why, who, when), kept for the History table. Audit entries hold ids and
field names only, never the values.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.admission import (
    AdmissionError,
    Problems,
    birth_problems,
    date_problems,
    goal_problem,
    has_hidden_character,
    recovery_problems,
    text_problems,
)
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.discharge import readmit_in
from facilitator.services.participant_history import ChangeRow, changes_of, record_change
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Enrollment,
    Group,
    Participant,
    Program,
    TreatmentGoal,
)
from facilitator.storage.unit_of_work import unit_of_work

MAX_REASON_LENGTH = 500


@dataclass(frozen=True)
class ParticipantDetails:
    """The demographic details an edit may change (names as typed; blank optional ones: none)."""

    chart_number: str
    first_name: str
    last_name: str
    preferred_name: str
    pronouns: str
    date_of_birth: date
    recovery_start: date | None


@dataclass(frozen=True)
class AdmissionRequest:
    """What the Admit dialog asks: the person, the group (its program is the level of care),
    the admission day, the recovery start and the treatment goals in plan order."""

    details: ParticipantDetails
    group_id: uuid.UUID | None
    admitted: date
    goals: tuple[str, ...] = ()


@dataclass(frozen=True)
class Admitted:
    participant_id: uuid.UUID
    enrollment_id: uuid.UUID
    readmitted: bool  # a known chart number came back: a new enrollment, no new participant
    goals_added: int

    @property
    def message(self) -> str:
        if not self.readmitted:
            return "Admitted."
        return (
            "This chart number is already in the records with the same date of birth: the "
            "participant was readmitted (a new enrollment) and their details on record were "
            "kept; change them with Edit details."
        )


@dataclass(frozen=True)
class GroupChoice:
    """An active group to admit or transfer into, with its program (the level of care)."""

    group_id: uuid.UUID
    name: str
    program_id: uuid.UUID
    program: str
    level_of_care: str

    @property
    def label(self) -> str:
        return f"{self.name} — {self.program} ({self.level_of_care})"


def require_may_admit(user: SignedInUser) -> None:
    if not user.may_admit:
        raise DomainError("Your role may not admit participants or change their details.")


def active_groups(session: Session) -> list[GroupChoice]:
    rows = session.execute(
        select(Group, Program)
        .join(Program, Group.program_id == Program.id)
        .where(Group.active, Program.active)
        .order_by(Program.name, Group.name)
    )
    return [GroupChoice(g.id, g.name, p.id, p.name, p.level_of_care) for g, p in rows]


def clean_details(details: ParticipantDetails) -> ParticipantDetails:
    """The details with names, chart number and pronouns stripped of surrounding spaces."""
    return ParticipantDetails(
        details.chart_number.strip(),
        details.first_name.strip(),
        details.last_name.strip(),
        details.preferred_name.strip(),
        details.pronouns.strip(),
        details.date_of_birth,
        details.recovery_start,
    )


def text_field_problems(details: ParticipantDetails) -> Problems:
    found: Problems = []
    for key in ("chart_number", "first_name", "last_name", "preferred_name", "pronouns"):
        found += [(key, message) for message in text_problems(key, getattr(details, key))]
    return found


def check_reason(reason: str) -> str:
    why = reason.strip()
    if not why:
        raise AdmissionError([("reason", "Say why the details change (e.g. legal name change).")])
    if has_hidden_character(why) or len(why) > MAX_REASON_LENGTH:
        raise AdmissionError(
            [("reason", f"Write the reason on one line, at most {MAX_REASON_LENGTH} characters.")]
        )
    return why


class Admissions:
    """Each call is one committed transaction with its audit entry."""

    def __init__(
        self, database: Database, audit: AuditTrail, today: Callable[[], date] = date.today
    ) -> None:
        self._database = database
        self._audit = audit
        self._today = today

    def groups(self) -> list[GroupChoice]:
        """The active groups of active programs, by program and name."""
        with unit_of_work(self._database) as session:
            return active_groups(session)

    def details(self, participant_id: uuid.UUID) -> ParticipantDetails:
        with unit_of_work(self._database) as session:
            return _details_of(_participant(session, participant_id))

    def admit(
        self, user: SignedInUser, request: AdmissionRequest, today: date | None = None
    ) -> Admitted:
        """Admit a new participant, or readmit a known one (same chart number and date of
        birth, no open enrollment); AdmissionError names each field that is wrong."""
        require_may_admit(user)
        today = today or self._today()
        details = clean_details(request.details)
        goals = tuple(dict.fromkeys(g.strip() for g in request.goals if g.strip()))
        with unit_of_work(self._database) as session:
            problems = text_field_problems(details)
            problems += [
                ("goals", m) for m in dict.fromkeys(filter(None, map(goal_problem, goals)))
            ]
            problems += _group_problems(session, request.group_id)
            problems += date_problems(
                details.date_of_birth, request.admitted, details.recovery_start, today
            )
            if problems:
                raise AdmissionError(problems)
            assert request.group_id is not None
            known = session.scalars(
                select(Participant).where(Participant.chart_number == details.chart_number)
            ).first()
            if known is not None:
                return self._readmit(session, user, known, request, details, goals, today)
            participant = Participant(
                chart_number=details.chart_number,
                legal_first=details.first_name,
                legal_last=details.last_name,
                preferred_name=details.preferred_name or None,
                pronouns=details.pronouns or None,
                date_of_birth=details.date_of_birth,
                recovery_start=details.recovery_start,
            )
            session.add(participant)
            session.flush()
            enrollment = Enrollment(
                participant_id=participant.id, group_id=request.group_id, admitted=request.admitted
            )
            session.add(enrollment)
            session.flush()
            added = add_goals(session, participant.id, goals, request.admitted)
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.CREATE,
                object_type="participant",
                object_id=str(participant.id),
                detail={
                    "enrollment_id": str(enrollment.id),
                    "group_id": str(request.group_id),
                    "goals": added,
                },
            )
            return Admitted(participant.id, enrollment.id, False, added)

    def _readmit(
        self,
        session: Session,
        user: SignedInUser,
        known: Participant,
        request: AdmissionRequest,
        details: ParticipantDetails,
        goals: tuple[str, ...],
        today: date,
    ) -> Admitted:
        if known.date_of_birth != details.date_of_birth:
            raise AdmissionError(
                [
                    (
                        "chart_number",
                        f"Chart number {details.chart_number} belongs to another participant "
                        "in the records (the date of birth differs). Check the chart number; if "
                        "it is the same person, correct their date of birth in their record "
                        "and readmit them there.",
                    )
                ]
            )
        if any(e.discharged is None for e in known.enrollments):
            raise AdmissionError(
                [
                    (
                        "chart_number",
                        f"Chart number {details.chart_number} is a participant still enrolled. "
                        "Open their record to transfer or step them down instead.",
                    )
                ]
            )
        assert request.group_id is not None
        enrollment = readmit_in(
            session, self._audit, user, known.id, request.group_id, request.admitted, today
        )
        added = add_goals(session, known.id, goals, request.admitted)
        return Admitted(known.id, enrollment.id, bool(known.enrollments), added)

    def edit_participant(
        self,
        user: SignedInUser,
        participant_id: uuid.UUID,
        details: ParticipantDetails,
        reason: str,
        today: date | None = None,
    ) -> int:
        """Change the details that differ, each recorded with `reason`; how many changed."""
        require_may_admit(user)
        today = today or self._today()
        why = check_reason(reason)
        wanted = clean_details(details)
        with unit_of_work(self._database) as session:
            participant = _participant(session, participant_id)
            current = _details_of(participant)
            changed = [
                f.name
                for f in fields(ParticipantDetails)
                if getattr(wanted, f.name) != getattr(current, f.name)
            ]
            if not changed:
                raise AdmissionError([("reason", "Nothing was changed; there is nothing to save.")])
            problems = text_field_problems(wanted)
            admitted_on = sorted(e.admitted for e in participant.enrollments)
            checked: list[date | None] = [*admitted_on[:1], *admitted_on[-1:]] or [None]
            for admitted in dict.fromkeys(checked):
                problems += [
                    ("date_of_birth", m)
                    for m in birth_problems(wanted.date_of_birth, admitted, today)
                    if ("date_of_birth", m) not in problems
                ]
            if wanted.recovery_start is not None:
                problems += [
                    ("recovery_start", m)
                    for m in recovery_problems(
                        wanted.recovery_start, wanted.date_of_birth, None, today
                    )
                ]
            if "chart_number" in changed and _chart_taken(session, wanted.chart_number):
                problems.append(
                    (
                        "chart_number",
                        f"Chart number {wanted.chart_number} belongs to another participant; "
                        "chart numbers are unique.",
                    )
                )
            if problems:
                raise AdmissionError(problems)
            for name in changed:
                record_change(
                    session,
                    participant_id,
                    name,
                    getattr(current, name),
                    getattr(wanted, name),
                    why,
                    user.id,
                )
            _apply(participant, wanted)
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.EDIT,
                object_type="participant",
                object_id=str(participant_id),
                detail={"changes": len(changed), **dict.fromkeys(changed, True)},
            )
            return len(changed)

    def participant_history(self, participant_id: uuid.UUID) -> list[ChangeRow]:
        """Every recorded change of the participant's details and goals, the latest first."""
        with unit_of_work(self._database) as session:
            _participant(session, participant_id)
            return changes_of(session, participant_id)


def add_goals(
    session: Session, participant_id: uuid.UUID, goals: tuple[str, ...], created_on: date
) -> int:
    """Add the goals not already in the plan (ignoring case), after the others; how many."""
    existing = session.scalars(
        select(TreatmentGoal).where(TreatmentGoal.participant_id == participant_id)
    ).all()
    known = {g.text.strip().casefold() for g in existing}
    sequence = max((g.sequence for g in existing), default=0)
    added = 0
    for text in goals:
        if text.casefold() in known:
            continue
        known.add(text.casefold())
        sequence += 1
        added += 1
        session.add(
            TreatmentGoal(
                participant_id=participant_id, sequence=sequence, text=text, created_on=created_on
            )
        )
    session.flush()
    return added


def _participant(session: Session, participant_id: uuid.UUID) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise DomainError("That participant is no longer in the records.")
    return participant


def _details_of(p: Participant) -> ParticipantDetails:
    return ParticipantDetails(
        p.chart_number,
        p.legal_first,
        p.legal_last,
        p.preferred_name or "",
        p.pronouns or "",
        p.date_of_birth,
        p.recovery_start,
    )


def _apply(p: Participant, details: ParticipantDetails) -> None:
    p.chart_number = details.chart_number
    p.legal_first, p.legal_last = details.first_name, details.last_name
    p.preferred_name = details.preferred_name or None
    p.pronouns = details.pronouns or None
    p.date_of_birth = details.date_of_birth
    p.recovery_start = details.recovery_start


def _chart_taken(session: Session, chart_number: str) -> bool:
    found = session.scalar(
        select(Participant.id).where(Participant.chart_number == chart_number).limit(1)
    )
    return found is not None


def _group_problems(session: Session, group_id: uuid.UUID | None) -> Problems:
    if group_id is None:
        return [("group", "Choose the group the participant joins.")]
    group = session.get(Group, group_id)
    if group is None or not group.active or not group.program.active:
        return [("group", "That group is no longer active; choose another.")]
    return []
