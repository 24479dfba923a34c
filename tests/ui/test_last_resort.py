"""The window app's last resort: an unforeseen error becomes a message and a log without PHI."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ui import last_resort


def test_an_uncaught_error_is_shown_once_and_logged_without_phi(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        last_resort.QMessageBox, "critical", lambda _p, title, text: shown.append((title, text))
    )
    original = sys.excepthook
    restore = last_resort.install_last_resort(tmp_path)
    try:
        try:
            raise ValueError("Jordan Quill, chart Q-7, disclosed something")
        except ValueError as error:
            sys.excepthook(type(error), error, error.__traceback__)
    finally:
        restore()
    assert sys.excepthook is original
    log = tmp_path / "logs" / "errors.log"
    [(title, text)] = shown
    assert title == "Facilitator met an unexpected error"
    assert "(ValueError)" in text and str(log) in text
    assert "Jordan" not in text and "Traceback" not in text
    logged = log.read_text(encoding="utf-8")
    assert "builtins.ValueError" in logged and "test_last_resort.py" in logged
    assert "Jordan" not in logged and "Q-7" not in logged
