"""Signed-in clinicians for tests that drive windows without a login dialog."""

from __future__ import annotations

from sqlalchemy import select

from facilitator.domain.users import SignedInUser
from facilitator.services.accounts import signed_in_user
from facilitator.storage.database import Database
from facilitator.storage.models import Clinician
from facilitator.storage.unit_of_work import unit_of_work


def signed_in(database: Database, username: str) -> SignedInUser:
    """The clinician `username` as if they had just signed in (no password asked)."""
    with unit_of_work(database) as session:
        row = session.scalars(select(Clinician).where(Clinician.username == username)).one()
        return signed_in_user(row)
