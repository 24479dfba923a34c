"""Outcome measures: record and correct results (a correction keeps what it replaced), define
new measures, the program's measure schedule, the recovery start date."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
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
from facilitator.storage.database import Database
from facilitator.storage.models import (
    Clinician,
    Measure,
    MeasureCorrection,
    MeasureResult,
    Participant,
    Program,
)
from facilitator.storage.unit_of_work import unit_of_work

REASON_MAX = 500  # characters in a correction's reason


@dataclass(frozen=True)
class MeasureResultRow:
    result_id: uuid.UUID
    participant_id: uuid.UUID
    code: str
    name: str
    taken_on: date
    item_scores: Mapping[str, int]
    total: int
    band: str
    risk: bool
    low: int
    high: int
    corrections: int = 0  # how many times the result was corrected

    @property
    def corrected(self) -> bool:
        return self.corrections > 0


@dataclass(frozen=True)
class MeasureVersion:
    """A result as it stood: first as entered, then after each correction (with its reason)."""

    taken_on: date
    item_scores: Mapping[str, int]
    total: int
    band: str
    risk: bool
    by: str  # who entered it, or who made the correction
    at: datetime  # aware, UTC
    reason: str | None  # None for the original entry

    @property
    def original(self) -> bool:
        return self.reason is None


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
            return _definition(measure)

    def results(self, participant_id: uuid.UUID) -> list[MeasureResultRow]:
        """The participant's results, oldest first."""
        with unit_of_work(self._database) as session:
            return participant_results(session, participant_id)

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
            if session.get(Participant, participant_id) is None:
                raise DomainError("That participant is no longer in the records.")
            measure = _measure(session, code)
            score = _definition(measure).score(item_scores)
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
            return _row(result, measure)

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
        reason = reason.strip()
        if not reason:
            raise DomainError("Say why the result is corrected (what was entered wrongly).")
        if len(reason) > REASON_MAX:
            raise DomainError(f"Keep the reason under {REASON_MAX} characters.")
        with unit_of_work(self._database) as session:
            result = _result(session, result_id)
            score = _definition(result.measure).score(item_scores)
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
                    "correction": str(correction.id),
                },
            )
            return _row(result, result.measure, len(result.corrections))

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

    def set_recovery_start(
        self, user: SignedInUser, participant_id: uuid.UUID, day: date | None, today: date
    ) -> None:
        """Set or clear the day the participant's recovery started (for milestones)."""
        if day is not None:
            _check_day(day, today)
        with unit_of_work(self._database) as session:
            participant = session.get(Participant, participant_id)
            if participant is None:
                raise DomainError("That participant is no longer in the records.")
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


def active_definitions(session: Session) -> list[MeasureDefinition]:
    measures = session.scalars(select(Measure).where(Measure.active).order_by(Measure.name))
    return [_definition(m) for m in measures]


def participant_results(session: Session, participant_id: uuid.UUID) -> list[MeasureResultRow]:
    corrections = (
        select(MeasureCorrection.result_id, func.count().label("count"))
        .group_by(MeasureCorrection.result_id)
        .subquery()
    )
    results = session.execute(
        select(MeasureResult, Measure, corrections.c.count)
        .join(Measure, MeasureResult.measure_id == Measure.id)
        .outerjoin(corrections, corrections.c.result_id == MeasureResult.id)
        .where(MeasureResult.participant_id == participant_id)
        .order_by(MeasureResult.taken_on, MeasureResult.recorded_at)
    ).all()
    return [_row(result, measure, count or 0) for result, measure, count in results]


def result_history(session: Session, result: MeasureResult) -> list[MeasureVersion]:
    """The versions of `result`: each correction keeps the values it replaced."""
    corrections = list(result.corrections)  # oldest first
    names = _names(session, [result.recorded_by, *(c.corrected_by for c in corrections)])
    values = [
        (
            c.previous_taken_on,
            c.previous_item_scores,
            c.previous_total,
            c.previous_band,
            c.previous_risk,
        )
        for c in corrections
    ]
    values.append((result.taken_on, result.item_scores, result.total, result.band, result.risk))
    authors: list[tuple[uuid.UUID | None, datetime, str | None]] = [
        (result.recorded_by, result.recorded_at, None)
    ]
    authors += [(c.corrected_by, c.corrected_at, c.reason) for c in corrections]
    return [
        MeasureVersion(
            taken_on=taken_on,
            item_scores=_scores(scores),
            total=total,
            band=band,
            risk=risk,
            by=names.get(who, "") if who else "",
            at=at,
            reason=reason,
        )
        for (taken_on, scores, total, band, risk), (who, at, reason) in zip(
            values, authors, strict=True
        )
    ]


def _check_day(day: date, today: date) -> None:
    if day > today:
        raise DomainError(f"{day:%Y-%m-%d} is in the future; record what has happened.")


def _measure(session: Session, code: str) -> Measure:
    measure = session.scalar(select(Measure).where(Measure.code == code))
    if measure is None or not measure.active:
        raise DomainError(f"No active measure is coded {code}.")
    return measure


def _definition(measure: Measure) -> MeasureDefinition:
    return definition_from_dict(measure.definition)


def _result(session: Session, result_id: uuid.UUID) -> MeasureResult:
    result = session.get(MeasureResult, result_id)
    if result is None:
        raise DomainError("That measure result is no longer in the records.")
    return result


def _names(session: Session, ids: list[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    rows = session.execute(
        select(Clinician.id, Clinician.display_name).where(Clinician.id.in_(wanted))
    )
    return {clinician_id: name for clinician_id, name in rows}


def _scores(item_scores: Mapping[str, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in item_scores.items()}


def _row(result: MeasureResult, measure: Measure, corrections: int = 0) -> MeasureResultRow:
    definition = _definition(measure)
    return MeasureResultRow(
        result_id=result.id,
        participant_id=result.participant_id,
        code=measure.code,
        name=measure.name,
        taken_on=result.taken_on,
        item_scores=_scores(result.item_scores),
        total=result.total,
        band=result.band,
        risk=result.risk,
        low=definition.low,
        high=definition.high,
        corrections=corrections,
    )
