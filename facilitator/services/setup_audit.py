"""How a setup change is written to the audit log: what changed, field by field, with the
value before and after.

Setup data is not PHI, but the audit log refuses free text on principle: a value that is a
number, a flag, a date or a short lowercase token is written as it is; any other text is
written as `text:` and the first 16 hex digits of its SHA-256, which shows that it changed and
lets an auditor match it against an exported configuration without the log holding prose.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping
from datetime import date, time
from typing import Any

from sqlalchemy.orm import Session

from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail, DetailValue, check_detail
from facilitator.services.account_store import AccountError

Changes = dict[str, tuple[Any, Any]]
_PAIRS_PER_ENTRY = 9  # an audit detail holds 20 items: the change kind and 9 before/after pairs


def require_setup_administrator(user: SignedInUser) -> None:
    """Only administrators change the clinic's setup."""
    if not user.is_administrator:
        raise AccountError("Only an administrator can change the clinic's setup.")


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """Each key whose value differs, with its value before and after (None when absent)."""
    return {
        key: (before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def audit_value(value: Any) -> DetailValue:
    """`value` as the audit log may hold it (see the module's docstring)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, default=str)
    try:
        check_detail({"value": text})
    except ValueError:
        return "text:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return text


def record_setup_change(
    session: Session,
    audit: AuditTrail,
    user: SignedInUser,
    object_type: str,
    object_id: uuid.UUID | str,
    change: str,
    changes: Changes,
) -> None:
    """Audit `change` ("created", "edited", "deactivated" ...) of one setup item; entries of
    nine fields each when more changed."""
    session.flush()
    items = list(changes.items())
    chunks = [items[i : i + _PAIRS_PER_ENTRY] for i in range(0, len(items), _PAIRS_PER_ENTRY)]
    for chunk in chunks or [[]]:
        detail: dict[str, DetailValue] = {"change": change}
        for field, (old, new) in chunk:
            detail[f"{field}_was"] = audit_value(old)
            detail[f"{field}_now"] = audit_value(new)
        audit.record(
            session,
            actor=user.id,
            action=AuditAction.SETTINGS_CHANGE,
            object_type=object_type,
            object_id=str(object_id),
            detail=detail,
        )
