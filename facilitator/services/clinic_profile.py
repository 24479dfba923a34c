"""The clinic's profile (name, address, phone, NPI, time zone, Part 2 program name), kept in the
setting "clinic_profile"; absent keys are not set. The one reader of that setting."""

from __future__ import annotations

from dataclasses import dataclass

import tzlocal
from sqlalchemy.orm import Session

from facilitator.storage.models import Setting

PROFILE_SETTING = "clinic_profile"


@dataclass(frozen=True)
class ClinicProfile:
    name: str | None
    address: str | None
    phone: str | None
    npi: str | None
    time_zone: str  # IANA; the computer's zone when the clinic has not set one
    part2_program_name: str | None


def load_profile(session: Session) -> ClinicProfile:
    setting = session.get(Setting, PROFILE_SETTING)
    value = setting.value if setting is not None else {}

    def text(key: str) -> str | None:
        found = value.get(key)
        return str(found) if found else None

    return ClinicProfile(
        name=text("name"),
        address=text("address"),
        phone=text("phone"),
        npi=text("npi"),
        time_zone=text("time_zone") or tzlocal.get_localzone_name(),
        part2_program_name=text("part2_program_name"),
    )
