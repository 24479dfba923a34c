"""`export --out` never replaces the clinic's own files, a device, a folder or an existing file
(without --force), and refuses bad names with a message, not a traceback."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from facilitator.app import open_clinic
from facilitator.cli.main import EXIT_USER_ERROR
from facilitator.export_target import ExportTargetError, check_export_target
from tests.integration.test_cli import Run, run_cli

PERIOD = ("--from", "2026-11-01", "--to", "2026-11-20")


@pytest.fixture(scope="module")
def folder(demo_clinic_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("export-target") / "clinic"
    shutil.copytree(demo_clinic_folder, copy)
    return copy


@pytest.fixture(autouse=True)
def signed_in(
    demo_clinic: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    monkeypatch.setenv("FACILITATOR_USER", "mreyes")
    monkeypatch.setenv("FACILITATOR_PASSWORD", demo_clinic[1]["mreyes"])
    yield


def export(folder: Path, out: Path | str, *extra: str) -> Run:
    return run_cli(
        "--data-dir", str(folder), "export", "attendance", *PERIOD, "--out", str(out), *extra
    )


def _refused(run: Run, says: str) -> None:
    assert run.code == EXIT_USER_ERROR, run.out + run.err
    assert says in run.err, run.err
    assert "Traceback" not in run.err


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(("-wal", "-shm"))
    }


@pytest.mark.parametrize(
    "name", ["facilitator.db", "facilitator.keyinfo.json", "backups/new.pdf", "x.pdf"]
)
def test_nothing_is_exported_into_the_data_folder(folder: Path, name: str) -> None:
    (folder / "backups").mkdir(exist_ok=True)
    database = (folder / "facilitator.db").read_bytes()
    key_info = (folder / "facilitator.keyinfo.json").read_bytes()
    _refused(export(folder, folder / name, "--force"), "inside the clinic's data folder")
    # the same encrypted database (its salt, the first 16 bytes; the sign-in's audit entry
    # may rewrite pages), and it still opens with its records
    assert (folder / "facilitator.db").read_bytes()[:16] == database[:16]
    clinic = open_clinic(folder)
    try:
        assert clinic.has_participants()
    finally:
        clinic.close()
    assert (folder / "facilitator.keyinfo.json").read_bytes() == key_info
    assert not (folder / "x.pdf").exists() and not (folder / "backups" / "new.pdf").exists()


def test_a_link_into_the_data_folder_is_resolved_and_refused(folder: Path, tmp_path: Path) -> None:
    key_info = (folder / "facilitator.keyinfo.json").read_bytes()
    (tmp_path / "innocent.pdf").symlink_to(folder / "facilitator.keyinfo.json")
    (tmp_path / "via").symlink_to(folder, target_is_directory=True)
    _refused(export(folder, tmp_path / "innocent.pdf", "--force"), "inside the clinic's data")
    _refused(export(folder, tmp_path / "via" / "report.pdf"), "inside the clinic's data folder")
    assert (folder / "facilitator.keyinfo.json").read_bytes() == key_info
    assert (tmp_path / "innocent.pdf").is_symlink()


def test_an_existing_file_is_replaced_only_with_force(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"the only copy of last month's report")
    _refused(export(folder, target), "already exists and was left as it is")
    assert target.read_bytes() == b"the only copy of last month's report"
    forced = export(folder, target, "--force")
    assert forced.code == 0, forced.err
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_pipe_and_a_folder_are_never_written_over(folder: Path, tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.pdf"
    os.mkfifo(pipe)
    _refused(export(folder, pipe, "--force"), "is a special file")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)
    (tmp_path / "dir.pdf").mkdir()
    _refused(export(folder, tmp_path / "dir.pdf", "--force"), "is a folder")
    assert (tmp_path / "dir.pdf").is_dir()
    (tmp_path / "to-pipe.pdf").symlink_to(pipe)
    _refused(export(folder, tmp_path / "to-pipe.pdf", "--force"), "is a special file")
    assert stat.S_ISFIFO(pipe.lstat().st_mode) and (tmp_path / "to-pipe.pdf").is_symlink()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dir.pdf", "pipe.pdf", "to-pipe.pdf"]


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_stays_a_device_even_for_root(folder: Path, tmp_path: Path) -> None:
    """As root, an export to /dev/null once replaced the device node by a regular file."""
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    _refused(export(folder, null, "--force"), "is a special file")
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert list(tmp_path.iterdir()) == [null]


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("report\n.pdf", "line break or another control character"),
        ("report\x1b[31m.pdf", "line break or another control character"),
        ("r" * 252 + ".pdf", "256 bytes long; a file name may have at most 255"),
        ("é" * 130 + ".pdf", "264 bytes long"),
    ],
)
def test_bad_names_are_refused_clearly(folder: Path, tmp_path: Path, name: str, says: str) -> None:
    before = _snapshot(folder)
    _refused(export(folder, tmp_path / name), says)
    assert list(tmp_path.iterdir()) == []
    assert _snapshot(folder).keys() == before.keys()


def test_the_one_check_is_there_for_every_destination(tmp_path: Path) -> None:
    """Other exports (services, configuration) call the same function with their data folder."""
    data = tmp_path / "data"
    data.mkdir()
    assert check_export_target(Path("out.pdf"), data, False) == Path.cwd() / "out.pdf"
    with pytest.raises(ExportTargetError, match="inside the clinic's data folder"):
        check_export_target(data / "services.csv", data, True)
    with pytest.raises(ExportTargetError, match="does not exist"):
        check_export_target(tmp_path / "missing" / "x.csv", data, False)


def test_a_manual_backup_never_goes_into_the_data_folder(folder: Path) -> None:
    inside = folder / "my-backups"
    inside.mkdir(exist_ok=True)
    run = run_cli("--data-dir", str(folder), "backup", "--to", str(inside))
    _refused(run, "inside the clinic's data folder, which a backup must outlive")
    assert list(inside.iterdir()) == []
