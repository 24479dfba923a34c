"""Clinician accounts: who may sign in, and as whom."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.domain.users import Role, SignedInUser
from facilitator.storage.database import Database
from facilitator.storage.models import Clinician
from facilitator.storage.unit_of_work import unit_of_work


def signed_in_user(row: Clinician) -> SignedInUser:
    """The clinician as the rest of the code sees them once they have signed in."""
    return SignedInUser(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        credentials=row.credentials,
        role=Role(row.role),
        needs_cosignature=row.needs_cosignature,
    )


class Accounts:
    """Sign-in and account management over the clinic's database."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def first_administrator(self) -> SignedInUser | None:
        """Interim until the login dialog lands: the first administrator, if any."""
        with unit_of_work(self._database) as session:
            row = session.scalars(
                select(Clinician).where(Clinician.role == Role.ADMINISTRATOR.value).limit(1)
            ).first()
            return signed_in_user(row) if row else None
