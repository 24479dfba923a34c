"""Files and folders the app must refuse, leaving them exactly as they were."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from facilitator.storage.database import (
    current_revision,
    head_revision,
    open_database,
    prepare_data_folder,
)
from facilitator.storage.errors import (
    DataFolderError,
    NewerSchemaError,
    NotADatabaseError,
    StorageError,
)
from tests.keys import TEST_KEY, keyed_connection

SQLITE_HEADER = b"SQLite format 3\x00"


def assert_refused_untouched(path: Path, error: type[StorageError]) -> StorageError:
    """open_database(path, key) raises `error`, and the file and its folder are unchanged."""
    before = path.read_bytes()
    siblings = {p.name for p in path.parent.iterdir()}
    with pytest.raises(error) as raised:
        open_database(path, TEST_KEY)
    assert path.read_bytes() == before
    # Nothing else is written either: no -wal or -shm file appears beside a refused file.
    assert {p.name for p in path.parent.iterdir()} == siblings
    assert "left untouched" in str(raised.value)
    return raised.value


def test_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    path.write_text("Group notes for Monday\nJ.D. attended\n", encoding="utf-8")
    error = assert_refused_untouched(path, NotADatabaseError)
    assert isinstance(error, NotADatabaseError)
    assert error.path == path
    assert "is not a Facilitator database" in str(error)


def test_file_shorter_than_the_header_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    path.write_bytes(b"SQLite")
    assert_refused_untouched(path, NotADatabaseError)


def test_sqlite_header_followed_by_garbage_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    path.write_bytes(SQLITE_HEADER + bytes(range(256)) * 16 + os.urandom(4096))
    assert_refused_untouched(path, NotADatabaseError)


def test_another_applications_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.execute("INSERT INTO recipes VALUES ('bread')")
    connection.commit()
    connection.close()
    assert_refused_untouched(path, NotADatabaseError)


def test_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    # SQLite treats an empty file as a new database; so does Facilitator.
    path = tmp_path / "facilitator.db"
    path.touch()
    database = open_database(path, TEST_KEY)
    try:
        assert current_revision(database.engine) == head_revision()
    finally:
        database.close()


def test_unknown_schema_revision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    open_database(path, TEST_KEY).close()
    connection = keyed_connection(path)
    connection.execute("UPDATE alembic_version SET version_num = 'zzzz9999'")
    connection.commit()
    connection.close()

    error = assert_refused_untouched(path, NewerSchemaError)
    assert isinstance(error, NewerSchemaError)
    assert error.revision == "zzzz9999"
    assert "newer version of Facilitator" in str(error)
    connection = keyed_connection(path)
    try:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("zzzz9999",)
        ]
    finally:
        connection.close()


def test_empty_alembic_version_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "facilitator.db"
    open_database(path, TEST_KEY).close()
    connection = keyed_connection(path)
    connection.execute("DELETE FROM alembic_version")
    connection.commit()
    connection.close()
    assert_refused_untouched(path, NotADatabaseError)


def test_prepare_data_folder_creates_nested_folders(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b" / "clinic"
    assert prepare_data_folder(folder) == folder / "facilitator.db"
    assert folder.is_dir()
    assert list(folder.iterdir()) == []  # the write probe is removed


def test_data_folder_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("not a folder")
    with pytest.raises(DataFolderError) as raised:
        prepare_data_folder(blocker / "clinic")
    assert raised.value.folder == blocker / "clinic"
    assert "--data-dir" in str(raised.value)
    assert blocker.read_text() == "not a folder"


def test_data_folder_that_is_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "clinic"
    blocker.write_text("not a folder")
    with pytest.raises(DataFolderError):
        prepare_data_folder(blocker)
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root ignores folder permissions, so chmod 0o500 cannot make a folder read-only; "
    "test_unwritable_data_folder_is_reported covers the same branch",
)
def test_read_only_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "clinic"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(DataFolderError, match="not writable"):
            prepare_data_folder(folder)
    finally:
        folder.chmod(0o700)


def test_unwritable_data_folder_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The write probe failing (as in a read-only folder, even for root) is a DataFolderError."""
    folder = tmp_path / "clinic"
    folder.mkdir()

    def refuse(self: Path, data: bytes) -> int:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "write_bytes", refuse)
    with pytest.raises(DataFolderError, match=r"not writable \(Permission denied\)"):
        prepare_data_folder(folder)


def test_data_folder_with_question_mark(tmp_path: Path) -> None:
    folder = tmp_path / "Clinic?"
    folder.mkdir()
    path = folder / "facilitator.db"
    open_database(path, TEST_KEY).close()
    assert path.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Clinic?"]


def test_data_folder_with_percent_escape(tmp_path: Path) -> None:
    folder = tmp_path / "Clinic%20A"
    folder.mkdir()
    path = folder / "facilitator.db"
    open_database(path, TEST_KEY).close()
    assert path.is_file()
