"""Both storage back ends for integration tests: the SQLCipher file and a PostgreSQL server.

One throwaway PostgreSQL cluster serves the whole test session (tests/postgres_cluster.py);
each PostgreSQL database a test gets is new (CREATE DATABASE, from a migrated template when it
starts empty) and dropped after the test. A test asks for the `storage` fixture (ids
"sqlcipher" and "postgres") and makes its clinics and databases through it, so the same test
runs on both. PostgreSQL tests skip, saying why, only when the server binaries are missing.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from facilitator.storage.database import Database, open_database
from facilitator.storage.server import open_server_database, server_url, write_server_url
from tests.keys import TEST_KEY
from tests.postgres_cluster import Cluster, ClusterUnavailableError, new_cluster

SQLCIPHER = "sqlcipher"
POSTGRES = "postgres"
BACKENDS = (SQLCIPHER, POSTGRES)
TEMPLATE = "facilitator_template"  # migrated to head once per session


@dataclass
class Server:
    """The session's PostgreSQL cluster and the databases made on it."""

    cluster: Cluster
    names: Iterator[int] = field(default_factory=itertools.count)
    template_ready: bool = False

    def execute(self, statement: str) -> None:
        engine = create_engine(self.cluster.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    def new_database(self, template: str | None = None) -> str:
        """The URL of a new database: empty at head, or a copy of `template` (a name)."""
        if template is None:
            self._make_template()
            template = TEMPLATE
        name = f"clinic_{next(self.names)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.cluster.database_url(name)

    def drop(self, url: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)")

    def _make_template(self) -> None:
        if self.template_ready:
            return
        self.execute(f"CREATE DATABASE {TEMPLATE}")
        open_server_database(make_url(self.cluster.database_url(TEMPLATE)), TEST_KEY).close()
        self.template_ready = True


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """The session's PostgreSQL cluster, started on first use and removed at the end."""
    try:
        cluster = new_cluster()
    except ClusterUnavailableError as error:
        pytest.skip(f"PostgreSQL back end not tested: {error}")
    try:
        yield Server(cluster)
    finally:
        cluster.stop()


@dataclass
class Storage:
    """One back end, as tests use it: new databases and new clinic folders on it."""

    name: str
    request: pytest.FixtureRequest
    made: list[str] = field(default_factory=list)  # server databases to drop afterwards

    @property
    def server(self) -> Server | None:
        if self.name == SQLCIPHER:
            return None
        server: Server = self.request.getfixturevalue("postgres_server")
        return server

    def new_database(self, folder: Path) -> Database:
        """An empty database at the current schema (a file in `folder` on SQLCipher)."""
        server = self.server
        if server is None:
            return open_database(folder / "facilitator.db", TEST_KEY)
        url = self._remember(server.new_database())
        return open_server_database(make_url(url), TEST_KEY)

    def reopen(self, database: Database) -> Database:
        """The (closed) `database` opened again, as the app opens it."""
        if database.path is not None:
            return open_database(database.path, database.key)
        return open_server_database(database.engine.url, database.key)

    def new_clinic_folder(self, folder: Path) -> Path:
        """A data folder for a new clinic on this back end (open it with open_clinic)."""
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        server = self.server
        if server is not None:
            write_server_url(folder, self._remember(server.new_database()))
        return folder

    def copy_clinic_folder(self, source: Path, folder: Path) -> Path:
        """A copy of the (closed) clinic in `source`: its folder, and on a server its
        database, copied as a new database."""
        shutil.copytree(source, folder)
        url = server_url(source)
        server = self.server
        if url is not None and server is not None:
            write_server_url(folder, self._remember(server.new_database(url.database)))
        return folder

    def drop_clinic(self, folder: Path) -> None:
        """Drop the server database of the (closed) clinic in `folder`, if it has one."""
        url = server_url(folder)
        server = self.server
        if url is not None and server is not None:
            server.drop(url.render_as_string(hide_password=False))

    def _remember(self, url: str) -> str:
        self.made.append(url)
        return url

    def drop_made(self) -> None:
        server = self.server
        if server is not None:
            for url in self.made:
                server.drop(url)
        self.made.clear()


def storage_of(request: pytest.FixtureRequest) -> Iterator[Storage]:
    """The Storage of a fixture parametrised by BACKENDS; drops its databases afterwards."""
    storage = Storage(request.param, request)
    try:
        yield storage
    finally:
        storage.drop_made()


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest) -> Iterator[Storage]:
    """Each test using it runs once on SQLCipher and once on PostgreSQL."""
    yield from storage_of(request)


@pytest.fixture(scope="module", params=BACKENDS)
def module_storage(request: pytest.FixtureRequest) -> Iterator[Storage]:
    """Like `storage`, for module-scoped fixtures (a clinic made once per module and back end);
    a test's own copies are dropped with the module's databases."""
    yield from storage_of(request)
