"""The clinic's profile as documents print it: name, address, NPI, time zone (setting
"clinic_profile"). Read through `load_profile`; absent keys mean not set."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal
from sqlalchemy.orm import Session

from facilitator.storage.models import Setting

PROFILE_SETTING = "clinic_profile"


@dataclass(frozen=True)
class ClinicProfile:
    name: str
    address: str
    phone: str
    npi: str
    time_zone: str  # IANA; the computer's zone when the clinic has not set one
    part2_program_name: str


def load_profile(session: Session) -> ClinicProfile:
    setting = session.get(Setting, PROFILE_SETTING)
    value = setting.value if setting is not None else {}

    def text(key: str) -> str:
        found = value.get(key)
        return found.strip() if isinstance(found, str) else ""

    return ClinicProfile(
        name=text("name"),
        address=text("address"),
        phone=text("phone"),
        npi=text("npi"),
        time_zone=_zone(text("time_zone")),
        part2_program_name=text("part2_program_name"),
    )


def _zone(name: str) -> str:
    """`name` when this computer knows that IANA zone, else the computer's own zone."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return local_zone_name()
    return name


def local_zone_name() -> str:
    """This computer's IANA time zone, or UTC when the system does not say."""
    try:
        name = tzlocal.get_localzone_name()
        ZoneInfo(name or "")
    except (ZoneInfoNotFoundError, ValueError, LookupError):
        return "UTC"
    return name or "UTC"
