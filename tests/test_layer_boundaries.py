"""The layers keep their promises: no Qt in the core or reports, no SQLAlchemy in the UI."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "facilitator": ("PySide6", "shiboken6", "ui"),
    "reports": ("PySide6", "shiboken6", "sqlalchemy", "ui"),
    "ui": ("sqlalchemy", "alembic"),
}


def imported_top_level_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_a_forbidden_package(package: str) -> None:
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for name in sorted(imported_top_level_names(path) & set(FORBIDDEN[package]))
    ]
    assert offenders == []


def test_importing_the_whole_core_loads_no_qt() -> None:
    """Catches indirect imports too: load every core module and look at sys.modules."""
    script = (
        "import pkgutil, importlib, sys, facilitator\n"
        "for m in pkgutil.walk_packages(facilitator.__path__, 'facilitator.'):\n"
        "    if '.migrations' not in m.name: importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] in ('PySide6', 'ui')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_checker_finds_a_forbidden_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from PySide6.QtCore import QObject\nimport sqlalchemy.orm\n")
    assert imported_top_level_names(sample) == {"PySide6", "sqlalchemy"}
