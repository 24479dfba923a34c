"""Encryption at rest: no PHI in plain bytes, and clear ways out of every key problem."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from keyring.backends import fail
from sqlalchemy import URL, create_engine, select
from sqlalchemy.orm import sessionmaker

from facilitator.app import open_clinic
from facilitator.cli.main import EXIT_USER_ERROR, main
from facilitator.security import database_key, key_store
from facilitator.security.audit import AuditTrail, audit_key
from facilitator.security.database_key import restore_key
from facilitator.security.errors import (
    BadRecoveryCodeError,
    GuessablePassphraseError,
    KeyInfoMissingError,
    MissingKeyError,
    PassphraseRequiredError,
    WeakPassphraseError,
    WrongKeyError,
    WrongPassphraseError,
)
from facilitator.security.export_receipts import RECEIPTS_FOLDER
from facilitator.security.key_info import KEY_INFO_FILENAME, read_key_info
from facilitator.security.passphrase_store import PASSPHRASE_VARIABLE, WRAPPED_KEY_FILENAME
from facilitator.security.recovery import recovery_code
from facilitator.services.demo import create_demo_clinic
from facilitator.storage.database import DATABASE_FILENAME, MIGRATIONS, Database, open_database
from facilitator.storage.encryption import (
    ENCRYPTING_SUFFIX,
    PLAINTEXT_SUFFIX,
    finish_interrupted_conversion,
)
from facilitator.storage.errors import NotADatabaseError
from facilitator.storage.models import Participant
from facilitator.storage.unit_of_work import unit_of_work
from tests.keys import TEST_KEY, MemoryKeyring, keyed_connection

DEMO_MONDAY = date(2026, 11, 23)
SYNTHETIC_NAME = "Quorrindale"  # a name that appears nowhere else


def _participant(last: str = SYNTHETIC_NAME) -> Participant:
    return Participant(
        chart_number="IOP-9", legal_first="Wenonah", legal_last=last, date_of_birth=date(1990, 1, 1)
    )


def _files(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _files_naming(folder: Path, names: set[str]) -> list[tuple[str, str]]:
    """(file, name) for every name found in any file under `folder`, in UTF-8 or UTF-16."""
    found = []
    for path, data in _files(folder).items():
        for name in names:
            forms = (name.encode("utf-8"), name.encode("utf-16-le"), name.upper().encode())
            if any(form in data for form in forms):
                found.append((path.name, name))
    return found


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with no usable keyring: the key is wrapped by the administrator passphrase."""
    monkeypatch.setattr(database_key, "system_keyring", lambda: None)
    monkeypatch.setenv(PASSPHRASE_VARIABLE, "correct horse battery staple")


@pytest.fixture
def clinic_folder(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A new clinic with one participant; yields its folder and recovery code."""
    folder = tmp_path / "clinic"
    clinic = open_clinic(folder)
    assert clinic.recovery_code is not None
    with unit_of_work(clinic.database) as session:
        session.add(_participant())
    clinic.close()
    yield folder, clinic.recovery_code


def _database_id(folder: Path) -> str:
    info = read_key_info(folder)
    assert info is not None
    return info.database_id


def test_database_and_wal_hold_no_name_in_plain_bytes(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILENAME
    database = open_database(path, TEST_KEY)
    try:
        with unit_of_work(database) as session:
            session.add(_participant())
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size > 0  # the row is in the WAL, not yet checkpointed
        assert _files_naming(tmp_path, {SYNTHETIC_NAME}) == []
    finally:
        database.close()
    assert _files_naming(tmp_path, {SYNTHETIC_NAME}) == []
    assert not path.read_bytes().startswith(b"SQLite format 3")


def test_demo_folder_holds_no_participant_name_anywhere(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    code, out, err = _cli("--data-dir", str(folder), "demo", "--today", "2026-11-23")
    assert code == 0, err
    clinic = open_clinic(folder)
    try:
        with clinic.database.sessions() as session:
            names = set(session.scalars(select(Participant.legal_last)))
            names |= set(session.scalars(select(Participant.legal_first)))
        assert len(names) > 20
        clinic.roster(DEMO_MONDAY)
        clinic.day_blocks(DEMO_MONDAY)
        assert _files_naming(folder, names) == []  # while open: the WAL too
    finally:
        clinic.close()
    assert sorted(p.name for p in folder.iterdir()) == [
        DATABASE_FILENAME,
        KEY_INFO_FILENAME,
        RECEIPTS_FOLDER,  # ids and hashes only (facilitator.security.export_receipts)
    ]
    assert _files_naming(folder, names) == []
    assert not any(name in out or name in err for name in names)


def test_wrong_key_is_explained_and_the_file_left_untouched(
    clinic_folder: tuple[Path, str], memory_keyring: MemoryKeyring
) -> None:
    folder, _ = clinic_folder
    memory_keyring.set_password(key_store.SERVICE, _database_id(folder), bytes(32).hex())
    before = _files(folder)
    with pytest.raises(WrongKeyError) as raised:
        open_clinic(folder)
    assert "not the key of the clinic database" in str(raised.value)
    assert "recovery code" in str(raised.value)
    assert _files(folder) == before


def test_missing_key_is_explained_then_restored_from_the_recovery_code(
    clinic_folder: tuple[Path, str], memory_keyring: MemoryKeyring
) -> None:
    folder, code = clinic_folder
    memory_keyring.delete_password(key_store.SERVICE, _database_id(folder))
    before = _files(folder)
    with pytest.raises(MissingKeyError) as raised:
        open_clinic(folder)
    message = str(raised.value)
    assert "was not found in the system keyring" in message
    assert "recovery code" in message and "key recover" in message
    assert _files(folder) == before

    cli_code, out, err = _cli_with_stdin(code.lower().replace("-", " "), folder)
    assert cli_code == 0, err
    assert "restored to the system keyring" in out
    clinic = open_clinic(folder)
    try:
        assert clinic.recovery_code is None
        with clinic.database.sessions() as session:
            assert session.scalars(select(Participant.legal_last)).all() == [SYNTHETIC_NAME]
    finally:
        clinic.close()


def _cli_with_stdin(text: str, folder: Path) -> tuple[int, str, str]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(text + "\n"))
        return _cli("--data-dir", str(folder), "key", "recover")


def test_bad_recovery_codes_change_nothing(clinic_folder: tuple[Path, str]) -> None:
    folder, code = clinic_folder
    before = _files(folder)
    path = folder / DATABASE_FILENAME
    store = database_key.default_key_store(folder, lambda *, new: "")
    typo = code[:5] + ("A" if code[5] != "A" else "B") + code[6:]
    with pytest.raises(BadRecoveryCodeError, match="typing mistake"):
        restore_key(path, typo, store)
    with pytest.raises(BadRecoveryCodeError, match="letters and digits"):
        restore_key(path, code[:-4], store)
    with pytest.raises(BadRecoveryCodeError, match="another clinic"):
        restore_key(path, recovery_code(TEST_KEY), store)
    assert _files(folder) == before
    code_, _, err = _cli_with_stdin("not a code", folder)
    assert code_ == EXIT_USER_ERROR and "cannot be used" in err


def test_lost_key_info_file_is_explained_and_recovered(clinic_folder: tuple[Path, str]) -> None:
    folder, code = clinic_folder
    (folder / KEY_INFO_FILENAME).unlink()
    with pytest.raises(KeyInfoMissingError, match="recovery code"):
        open_clinic(folder)
    restore_key(folder / DATABASE_FILENAME, code, database_key.default_key_store(folder, _no))
    open_clinic(folder).close()


def _no(*, new: bool) -> str:
    raise AssertionError("no passphrase should be asked")


@pytest.mark.usefixtures("no_keyring")
def test_passphrase_path_without_a_keyring(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    clinic = open_clinic(folder)
    assert clinic.recovery_code is not None
    clinic.close()
    info = read_key_info(folder)
    assert info is not None and info.store == "passphrase"
    wrapped = json.loads((folder / WRAPPED_KEY_FILENAME).read_text())
    assert wrapped["kdf"] == "argon2id"
    clinic = open_clinic(folder)
    assert clinic.recovery_code is None
    clinic.close()


@pytest.mark.usefixtures("no_keyring")
def test_wrong_or_missing_passphrase_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "clinic"
    code = open_clinic(folder).recovery_code
    assert code is not None
    before = _files(folder)
    monkeypatch.setenv(PASSPHRASE_VARIABLE, "Correct horse battery staple")
    with pytest.raises(WrongPassphraseError) as raised:
        open_clinic(folder)
    assert "passphrase is not correct" in str(raised.value)
    assert "recovery code" in str(raised.value)
    exit_code, _, err = _cli("--data-dir", str(folder), "demo")
    assert exit_code == EXIT_USER_ERROR and "Caps Lock" in err
    monkeypatch.delenv(PASSPHRASE_VARIABLE)
    exit_code, _, err = _cli("--data-dir", str(folder), "demo")  # stdin is not a terminal
    assert exit_code == EXIT_USER_ERROR and "FACILITATOR_PASSPHRASE" in err
    with pytest.raises(PassphraseRequiredError):
        open_clinic(folder)
    assert _files(folder) == before

    # A forgotten passphrase: the recovery code sets a new one.
    monkeypatch.setenv(PASSPHRASE_VARIABLE, "a brand new passphrase")
    exit_code, out, err = _cli_with_stdin(code, folder)
    assert exit_code == 0, err
    assert "passphrase-protected key file" in out
    open_clinic(folder).close()


@pytest.mark.usefixtures("no_keyring")
def test_short_passphrase_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSPHRASE_VARIABLE, "short")
    with pytest.raises(WeakPassphraseError):
        open_clinic(tmp_path / "clinic")
    assert not (tmp_path / "clinic" / WRAPPED_KEY_FILENAME).exists()


@pytest.mark.usefixtures("no_keyring")
def test_a_common_passphrase_is_refused_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(PASSPHRASE_VARIABLE, "password123456")
    with pytest.raises(GuessablePassphraseError, match="common password with digits"):
        open_clinic(tmp_path / "clinic")
    assert not (tmp_path / "clinic" / WRAPPED_KEY_FILENAME).exists()


class _PlaintextFileKeyring(MemoryKeyring):
    """Looks like keyrings.alt's plaintext file backend to the trust check."""


_PlaintextFileKeyring.__module__ = "keyrings.alt.file"


def test_untrusted_keyring_backends_count_as_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        key_store, "get_all_keyring", lambda: [fail.Keyring(), _PlaintextFileKeyring()]
    )
    assert key_store.system_keyring() is None


def _plaintext_demo(path: Path) -> dict[str, int]:
    """A database as the unencrypted version made it; returns its row counts."""
    engine = create_engine(URL.create("sqlite", database=str(path)))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    plain = Database(path, engine, sessionmaker(engine, expire_on_commit=False), TEST_KEY)
    create_demo_clinic(plain, DEMO_MONDAY, AuditTrail(audit_key(TEST_KEY)))
    engine.dispose()
    return _row_counts(sqlite3.connect(path))


def _row_counts(connection: sqlite3.Connection) -> dict[str, int]:
    try:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
        return {
            t: connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for (t,) in tables.fetchall()
        }
    finally:
        connection.close()


def test_plaintext_database_is_converted_with_nothing_lost(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    legacy = tmp_path / "legacy.db"
    counts = _plaintext_demo(legacy)
    # The old version was still writing: one more participant sits in its WAL only.
    writer = sqlite3.connect(legacy)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute(
        "INSERT INTO participant (id, chart_number, legal_first, legal_last, date_of_birth) "
        "VALUES (?, 'IOP-W', 'Wenonah', ?, '1990-01-01')",
        ("0" * 32, SYNTHETIC_NAME),
    )
    writer.commit()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{legacy}{suffix}", folder / f"{DATABASE_FILENAME}{suffix}")
    writer.close()
    counts["participant"] += 1
    names = {SYNTHETIC_NAME} | _legal_names(legacy)

    clinic = open_clinic(folder)
    try:
        assert clinic.recovery_code is not None
        with clinic.database.sessions() as session:
            assert SYNTHETIC_NAME in session.scalars(select(Participant.legal_last)).all()
    finally:
        clinic.close()
    info = read_key_info(folder)
    assert info is not None
    assert sorted(p.name for p in folder.iterdir()) == [
        DATABASE_FILENAME,
        KEY_INFO_FILENAME,
        RECEIPTS_FOLDER,  # ids and hashes only (facilitator.security.export_receipts)
    ]
    assert _files_naming(folder, names) == []
    key = database_key.unlock(folder / DATABASE_FILENAME, _memory_store(folder)).key
    converted = _row_counts(keyed_connection(folder / DATABASE_FILENAME, key))
    assert {t: n for t, n in converted.items() if t in counts} == counts


def _legal_names(path: Path) -> set[str]:
    connection = sqlite3.connect(path)
    try:
        return {row[0] for row in connection.execute("SELECT legal_last FROM participant")}
    finally:
        connection.close()


def _memory_store(folder: Path) -> key_store.KeyStore:
    return database_key.default_key_store(folder, _no)


def test_another_applications_sqlite_file_is_not_converted(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    connection = sqlite3.connect(folder / DATABASE_FILENAME)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.commit()
    connection.close()
    before = _files(folder)
    with pytest.raises(NotADatabaseError, match="left untouched"):
        open_clinic(folder)
    assert _files(folder) == before  # no key made, no key information written


def test_a_conversion_stopped_between_its_renames_is_completed(tmp_path: Path) -> None:
    path = tmp_path / DATABASE_FILENAME
    open_database(path, TEST_KEY).close()
    path.rename(tmp_path / (DATABASE_FILENAME + ENCRYPTING_SUFFIX))
    (tmp_path / (DATABASE_FILENAME + PLAINTEXT_SUFFIX)).write_bytes(b"old plaintext " * 100)
    finish_interrupted_conversion(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [DATABASE_FILENAME]
    open_database(path, TEST_KEY).close()
