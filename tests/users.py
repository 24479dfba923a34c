"""Signed-in clinicians for tests and benchmarks that drive windows without a login dialog."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.domain.users import Role, SignedInUser
from facilitator.storage.database import Database
from facilitator.storage.models import Clinician
from facilitator.storage.unit_of_work import unit_of_work


def signed_in(database: Database, username: str) -> SignedInUser:
    """The clinician `username` as if they had just logged in (no password asked)."""
    with unit_of_work(database) as session:
        row = session.scalars(select(Clinician).where(Clinician.username == username)).one()
        return SignedInUser(
            id=row.id,
            username=row.username,
            display_name=row.display_name,
            credentials=row.credentials,
            role=Role(row.role),
            needs_cosignature=row.needs_cosignature,
        )
