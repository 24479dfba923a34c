"""The clinic's profile (the `setting` row "clinic_profile"): name, address, NPI, time zone.

A minimal reader; the clinic setup screens write the setting."""

from __future__ import annotations

from dataclasses import dataclass

import tzlocal
from sqlalchemy.orm import Session

from facilitator.storage.models import Setting

SETTING_KEY = "clinic_profile"


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    address: str
    phone: str
    npi: str
    time_zone: str  # IANA; the computer's zone when the clinic has not set one
    part2_program_name: str


def load_profile(session: Session) -> ClinicProfile:
    """The clinic's profile; absent keys are empty (the time zone falls back to this computer's)."""
    row = session.get(Setting, SETTING_KEY)
    value = row.value if row else {}

    def text(key: str) -> str:
        found = value.get(key)
        return found.strip() if isinstance(found, str) else ""

    return ClinicProfile(
        name=text("name"),
        address=text("address"),
        phone=text("phone"),
        npi=text("npi"),
        time_zone=text("time_zone") or tzlocal.get_localzone_name(),
        part2_program_name=text("part2_program_name"),
    )
