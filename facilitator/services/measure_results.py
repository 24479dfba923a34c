"""Measure results as read: each result as it stands, and its history (the original entry,
each correction, and its mark when it was entered in error).

A result marked entered in error stays in the records and in its history, but counts nowhere:
`participant_results` leaves it out unless asked, and `standing` keeps it out of other queries.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from facilitator.domain.measures import MeasureDefinition, definition_from_dict
from facilitator.storage.models import (
    Clinician,
    Measure,
    MeasureCorrection,
    MeasureResult,
    MeasureVoid,
)


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
    entered_in_error: bool = False  # marked so: kept, but counts nowhere

    @property
    def corrected(self) -> bool:
        return self.corrections > 0


@dataclass(frozen=True)
class MeasureVersion:
    """A result as it stood: first as entered, then after each correction (with its reason);
    last, when it was marked entered in error, that mark (the values it had, who, when, why)."""

    taken_on: date
    item_scores: Mapping[str, int]
    total: int
    band: str
    risk: bool
    by: str  # who entered it, corrected it or marked it entered in error
    at: datetime  # aware, UTC
    reason: str | None  # None for the original entry
    entered_in_error: bool = False  # this is the mark, not a version of the values

    @property
    def original(self) -> bool:
        return self.reason is None


def standing() -> ColumnElement[bool]:
    """A WHERE clause on MeasureResult: not marked entered in error."""
    return ~exists().where(MeasureVoid.result_id == MeasureResult.id)


def participant_results(
    session: Session, participant_id: uuid.UUID, *, entered_in_error: bool = False
) -> list[MeasureResultRow]:
    """The participant's results, oldest first; with `entered_in_error`, those marked so too."""
    corrections = (
        select(MeasureCorrection.result_id, func.count().label("count"))
        .group_by(MeasureCorrection.result_id)
        .subquery()
    )
    statement = (
        select(MeasureResult, Measure, corrections.c.count, MeasureVoid.id)
        .join(Measure, MeasureResult.measure_id == Measure.id)
        .outerjoin(corrections, corrections.c.result_id == MeasureResult.id)
        .outerjoin(MeasureVoid, MeasureVoid.result_id == MeasureResult.id)
        .where(MeasureResult.participant_id == participant_id)
        .order_by(MeasureResult.taken_on, MeasureResult.recorded_at)
    )
    if not entered_in_error:
        statement = statement.where(MeasureVoid.id.is_(None))
    return [
        result_row(result, measure, count or 0, void_id is not None)
        for result, measure, count, void_id in session.execute(statement).all()
    ]


def result_history(session: Session, result: MeasureResult) -> list[MeasureVersion]:
    """The versions of `result`: each correction keeps the values it replaced; its mark of
    entered in error, if any, comes last."""
    corrections = list(result.corrections)  # oldest first
    void = result.void
    names = _names(
        session,
        [
            result.recorded_by,
            *(c.corrected_by for c in corrections),
            void.voided_by if void else None,
        ],
    )
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
    if void is not None:
        values.append(values[-1])
        authors.append((void.voided_by, void.voided_at, void.reason))
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
            entered_in_error=void is not None and number == len(values) - 1,
        )
        for number, ((taken_on, scores, total, band, risk), (who, at, reason)) in enumerate(
            zip(values, authors, strict=True)
        )
    ]


def definition_of(measure: Measure) -> MeasureDefinition:
    return definition_from_dict(measure.definition)


def result_row(
    result: MeasureResult, measure: Measure, corrections: int = 0, entered_in_error: bool = False
) -> MeasureResultRow:
    definition = definition_of(measure)
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
        entered_in_error=entered_in_error,
    )


def _names(session: Session, ids: list[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    rows = session.execute(
        select(Clinician.id, Clinician.display_name).where(Clinician.id.in_(wanted))
    )
    return {clinician_id: name for clinician_id, name in rows}


def _scores(item_scores: Mapping[str, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in item_scores.items()}
