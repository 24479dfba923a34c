"""Export the selected modality's curriculum as TOML (the shape of resources/curriculum/*.toml)
and import one from another clinic: all or nothing, with what it added or changed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.key_info import write_atomically
from facilitator.services.clinic_setup import ClinicSetup

FILTER = "Curriculum (*.toml)"


def _tr(text: str) -> str:
    return QCoreApplication.translate("CurriculumFiles", text)


def export_curriculum(parent: QWidget, setup: ClinicSetup, code: str) -> Path | None:
    """Ask where, and write the modality's topics there; the file written, or None."""
    chosen, _ = QFileDialog.getSaveFileName(
        parent,
        _tr("Export the %1 curriculum").replace("%1", code),
        str(Path.home() / f"{code.lower()}-curriculum.toml"),
        FILTER,
    )
    if not chosen:
        return None
    path = Path(chosen)
    try:
        write_atomically(path, setup.export_curriculum(code))
    except DomainError as error:
        QMessageBox.warning(parent, _tr("Not exported"), str(error))
        return None
    except OSError as error:
        QMessageBox.warning(parent, _tr("Not exported"), f"{path}: {error.strerror or error}")
        return None
    QMessageBox.information(
        parent, _tr("Curriculum exported"), _tr("Written to %1.").replace("%1", str(path))
    )
    return path


def import_curriculum(parent: QWidget, setup: ClinicSetup, user: SignedInUser) -> str | None:
    """Ask for a curriculum file and import its topics (all or nothing); the modality's code
    when something was imported, else None."""
    chosen, _ = QFileDialog.getOpenFileName(
        parent, _tr("Import a curriculum"), str(Path.home()), FILTER
    )
    if not chosen:
        return None
    try:
        result = setup.import_curriculum(user, Path(chosen).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        QMessageBox.warning(parent, _tr("Not imported"), f"{chosen}: {error}")
        return None
    except DomainError as error:
        QMessageBox.warning(parent, _tr("Not imported"), _tr("Nothing was imported: ") + str(error))
        return None
    QMessageBox.information(
        parent,
        _tr("Curriculum imported"),
        _tr("%1: %2 topics added, %3 changed, %4 unchanged. Signed notes keep the text they ")
        .replace("%1", result.modality)
        .replace("%2", str(result.added))
        .replace("%3", str(result.changed))
        .replace("%4", str(result.unchanged))
        + _tr("were signed with."),
    )
    return result.modality
