"""No traceback reaches a user: each input an attack test found turns into one clear line and an
exit code, through main() on real clinic folders."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backend import KeyringBackend

from facilitator.app import open_clinic
from facilitator.cli import main as cli_main
from facilitator.cli.main import EXIT_USER_ERROR, main
from facilitator.security import database_key, key_store
from facilitator.storage.database import DATABASE_FILENAME
from facilitator.storage.replace import MARKER_SUFFIX, incoming_path
from tests.integration.pdf_files import pdf_with_manifest


@pytest.fixture(scope="module")
def empty_clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("no-tracebacks") / "clinic"
    open_clinic(folder).close()
    return folder


@pytest.fixture
def clinic(empty_clinic: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "clinic"
    shutil.copytree(empty_clinic, folder)
    return folder


def run(folder: Path, *args: str) -> int:
    return main(["--data-dir", str(folder), *args])


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


@pytest.mark.parametrize(
    "manifest",
    [
        b"[" * 50_000 + b"]" * 50_000,  # PDF arrays nested past any parser's recursion
        b"(" + b"[" * 50_000 + b"]" * 50_000 + b")",  # the same inside the manifest's JSON
        b"(5)",  # a number where the manifest's table of fields belongs
        b'({"format": "facilitator-manifest/1", "signed": 5})',
    ],
    ids=["deep-pdf", "deep-json", "number", "number-for-list"],
)
def test_verify_reports_a_hostile_pdf_as_unconfirmed(
    clinic: Path, tmp_path: Path, manifest: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "hostile.pdf"
    path.write_bytes(pdf_with_manifest(manifest))
    code = run(clinic, "verify", str(path))
    captured = capsys.readouterr()
    assert (code, captured.err) == (1, "")
    assert "Records: This" in captured.out
    assert "Result: CANNOT BE CONFIRMED here" in captured.out


def test_verify_refuses_a_huge_file_unread(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as file:
        file.truncate(100 * 10**6 + 1)  # sparse: no disk used
    started = time.monotonic()
    assert run(clinic, "verify", str(path)) == EXIT_USER_ERROR
    assert time.monotonic() - started < 10
    out = capsys.readouterr().out
    assert "is larger than any document Facilitator exports (at most 100 MB" in out


def test_a_database_that_is_a_folder_is_named_and_left_alone(
    clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    database = clinic / DATABASE_FILENAME
    database.rename(tmp_path / "kept.db")
    database.mkdir()
    (database / "inside.txt").write_text("x")
    assert run(clinic, "backup") == EXIT_USER_ERROR
    assert f"{database} is a folder, not the clinic's database file" in one_line(capsys)
    assert [p.name for p in database.iterdir()] == ["inside.txt"]


@pytest.mark.parametrize(
    ("marker", "reason"),
    [
        ("not json at all", "it cannot be read"),
        ('{"aside": 5}', "unsafe"),
        ('["aside"]', "it cannot be read"),
        ('{"aside": "../escaped.db"}', "unsafe"),
        ('{"aside": "/tmp/elsewhere.db"}', "unsafe"),
        ('{"aside": "facilitator.db"}', "unsafe"),
        ('{"aside": "keyinfo-victim"}', "already exists"),
    ],
)
def test_a_bad_restore_marker_changes_nothing(
    clinic: Path, marker: str, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    database = clinic / DATABASE_FILENAME
    (clinic / "keyinfo-victim").write_text("precious")
    incoming_path(database).write_bytes(b"incoming")
    marker_path = database.with_name(database.name + MARKER_SUFFIX)
    marker_path.write_text(marker)
    before = {p.name: p.read_bytes() for p in clinic.iterdir() if p.is_file()}

    assert run(clinic, "backup") == EXIT_USER_ERROR
    line = one_line(capsys)
    assert "A restore was interrupted" in line and reason in line
    assert f"Move {marker_path.name} out of the data folder" in line
    assert {p.name: p.read_bytes() for p in clinic.iterdir() if p.is_file()} == before
    assert not (clinic.parent / "escaped.db").exists()


def test_an_out_name_over_255_bytes_is_a_clear_error(
    clinic: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clinic_ = open_clinic(clinic)
    clinic_.accounts.create_first_administrator("boss", "B. Oss", "", "lantern orchard pebble 42")
    clinic_.close()
    monkeypatch.setenv("FACILITATOR_USER", "boss")
    monkeypatch.setenv("FACILITATOR_PASSWORD", "lantern orchard pebble 42")
    out = tmp_path / ("a" * 300 + ".pdf")
    code = run(
        clinic,
        "export",
        "attendance",
        "--from",
        "2026-11-01",
        "--to",
        "2026-11-07",
        "--out",
        str(out),
    )
    assert code == EXIT_USER_ERROR
    assert "a file name may have at most 255" in one_line(capsys)


class HangingKeyring(KeyringBackend):
    """A keyring whose service never answers (a stuck Secret Service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(60)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.release.wait(60)

    def delete_password(self, service: str, username: str) -> None:
        self.release.wait(60)


@pytest.fixture
def hanging_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    monkeypatch.setattr(database_key, "system_keyring", lambda: backend)
    monkeypatch.setattr(key_store, "KEYRING_TIMEOUT_SECONDS", 0.5)
    yield backend
    backend.release.set()


def test_a_keyring_that_never_answers_is_timed_out_and_named(
    clinic: Path, hanging_keyring: HangingKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    assert run(clinic, "backup") == EXIT_USER_ERROR
    assert time.monotonic() - started < 10
    line = one_line(capsys)
    assert "The system keyring (" in line and "did not answer within 0.5 seconds" in line
    assert "log out of the desktop session and back in" in line


def test_an_unforeseen_error_is_one_line_and_a_log_without_phi(
    clinic: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object) -> int:
        raise RuntimeError("Jordan Quill, chart Q-7, said something private")

    monkeypatch.setattr(cli_main, "_verify", broken)
    assert run(clinic, "verify", "any.pdf") == EXIT_USER_ERROR
    line = one_line(capsys)
    assert "unexpected error (RuntimeError)" in line
    log = clinic / "logs" / "errors.log"
    assert str(log) in line
    logged = log.read_text(encoding="utf-8")
    assert "builtins.RuntimeError" in logged and "command verify" in logged
    assert "Jordan" not in logged and "Q-7" not in logged and "private" not in logged
    assert log.stat().st_mode & 0o077 == 0
