"""Outcome measures: record and correct results (a correction keeps what it replaced), mark a
result entered in error (kept, counting nowhere), define new measures, the program's measure
schedule, the recovery start date."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.measures import (
    MeasureDefinition,
    MeasureDefinitionError,
    MeasureSchedule,
    definition_from_dict,
)
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.measure_results import (
    MeasureResultRow,
    MeasureVersion,
    definition_of,
    participant_results,
    result_history,
    result_row,
)
from facilitator.services.participant_history import record_change
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Measure,
    MeasureCorrection,
    MeasureResult,
    MeasureVoid,
    Participant,
    Program,
)
from facilitator.storage.unit_of_work import unit_of_work

RECOVERY_SET = "Set with Record > Set recovery start date"

REASON_MAX = 500  # characters in the reason of a correction or of entered in error


@dataclass(frozen=True)
class ProgramSchedule:
    """A program's measure settings, as the administrator sees them."""

    program_id: uuid.UUID
    name: str
    level_of_care: str
    length_weeks: int | None
    schedule: MeasureSchedule


class Measures:
    """Each call is one committed transaction, written to the audit log with it."""

    def __init__(self, database: Database, audit: AuditTrail) -> None:
        self._database = database
        self._audit = audit

    def definitions(self) -> list[MeasureDefinition]:
        """Active measures in name order."""
        with unit_of_work(self._database) as session:
            return active_definitions(session)

    def definition(self, code: str) -> MeasureDefinition:
        """A measure's definition, in use or not (its results may still need correcting)."""
        with unit_of_work(self._database) as session:
            measure = session.scalar(select(Measure).where(Measure.code == code))
            if measure is None:
                raise DomainError(f"No measure is coded {code}.")
            return definition_of(measure)

    def results(
        self, participant_id: uuid.UUID, *, entered_in_error: bool = False
    ) -> list[MeasureResultRow]:
        """The participant's results, oldest first; with `entered_in_error`, those marked so
        too (otherwise left out, as everywhere they would count)."""
        with unit_of_work(self._database) as session:
            return participant_results(session, participant_id, entered_in_error=entered_in_error)

    def record(
        self,
        user: SignedInUser,
        participant_id: uuid.UUID,
        code: str,
        taken_on: date,
        item_scores: Mapping[str, int],
        today: date,
    ) -> MeasureResultRow:
        """Score and store one administration; bad scores are refused and nothing is written."""
        _check_day(taken_on, today)
        with unit_of_work(self._database) as session:
            _participant(session, participant_id)
            measure = _measure(session, code)
            score = definition_of(measure).score(item_scores)
            result = MeasureResult(
                participant_id=participant_id,
                measure_id=measure.id,
                taken_on=taken_on,
                item_scores=dict(item_scores),
                total=score.total,
                band=score.band.label,
                risk=score.risk,
                recorded_by=user.id,
            )
            session.add(result)
            session.flush()
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.CREATE,
                object_type="measure_result",
                object_id=str(result.id),
                detail={"participant_id": str(participant_id), "measure": code.lower()},
            )
            return result_row(result, measure)

    def correct(
        self,
        user: SignedInUser,
        result_id: uuid.UUID,
        taken_on: date,
        item_scores: Mapping[str, int],
        reason: str,
        today: date,
    ) -> MeasureResultRow:
        """Correct a result entered wrongly: its date or item scores, scored again.

        The result as it stood is kept with the reason, who corrected it and when; nothing
        is overwritten without a trace (see `history`).
        """
        _check_day(taken_on, today)
        reason = _reason(reason, "Say why the result is corrected (what was entered wrongly).")
        with unit_of_work(self._database) as session:
            result = _standing_result(session, result_id, "corrected")
            score = definition_of(result.measure).score(item_scores)
            if taken_on == result.taken_on and dict(item_scores) == result.item_scores:
                raise DomainError(
                    "Nothing differs from the result as recorded: change a score "
                    "or the date, or cancel."
                )
            correction = MeasureCorrection(
                result_id=result.id,
                previous_taken_on=result.taken_on,
                previous_item_scores=dict(result.item_scores),
                previous_total=result.total,
                previous_band=result.band,
                previous_risk=result.risk,
                reason=reason,
                corrected_by=user.id,
            )
            session.add(correction)
            result.taken_on = taken_on
            result.item_scores = dict(item_scores)
            result.total, result.band, result.risk = score.total, score.band.label, score.risk
            self._audit_change(session, user, result, "correction", correction)
            return result_row(result, result.measure, len(result.corrections))

    def mark_entered_in_error(
        self, user: SignedInUser, result_id: uuid.UUID, reason: str
    ) -> MeasureResultRow:
        """Mark a result entered in error (recorded for the wrong participant, or never given).

        It stays in the records and its history, with who marked it, when and why, and counts
        nowhere from then on: totals, plots, the due list, risk, the discharge summary. The mark
        is final: the result is neither corrected nor marked again.
        """
        reason = _reason(
            reason, "Say why the result was entered in error (e.g. the wrong participant)."
        )
        with unit_of_work(self._database) as session:
            result = _standing_result(session, result_id, "marked again")
            void = MeasureVoid(result_id=result.id, reason=reason, voided_by=user.id)
            session.add(void)
            self._audit_change(session, user, result, "entered_in_error", void)
            return result_row(result, result.measure, len(result.corrections), True)

    def history(self, result_id: uuid.UUID) -> list[MeasureVersion]:
        """Every version of a result, the original entry first and the current one last."""
        with unit_of_work(self._database) as session:
            return result_history(session, _result(session, result_id))

    def define(self, user: SignedInUser, data: Mapping[str, Any]) -> MeasureDefinition:
        """Add a measure given as data (the shape of resources/measures/*.toml); admins only."""
        if not user.is_administrator:
            raise DomainError("Only an administrator can define a new measure.")
        definition = definition_from_dict(data)
        with unit_of_work(self._database) as session:
            if session.scalar(select(Measure.id).where(Measure.code == definition.code)):
                raise MeasureDefinitionError(
                    f"A measure coded {definition.code} already exists; choose another code."
                )
            measure = Measure(
                code=definition.code,
                name=definition.name,
                definition=definition.as_dict(),
                shipped=False,
            )
            session.add(measure)
            session.flush()
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.CREATE,
                object_type="measure_definition",
                object_id=str(measure.id),
            )
        return definition

    def recovery_start(self, participant_id: uuid.UUID) -> date | None:
        """The day the participant's recovery started, if recorded."""
        with unit_of_work(self._database) as session:
            return _participant(session, participant_id).recovery_start

    def set_recovery_start(
        self, user: SignedInUser, participant_id: uuid.UUID, day: date | None, today: date
    ) -> None:
        """Set or clear the day the participant's recovery started (for milestones)."""
        if day is not None:
            _check_day(day, today)
        with unit_of_work(self._database) as session:
            participant = _participant(session, participant_id)
            if day is not None and day < participant.date_of_birth:
                raise DomainError(
                    f"{day:%Y-%m-%d} is before the participant's date of birth "
                    f"{participant.date_of_birth:%Y-%m-%d}."
                )
            if participant.recovery_start != day:
                record_change(
                    session,
                    participant_id,
                    "recovery_start",
                    participant.recovery_start,
                    day,
                    RECOVERY_SET,
                    user.id,
                )
            participant.recovery_start = day
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.EDIT,
                object_type="participant",
                object_id=str(participant_id),
                detail={"field": "recovery_start"},
            )

    def programs(self) -> list[ProgramSchedule]:
        """Every program with its measure schedule and planned length, by name."""
        with unit_of_work(self._database) as session:
            return [
                ProgramSchedule(
                    p.id,
                    p.name,
                    p.level_of_care,
                    p.length_weeks,
                    MeasureSchedule.from_dict(p.measure_schedule or {}),
                )
                for p in session.scalars(select(Program).order_by(Program.name))
            ]

    def set_program_schedule(
        self,
        user: SignedInUser,
        program_id: uuid.UUID,
        schedule: MeasureSchedule,
        length_weeks: int | None,
    ) -> None:
        """The program's measure schedule and planned length; administrators only."""
        if not user.is_administrator:
            raise DomainError("Only an administrator can change a program's settings.")
        if length_weeks is not None and not 1 <= length_weeks <= 104:
            raise DomainError("A program lasts 1 to 104 weeks.")
        with unit_of_work(self._database) as session:
            known = set(session.scalars(select(Measure.code)))
            unknown = sorted(set(schedule.measures) - known)
            if unknown:
                raise DomainError(f"No measure is coded {', '.join(unknown)}.")
            program = session.get(Program, program_id)
            if program is None:
                raise DomainError("That program no longer exists.")
            program.measure_schedule = schedule.as_dict()
            program.length_weeks = length_weeks
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.SETTINGS_CHANGE,
                object_type="program",
                object_id=str(program_id),
                detail={"setting": "measure_schedule"},
            )

    def _audit_change(
        self,
        session: Session,
        user: SignedInUser,
        result: MeasureResult,
        kind: Literal["correction", "entered_in_error"],
        change: MeasureCorrection | MeasureVoid,
    ) -> None:
        """Audit a change to `result` kept as the row `change`, named in the detail as `kind`."""
        session.flush()
        self._audit.record(
            session,
            actor=user.id,
            action=AuditAction.EDIT,
            object_type="measure_result",
            object_id=str(result.id),
            detail={
                "participant_id": str(result.participant_id),
                "measure": result.measure.code.lower(),
                kind: str(change.id),
            },
        )


def active_definitions(session: Session) -> list[MeasureDefinition]:
    measures = session.scalars(select(Measure).where(Measure.active).order_by(Measure.name))
    return [definition_of(m) for m in measures]


def _check_day(day: date, today: date) -> None:
    if day > today:
        raise DomainError(f"{day:%Y-%m-%d} is in the future; record what has happened.")


def _participant(session: Session, participant_id: uuid.UUID) -> Participant:
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise DomainError("That participant is no longer in the records.")
    return participant


def _measure(session: Session, code: str) -> Measure:
    measure = session.scalar(select(Measure).where(Measure.code == code))
    if measure is None or not measure.active:
        raise DomainError(f"No active measure is coded {code}.")
    return measure


def _result(session: Session, result_id: uuid.UUID) -> MeasureResult:
    result = session.get(MeasureResult, result_id)
    if result is None:
        raise DomainError("That measure result is no longer in the records.")
    return result


def _standing_result(session: Session, result_id: uuid.UUID, what: str) -> MeasureResult:
    """The result, unless it was marked entered in error: that mark is final."""
    result = _result(session, result_id)
    if result.void is not None:
        raise DomainError(
            f"This result was marked entered in error and cannot be {what}; "
            "record the right result as a new one."
        )
    return result


def _reason(text: str, missing: str) -> str:
    reason = text.strip()
    if not reason:
        raise DomainError(missing)
    if len(reason) > REASON_MAX:
        raise DomainError(f"Keep the reason under {REASON_MAX} characters.")
    return reason
