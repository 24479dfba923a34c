"""Reading the audit log (administrators only): filtered listing and verification."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.security.audit_verify import AuditReport, verify_audit_log
from facilitator.storage.models import AuditEvent, Clinician

DEFAULT_LIMIT = 5000


class NotAnAdministratorError(DomainError):
    """Only administrators read and verify the audit log."""

    def __init__(self) -> None:
        super().__init__("Only an administrator can read or verify the audit log.")


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """Which entries to list; None means any. `until` is exclusive."""

    since: datetime | None = None
    until: datetime | None = None
    username: str | None = None
    action: AuditAction | None = None
    object_type: str | None = None
    object_id: str | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One entry as the audit view shows it."""

    sequence: int
    occurred_at: datetime
    username: str | None
    action: str
    object_type: str | None
    object_id: str | None
    outcome: str
    detail: str


def require_administrator(user: SignedInUser) -> None:
    if not user.is_administrator:
        raise NotAnAdministratorError()


def list_entries(session: Session, audit_filter: AuditFilter) -> list[AuditRow]:
    """Matching entries, newest first, at most `audit_filter.limit`."""
    query = _filtered(
        select(AuditEvent, Clinician.username).outerjoin(
            Clinician, Clinician.id == AuditEvent.clinician_id
        ),
        audit_filter,
    )
    rows = session.execute(query.order_by(AuditEvent.sequence.desc()).limit(audit_filter.limit))
    return [
        AuditRow(
            sequence=event.sequence,
            occurred_at=event.occurred_at,
            username=username,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            outcome=event.outcome,
            detail=json.dumps(event.detail, sort_keys=True) if event.detail else "",
        )
        for event, username in rows
    ]


def usernames(session: Session) -> list[str]:
    """Every clinician's username, for the user filter."""
    return list(session.scalars(select(Clinician.username).order_by(Clinician.username)))


def verify(session: Session, trail: AuditTrail, user: SignedInUser) -> AuditReport:
    """Check the whole chain, and record that `user` did (with the outcome)."""
    report = verify_audit_log(session, trail.key)
    trail.record(
        session,
        actor=user.id,
        action=AuditAction.VERIFY,
        object_type="audit_log",
        outcome="success" if report.intact else "problems_found",
        detail={"entries": report.entries, "problems": len(report.problems)},
    )
    return report


def _filtered(query: Select[AuditEvent, str], audit_filter: AuditFilter) -> Select[AuditEvent, str]:
    if audit_filter.since is not None:
        query = query.where(AuditEvent.occurred_at >= audit_filter.since)
    if audit_filter.until is not None:
        query = query.where(AuditEvent.occurred_at < audit_filter.until)
    if audit_filter.username:
        query = query.where(Clinician.username == audit_filter.username)
    if audit_filter.action is not None:
        query = query.where(AuditEvent.action == str(audit_filter.action))
    if audit_filter.object_type:
        query = query.where(AuditEvent.object_type == audit_filter.object_type)
    if audit_filter.object_id:
        query = query.where(AuditEvent.object_id.contains(audit_filter.object_id))
    return query
