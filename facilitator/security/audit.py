"""The audit log: who did what to which record, chained by an HMAC so tampering shows.

Each entry's `chain` is HMAC-SHA256 over the previous entry's chain and the canonical form
of the entry (sequence, time, actor, action, object, outcome, detail). The HMAC key is
derived from the database key (HKDF-SHA256, its own label) and never stored: whoever cannot
open the database cannot forge entries, and a row edited, inserted or deleted with plain SQL
no longer links. A checkpoint of the newest entry (a `setting` row, itself under the HMAC)
is updated in the same transaction, so cutting entries off the end shows too.

Details never hold note text or names: only ids, counts, kinds and file paths (checked).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from facilitator.storage.models import AuditEvent, Setting
from facilitator.storage.types import utcnow

HEAD_SETTING = "audit.head"
_KEY_LABEL = b"facilitator audit log HMAC key v1"
_KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_TOKEN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.:-]{0,63}$")
_MAX_PATH = 1024
_MAX_DETAIL_ITEMS = 20

DetailValue = str | int | bool | None


class AuditAction(StrEnum):
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    LOCK = "lock"
    UNLOCK = "unlock"
    VIEW_PARTICIPANT = "view_participant"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    SIGN = "sign"
    COSIGN = "cosign"
    RETURN = "return"
    ADDENDUM = "addendum"
    EXPORT = "export"
    PRINT = "print"
    BACKUP = "backup"
    RESTORE = "restore"
    IMPORT = "import"
    SETTINGS_CHANGE = "settings_change"
    ACCOUNT_CHANGE = "account_change"
    VERIFY = "verify"
    VIEW_SESSION = "view_session"
    PRINT_PREVIEW = "print_preview"
    CLEANUP = "cleanup"


class AuditDetailError(ValueError):
    """A caller tried to put something into an audit detail that could be PHI (a bug)."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One stored entry, as read back (for listing and verification)."""

    sequence: int
    occurred_at: datetime
    actor: uuid.UUID | None
    action: str
    object_type: str | None
    object_id: str | None
    outcome: str
    detail: Mapping[str, Any]
    chain: str


def audit_key(database_key: bytes) -> bytes:
    """The HMAC key of the audit chain, derived from (and kept like) the database key."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_LABEL)
    return hkdf.derive(database_key)


def check_detail(detail: Mapping[str, DetailValue] | None) -> dict[str, DetailValue]:
    """`detail` if every item is an id, count, flag, kind or path; else AuditDetailError.

    Keys are snake_case names. Strings are UUIDs, short lowercase tokens (kinds, statuses,
    dates), or, under keys ending in "path", file paths. Anything else (free text, names with
    capitals or spaces) is refused; the message names the key, never the value.
    """
    if not detail:
        return {}
    if len(detail) > _MAX_DETAIL_ITEMS:
        raise AuditDetailError(f"an audit detail holds at most {_MAX_DETAIL_ITEMS} items")
    clean: dict[str, DetailValue] = {}
    for key, value in detail.items():
        if not isinstance(key, str) or not _KEY_PATTERN.match(key):
            raise AuditDetailError("audit detail keys are short snake_case names")
        if isinstance(value, str) and not _allowed_string(key, value):
            raise AuditDetailError(
                f"audit detail {key!r} must be an id, a lowercase kind or a path, not free text"
            )
        if value is not None and not isinstance(value, str | int | bool):
            raise AuditDetailError(f"audit detail {key!r} must be a string, number or flag")
        clean[key] = value
    return clean


def _allowed_string(key: str, value: str) -> bool:
    if key == "path" or key.endswith("_path"):
        return 0 < len(value) <= _MAX_PATH and value.isprintable()
    if _TOKEN_PATTERN.match(value):
        return True
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def canonical(entry: AuditEntry) -> bytes:
    """The bytes the chain HMAC covers (everything but the chain itself)."""
    return json.dumps(
        {
            "sequence": entry.sequence,
            "time": entry.occurred_at.isoformat(timespec="microseconds"),
            "actor": str(entry.actor) if entry.actor is not None else None,
            "action": entry.action,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "outcome": entry.outcome,
            "detail": dict(entry.detail),
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
    ).encode("ascii")


def link(key: bytes, previous_chain: str, entry: AuditEntry) -> str:
    """The chain value `entry` must carry when it follows an entry with `previous_chain`."""
    message = previous_chain.encode("ascii") + b"\n" + canonical(entry)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def head_mac(key: bytes, head: Mapping[str, Any]) -> str:
    """The HMAC of the checkpoint naming the newest entry (all its items but the mac)."""
    items = {k: v for k, v in head.items() if k != "mac"}
    message = b"audit head\n" + json.dumps(items, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def lock_chain(session: Session) -> None:
    """Take the write lock the appenders take (a no-op write to the checkpoint row), so the
    chain and its checkpoint do not move until the caller's transaction ends."""
    session.execute(
        update(Setting)
        .where(Setting.key == HEAD_SETTING)
        .values(key=Setting.key)
        .execution_options(synchronize_session=False)
    )


def entry_of(event: AuditEvent) -> AuditEntry:
    return AuditEntry(
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        actor=event.clinician_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        outcome=event.outcome,
        detail=dict(event.detail or {}),
        chain=event.chain,
    )


class AuditTrail:
    """Appends chained entries inside the caller's transaction."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    @property
    def key(self) -> bytes:
        return self._key

    def record(
        self,
        session: Session,
        *,
        actor: uuid.UUID | None,
        action: AuditAction,
        object_type: str | None = None,
        object_id: str | None = None,
        outcome: str = "success",
        detail: Mapping[str, DetailValue] | None = None,
    ) -> None:
        """Add an entry for `action` to the caller's transaction (it commits with it).

        The first statement is a write to the checkpoint row, which takes the database's
        write lock (SQLite) or the row's lock (PostgreSQL) before the newest entry is read:
        two connections appending at once wait for each other instead of both taking the
        same next sequence.
        """
        clean = check_detail(detail)
        if not _TOKEN_PATTERN.match(outcome):
            raise AuditDetailError("an audit outcome is a short lowercase word")
        if object_id is not None and len(object_id) > 64:
            raise AuditDetailError("an audit object id is at most 64 characters")
        lock_chain(session)
        last = session.execute(
            select(AuditEvent.sequence, AuditEvent.chain)
            .order_by(AuditEvent.sequence.desc())
            .limit(1)
        ).first()
        head = session.get(Setting, HEAD_SETTING)
        trusted = head.value if head is not None and self._genuine(head.value) else None
        # Link to the checkpoint, not to the table's last row: entries cut off the end (or
        # added with plain SQL) then stay a visible gap (or an unlinked row) in the chain.
        if trusted is not None:
            previous_sequence = max(int(trusted["sequence"]), last[0] if last else 0)
            previous_chain = str(trusted["chain"])
        else:
            previous_sequence, previous_chain = (last[0], last[1]) if last else (0, "")
        entry = AuditEntry(
            sequence=previous_sequence + 1,
            occurred_at=utcnow(),
            actor=actor,
            action=str(action),
            object_type=object_type,
            object_id=object_id,
            outcome=outcome,
            detail=clean,
            chain="",
        )
        chain = link(self._key, previous_chain, entry)
        session.add(
            AuditEvent(
                sequence=entry.sequence,
                occurred_at=entry.occurred_at,
                clinician_id=actor,
                action=entry.action,
                object_type=object_type,
                object_id=object_id,
                outcome=outcome,
                detail=clean,
                chain=chain,
            )
        )
        value: dict[str, Any] = {"sequence": entry.sequence, "chain": chain}
        if trusted is None and last is not None:  # checkpoint removed or altered: say so
            value["rebuilt_at"] = entry.sequence
        elif trusted is not None and "rebuilt_at" in trusted:
            value["rebuilt_at"] = trusted["rebuilt_at"]
        value["mac"] = head_mac(self._key, value)
        if head is None:
            session.add(Setting(key=HEAD_SETTING, value=value))
        else:
            head.value = value

    def _genuine(self, head: Mapping[str, Any]) -> bool:
        return head.get("mac") == head_mac(self._key, head)
