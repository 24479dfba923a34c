"""A data folder naming a PostgreSQL database (facilitator.server.toml) opens its clinic there;
bad settings, an unreachable server and a newer schema are refused, saying what to do."""

from __future__ import annotations

import stat
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, select, text

from facilitator.app import open_clinic
from facilitator.security.audit import AuditAction
from facilitator.security.key_info import KEY_INFO_FILENAME
from facilitator.services.audit_log import AuditFilter
from facilitator.storage.database import DATABASE_FILENAME, head_revision
from facilitator.storage.errors import ServerFeatureError
from facilitator.storage.models import Clinician, Participant
from facilitator.storage.server import (
    SERVER_FILENAME,
    BothBackendsError,
    ServerNewerSchemaError,
    ServerSettingError,
    ServerUnreachableError,
    describe,
    open_server_database,
    server_url,
    write_server_url,
)
from facilitator.storage.unit_of_work import unit_of_work
from tests.keys import TEST_KEY
from tests.storage_backends import Server
from tests.users import signed_in


@pytest.fixture
def empty_url(postgres_server: Server) -> Iterator[str]:
    """A new database with no schema at all (not from the migrated template)."""
    url = postgres_server.new_database("template0")
    yield url
    postgres_server.drop(url)


def test_a_folder_naming_a_server_keeps_its_clinic_there(empty_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir(mode=0o700)
    setting = write_server_url(folder, empty_url)
    assert stat.S_IMODE(setting.stat().st_mode) == 0o600

    clinic = open_clinic(folder)
    try:
        assert clinic.recovery_code is not None  # a new clinic key, shown once
        assert clinic.database.on_server
        with unit_of_work(clinic.database) as session:
            session.add(Clinician(username="admin", display_name="A Admin", role="administrator"))
            session.add(
                Participant(
                    chart_number="IOP-1",
                    legal_first="Pat",
                    legal_last="Doe",
                    date_of_birth=date(1990, 1, 1),
                )
            )
        clinic.record_audit(None, AuditAction.CREATE, object_type="participant")
    finally:
        clinic.close()
    assert not (folder / DATABASE_FILENAME).exists()
    assert (folder / KEY_INFO_FILENAME).exists()

    again = open_clinic(folder)
    try:
        assert again.recovery_code is None
        with unit_of_work(again.database) as session:
            assert session.scalars(select(Participant.chart_number)).all() == ["IOP-1"]
        report = again.verify_audit(signed_in(again.database, "admin"))
        assert report.intact and report.entries >= 1  # the same clinic key keys the chain
    finally:
        again.close()
    engine = create_engine(empty_url)
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()
    assert version == head_revision()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("url = ", "it is not readable TOML"),
        ('host = "db.clinic.example"\n', "it has no url"),
        ('url = "not a url"\n', "its url is not a database URL"),
        ('url = "sqlite:///clinic.db"\n', "its url is not a PostgreSQL one (sqlite)"),
        ('url = "postgresql+psycopg://app@db.clinic.example"\n', "its url names no database"),
    ],
)
def test_a_bad_server_setting_says_what_is_wrong_and_creates_nothing(
    tmp_path: Path, content: str, reason: str
) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir(mode=0o700)
    (folder / SERVER_FILENAME).write_text(content)

    with pytest.raises(ServerSettingError) as refused:
        open_clinic(folder)

    assert reason in str(refused.value) and SERVER_FILENAME in str(refused.value)
    assert sorted(p.name for p in folder.iterdir()) == [SERVER_FILENAME]


def test_an_unreachable_server_is_named_but_never_its_password(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://app:s3cret-pw@/clinic?host={tmp_path / 'nowhere'}&port=5999"
    with pytest.raises(ServerUnreachableError) as refused:
        open_server_database(make_url(url), TEST_KEY)
    message = str(refused.value)
    assert f"{tmp_path / 'nowhere'}:5999, database clinic" in message
    assert "could not be reached" in message and "s3cret" not in message


def test_a_server_with_a_newer_schema_is_left_untouched(empty_url: str) -> None:
    open_server_database(make_url(empty_url), TEST_KEY).close()
    engine = create_engine(empty_url)
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(ServerNewerSchemaError, match=r"newer version .*\(9999\)"):
            open_server_database(make_url(empty_url), TEST_KEY)
        with engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        assert version == "9999"
    finally:
        engine.dispose()


def test_two_computers_opening_a_new_server_at_once_migrate_it_once(empty_url: str) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def open_and_close() -> None:
        start.wait()
        try:
            open_server_database(make_url(empty_url), TEST_KEY).close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_and_close) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    engine = create_engine(empty_url)
    try:
        with engine.connect() as connection:
            triggers = connection.execute(
                text("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal")
            ).scalar()
    finally:
        engine.dispose()
    assert triggers == 28


def test_a_folder_with_a_database_file_and_a_server_opens_neither(
    empty_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    open_clinic(folder).close()  # a clinic in a database file
    write_server_url(folder, empty_url)
    before = (folder / DATABASE_FILENAME).read_bytes()

    with pytest.raises(BothBackendsError, match="Move one of them out of the folder"):
        open_clinic(folder)

    assert (folder / DATABASE_FILENAME).read_bytes() == before
    assert server_url(folder) == make_url(empty_url)


def test_a_backup_of_a_server_clinic_says_it_is_not_built_and_writes_nothing(
    empty_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir(mode=0o700)
    write_server_url(folder, empty_url)
    target = tmp_path / "backups"
    target.mkdir()
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            session.add(Clinician(username="admin", display_name="A Admin", role="administrator"))
        with pytest.raises(ServerFeatureError, match="on a PostgreSQL server"):
            clinic.backups.back_up_to(target, None, datetime.now(UTC))
    finally:
        clinic.close()
    assert list(target.iterdir()) == []
    again = open_clinic(folder)
    try:
        newest = again.audit_entries(signed_in(again.database, "admin"), AuditFilter(limit=1))[0]
    finally:
        again.close()
    assert (newest.action, newest.outcome) == ("backup", "failure")


def test_the_setting_keeps_any_url_exactly_and_names_the_server_without_the_password(
    tmp_path: Path,
) -> None:
    url = "postgresql+psycopg://app:p%22w\\d@db.clinic.example:6432/clinic?sslmode=verify-full"
    write_server_url(tmp_path, url)

    read = server_url(tmp_path)

    assert read is not None
    assert read == make_url(url) and read.password == 'p"w\\d'
    assert read.query == {"sslmode": "verify-full"}
    assert describe(read) == "db.clinic.example:6432, database clinic"
