"""Signing in on the command line: the demo's one-time passwords, variables, refusals."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from facilitator.app import open_clinic
from facilitator.cli import login
from facilitator.cli.login import PASSWORD_VARIABLE, USER_VARIABLE, cli_user
from facilitator.cli.main import EXIT_USER_ERROR, main
from facilitator.domain.users import Role
from facilitator.services.accounts import LoginRefusedError
from facilitator.services.audit_log import AuditFilter

ACCOUNT_LINE = re.compile(r"^    (\w+) +([a-z0-9]{4}(?:-[a-z0-9]{4}){3})$", re.MULTILINE)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A demo clinic made by the command, and the passwords it printed."""
    folder = tmp_path_factory.mktemp("cli-demo") / "clinic"
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", out)
        assert main(["--data-dir", str(folder), "demo", "--today", "2026-11-23"]) == 0
    return folder, dict(ACCOUNT_LINE.findall(out.getvalue()))


def test_the_demo_prints_each_password_once(
    demo: tuple[Path, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    folder, passwords = demo
    assert set(passwords) == {"mreyes", "sokafor", "jlee", "admin"}
    assert len(set(passwords.values())) == 4  # random, never shared
    assert main(["--data-dir", str(folder), "demo", "--if-missing"]) == 0
    again = capsys.readouterr().out
    assert "already exists" in again and not ACCOUNT_LINE.search(again)
    clinic = open_clinic(folder)
    try:
        for username, password in passwords.items():
            assert clinic.accounts.authenticate(username, password).username == username
        assert clinic.accounts.authenticate("admin", passwords["admin"]).role is Role.ADMINISTRATOR
    finally:
        clinic.close()


def test_environment_variables_sign_in_and_are_audited(
    demo: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, passwords = demo
    monkeypatch.setenv(USER_VARIABLE, "jlee")
    monkeypatch.setenv(PASSWORD_VARIABLE, passwords["jlee"])
    clinic = open_clinic(folder)
    try:
        user = cli_user(clinic)
        assert (user.username, user.role) == ("jlee", Role.SUPERVISOR)
        admin = clinic.accounts.authenticate("admin", passwords["admin"])
        entries = clinic.audit_entries(admin, AuditFilter(username="jlee", limit=20))
        assert any(e.action == "login" and "cli" in e.detail for e in entries)
    finally:
        clinic.close()


def test_a_wrong_password_exits_2_with_a_clear_message(
    demo: tuple[Path, dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder, _ = demo
    monkeypatch.setenv(USER_VARIABLE, "sokafor")
    monkeypatch.setenv(PASSWORD_VARIABLE, "not her password")
    assert main(["--data-dir", str(folder), "selftest"]) == EXIT_USER_ERROR
    error = capsys.readouterr().err
    assert error == "facilitator: The username or password is not correct.\n"


def test_without_a_terminal_or_variables_it_says_what_to_set(
    demo: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = demo
    monkeypatch.delenv(USER_VARIABLE, raising=False)
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    clinic = open_clinic(folder)
    try:
        with pytest.raises(
            LoginRefusedError, match="set FACILITATOR_USER and FACILITATOR_PASSWORD"
        ):
            cli_user(clinic)
    finally:
        clinic.close()


def test_on_a_terminal_it_asks(
    demo: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, passwords = demo
    monkeypatch.delenv(USER_VARIABLE, raising=False)
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr(login, "_ask", lambda _how, prompt: _answer(prompt, passwords))
    clinic = open_clinic(folder)
    try:
        assert cli_user(clinic).username == "mreyes"
    finally:
        clinic.close()


def test_a_clinic_nobody_can_sign_in_to_says_so(tmp_path: Path) -> None:
    clinic = open_clinic(tmp_path / "new")
    try:
        with pytest.raises(LoginRefusedError, match="create the first administrator"):
            cli_user(clinic)
    finally:
        clinic.close()


def _answer(prompt: str, passwords: dict[str, str]) -> str:
    return "mreyes" if prompt == "Username: " else passwords["mreyes"]
