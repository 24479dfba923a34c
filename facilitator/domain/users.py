"""Who is using the app: roles and the signed-in clinician as the rest of the code sees them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a clinician may do: facilitators run groups, supervisors co-sign, administrators
    manage accounts, settings, backups and the audit log."""

    FACILITATOR = "facilitator"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"


# Who admits, edits, transfers and steps down participants: the clinicians who run the groups
# as well as supervisors and administrators (intake is everyone's work in a small clinic).
ADMITTING_ROLES = frozenset({Role.FACILITATOR, Role.SUPERVISOR, Role.ADMINISTRATOR})


@dataclass(frozen=True, slots=True)
class SignedInUser:
    """The clinician behind every action of this run (after a successful login)."""

    id: uuid.UUID
    username: str
    display_name: str
    credentials: str
    role: Role
    needs_cosignature: bool

    @property
    def is_administrator(self) -> bool:
        return self.role is Role.ADMINISTRATOR

    @property
    def may_admit(self) -> bool:
        """Admit participants, edit their details and goals, transfer and step them down."""
        return self.role in ADMITTING_ROLES

    @property
    def can_cosign(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMINISTRATOR)
