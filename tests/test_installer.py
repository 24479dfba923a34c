"""The packaging files agree with the application they package (the build itself: installer/)."""

import configparser
from pathlib import Path

from ui.application import DESKTOP_FILE_NAME

ROOT = Path(__file__).resolve().parents[1]
INSTALLER = ROOT / "installer"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep the keys' case
    parser.read(INSTALLER / "linux" / "facilitator.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_matches_the_running_app() -> None:
    """The taskbar groups the window under the entry, with its name and icon."""
    entry = desktop_entry()
    assert (INSTALLER / "linux" / f"{DESKTOP_FILE_NAME}.desktop").is_file()
    assert entry["StartupWMClass"] == DESKTOP_FILE_NAME
    assert entry["Name"] == "Facilitator"
    assert entry["Icon"] == "facilitator"
    assert entry["Exec"] == "/opt/facilitator/facilitator"
    assert "MedicalSoftware" in entry["Categories"].split(";")


def test_the_spec_bundles_what_the_command_imports_by_name() -> None:
    """The command imports the UI with importlib, which PyInstaller cannot see."""
    spec = (INSTALLER / "facilitator.spec").read_text(encoding="utf-8")
    command = (ROOT / "facilitator" / "cli" / "main.py").read_text(encoding="utf-8")
    assert 'importlib.import_module("ui.' in command
    assert 'collect_submodules("ui")' in spec
    assert '"migrations/**/*.py"' in spec and 'collect_data_files("resources")' in spec
    assert 'copy_metadata("facilitator")' in spec  # facilitator.__version__
