"""A curriculum as a TOML file clinics can share: the modalities and their topics, in the
config file's own format (so `facilitator config import` reads it too). No other setup."""

from __future__ import annotations

import tomllib

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.clinic_setup import SetupError
from facilitator.services import config_document as doc
from facilitator.storage.models import Modality
from facilitator.toml_writer import dumps

HEADER = (
    "# Facilitator curriculum: modalities and their topics. No participant data.\n"
    "# Import with Administration > Modalities and curriculum > Import curriculum,\n"
    "# or: facilitator config import FILE.toml\n\n"
)
SECTIONS = {"format", "modality"}


def export_curriculum(session: Session) -> str:
    """Every modality (active or not) with its topics, as TOML."""
    modalities = session.scalars(select(Modality).order_by(Modality.code))
    return HEADER + dumps(
        {"format": doc.FORMAT, "modality": [doc.modality_data(m) for m in modalities]}
    )


def check_curriculum_text(text: str) -> str:
    """`text` if it is TOML holding only modalities (a curriculum); else SetupError. What the
    modalities say is checked by the config import's preview."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SetupError(f"This is not a valid TOML file: {error}.") from error
    other = sorted(set(data) - SECTIONS)
    if other:
        raise SetupError(
            f"This file holds more than a curriculum ({', '.join(other)}): import a whole "
            "clinic setup with facilitator config import."
        )
    if not data.get("modality"):
        raise SetupError("This file holds no [[modality]]: there is no curriculum in it.")
    return text
