"""A crash of the app leaves no core file with decrypted database pages behind."""

import subprocess
import sys

import pytest

from facilitator.cli import main


def test_forbid_core_dumps_sets_the_core_limit_to_zero() -> None:
    script = (
        "import resource\n"
        "from facilitator.security.process import forbid_core_dumps\n"
        "forbid_core_dumps()\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "(0, 0)"


def test_the_command_forbids_core_dumps_first(monkeypatch: pytest.MonkeyPatch) -> None:
    called: list[bool] = []
    monkeypatch.setattr(main, "forbid_core_dumps", lambda: called.append(True))
    with pytest.raises(SystemExit):
        main.main(["--version"])
    assert called == [True]
