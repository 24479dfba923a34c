"""Outcome measures: record and correct results, define new measures, milestone settings."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

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
from facilitator.storage.database import Database
from facilitator.storage.models import Measure, MeasureResult, Participant, Program
from facilitator.storage.unit_of_work import unit_of_work


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


class Measures:
    """Each call is one committed transaction, written to the audit log with it."""

    def __init__(self, database: Database, audit: AuditTrail) -> None:
        self._database = database
        self._audit = audit

    def definitions(self) -> list[MeasureDefinition]:
        """Active measures in name order."""
        with unit_of_work(self._database) as session:
            return active_definitions(session)

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

    def edit(
        self,
        user: SignedInUser,
        result_id: uuid.UUID,
        taken_on: date,
        item_scores: Mapping[str, int],
        today: date,
    ) -> MeasureResultRow:
        """Correct a result's date or item scores; the total and band are scored again."""
        _check_day(taken_on, today)
        with unit_of_work(self._database) as session:
            result = session.get(MeasureResult, result_id)
            if result is None:
                raise DomainError("That measure result is no longer in the records.")
            score = _definition(result.measure).score(item_scores)
            result.taken_on = taken_on
            result.item_scores = dict(item_scores)
            result.total, result.band, result.risk = score.total, score.band.label, score.risk
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.EDIT,
                object_type="measure_result",
                object_id=str(result.id),
                detail={"participant_id": str(result.participant_id)},
            )
            return _row(result, result.measure)

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
    results = session.execute(
        select(MeasureResult, Measure)
        .join(Measure, MeasureResult.measure_id == Measure.id)
        .where(MeasureResult.participant_id == participant_id)
        .order_by(MeasureResult.taken_on, MeasureResult.recorded_at)
    ).all()
    return [_row(result, measure) for result, measure in results]


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


def _row(result: MeasureResult, measure: Measure) -> MeasureResultRow:
    definition = _definition(measure)
    return MeasureResultRow(
        result_id=result.id,
        participant_id=result.participant_id,
        code=measure.code,
        name=measure.name,
        taken_on=result.taken_on,
        item_scores={str(k): int(v) for k, v in result.item_scores.items()},
        total=result.total,
        band=result.band,
        risk=result.risk,
        low=definition.low,
        high=definition.high,
    )
