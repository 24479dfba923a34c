"""Import and export a curriculum (TOML) from the Modalities and curriculum window: a file
dialog, a preview of what changes (or every problem, nothing imported), then all or nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.key_info import write_atomically
from facilitator.services.clinic_config import ConfigPlan
from facilitator.services.clinic_setup import ClinicSetup

FILTER = "Curriculum (*.toml)"
MAX_LISTED = 20  # problems or changes listed in a message; the rest are counted


def _tr(text: str) -> str:
    return QCoreApplication.translate("CurriculumFiles", text)


def export_curriculum(parent: QWidget, setup: ClinicSetup) -> Path | None:
    """Ask where, and write the modalities and topics there; the file written, or None."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent, _tr("Export curriculum"), str(Path.home() / "curriculum.toml"), FILTER
    )
    if not chosen:
        return None
    path = Path(chosen)
    try:
        write_atomically(path, setup.export_curriculum())
    except OSError as error:
        QMessageBox.warning(parent, _tr("Not exported"), f"{path}: {error.strerror or error}")
        return None
    QMessageBox.information(
        parent, _tr("Curriculum exported"), _tr("Written to %1.").replace("%1", str(path))
    )
    return path


def import_curriculum(parent: QWidget, setup: ClinicSetup, user: SignedInUser) -> bool:
    """Ask for a file, preview it, and import it if the administrator agrees; True when
    something was imported."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, _tr("Import curriculum"), str(Path.home()), FILTER
    )
    if not chosen:
        return False
    try:
        plan = setup.preview_curriculum(Path(chosen).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        QMessageBox.warning(parent, _tr("Not imported"), f"{chosen}: {error}")
        return False
    except DomainError as error:
        QMessageBox.warning(parent, _tr("Not imported"), str(error))
        return False
    if plan.problems:
        QMessageBox.warning(
            parent,
            _tr("Not imported"),
            _tr("Nothing was imported. Correct the file:")
            + "\n"
            + _listed([str(p) for p in plan.problems]),
        )
        return False
    if not plan.count("added") and not plan.count("changed"):
        QMessageBox.information(
            parent, _tr("Nothing to import"), _tr("The clinic already has this curriculum.")
        )
        return False
    if (
        QMessageBox.question(parent, _tr("Import curriculum"), _summary(plan))
        != QMessageBox.StandardButton.Yes
    ):
        return False
    try:
        setup.apply_import(user, plan)
    except DomainError as error:
        QMessageBox.warning(parent, _tr("Not imported"), _tr("Nothing was imported: ") + str(error))
        return False
    return True


def _summary(plan: ConfigPlan) -> str:
    lines = [
        f"{c.name}: {c.status}" + (f" ({', '.join(c.fields)})" if c.fields else "")
        for c in plan.changes
        if c.status != "unchanged"
    ]
    return (
        _tr("Import this curriculum? %1 modalities added, %2 changed, %3 unchanged.")
        .replace("%1", str(plan.count("added")))
        .replace("%2", str(plan.count("changed")))
        .replace("%3", str(plan.count("unchanged")))
        + "\n\n"
        + _listed(lines)
        + "\n\n"
        + _tr("Signed notes keep the text they were signed with.")
    )


def _listed(lines: list[str]) -> str:
    shown = lines[:MAX_LISTED]
    more = len(lines) - len(shown)
    return "\n".join(shown) + (f"\n… and {more} more" if more > 0 else "")
