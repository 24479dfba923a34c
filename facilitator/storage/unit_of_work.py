"""A unit of work: one ORM session, one committed transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from facilitator.storage.database import Database


@contextmanager
def unit_of_work(database: Database) -> Iterator[Session]:
    """Commit when the block ends normally, roll back when it raises."""
    with database.sessions() as session, session.begin():
        yield session
