"""A unit of work: one ORM session, one committed transaction."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from facilitator.storage.database import Database


@contextmanager
def unit_of_work(database: Database) -> Iterator[Session]:
    """Commit when the block ends normally, roll back when it raises."""
    with database.sessions() as session, session.begin():
        yield session


@contextmanager
def one_transaction(database: Database) -> Iterator[Database]:
    """The database as the services see it, inside one transaction for the whole block: each
    unit of work on it is a savepoint, and all of them are committed together when the block
    ends normally, or none when it raises (a batch of use cases made all or nothing)."""
    with database.engine.connect() as connection, connection.begin():
        if connection.dialect.name == "sqlite":
            # Its driver begins only before a write, and a savepoint released outside a
            # transaction commits: begin the one transaction the savepoints nest in.
            connection.exec_driver_sql("BEGIN")
        sessions = sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        yield dataclasses.replace(database, sessions=sessions)
