"""Where the clinic's data folder is: --data-dir, then FACILITATOR_DATA_DIR, then the platform."""

from __future__ import annotations

from pathlib import Path

import pytest

from facilitator.app import DATA_DIR_VARIABLE, resolve_data_dir


def test_explicit_folder_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "from-env"))
    assert resolve_data_dir(tmp_path / "explicit") == tmp_path / "explicit"


def test_environment_variable_is_used_without_an_explicit_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_DIR_VARIABLE, str(tmp_path / "from-env"))
    assert resolve_data_dir(None) == tmp_path / "from-env"


def test_platform_folder_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DATA_DIR_VARIABLE, raising=False)
    chosen = resolve_data_dir(None)
    assert chosen.is_absolute()
    assert "facilitator" in str(chosen).lower()


def test_relative_and_home_paths_are_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert resolve_data_dir("clinic") == tmp_path / "clinic"
    assert resolve_data_dir("~/clinic") == tmp_path / "home" / "clinic"
