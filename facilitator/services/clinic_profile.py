"""The clinic's profile: its name, address, phone, facility NPI, IANA time zone and the
program name of the 42 CFR Part 2 notice, kept in the `setting` row "clinic_profile"."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import tzlocal
from sqlalchemy.orm import Session

from facilitator.domain.clinic_setup import check_npi, check_time_zone, limited_text, required_text
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services.setup_audit import (
    changes_between,
    record_setup_change,
    require_setup_administrator,
)
from facilitator.storage.models import Setting

SETTING_KEY = "clinic_profile"
FIELDS = ("name", "address", "phone", "npi", "time_zone", "part2_program_name")


@dataclass(frozen=True)
class ClinicProfile:
    """Empty text means not set; `time_zone` is never empty once loaded (the computer's zone
    stands in until the clinic chooses one)."""

    name: str = ""
    address: str = ""
    phone: str = ""
    npi: str = ""
    time_zone: str = ""
    part2_program_name: str = ""

    def as_setting(self) -> dict[str, str]:
        """The stored form: only the keys that are set."""
        return {key: value for key, value in asdict(self).items() if value}


def computer_time_zone() -> str:
    return tzlocal.get_localzone_name() or "UTC"


def stored_profile(session: Session) -> ClinicProfile:
    """The profile exactly as stored (time_zone empty when the clinic never chose one)."""
    row = session.get(Setting, SETTING_KEY)
    values: dict[str, Any] = dict(row.value) if row is not None else {}
    return ClinicProfile(**{key: str(values.get(key) or "") for key in FIELDS})


def load_profile(session: Session) -> ClinicProfile:
    """The clinic's profile; its time zone is the computer's when the clinic set none."""
    profile = stored_profile(session)
    return profile if profile.time_zone else replace(profile, time_zone=computer_time_zone())


def clinic_now(session: Session) -> datetime:
    """Now, aware, in the clinic's time zone."""
    return datetime.now(ZoneInfo(load_profile(session).time_zone))


def clinic_today(session: Session) -> date:
    """Today in the clinic's time zone: the day the clinic's screens, commands, documents and
    checks mean by "today", whatever the computer's own zone."""
    return clinic_now(session).date()


def checked_profile(profile: ClinicProfile) -> ClinicProfile:
    """`profile` with its text trimmed, if every value is valid; else SetupError."""
    return ClinicProfile(
        name=required_text("The clinic's name", profile.name, 200),
        address=limited_text("The address", profile.address, 500),
        phone=limited_text("The phone number", profile.phone, 50),
        npi=check_npi(profile.npi) if profile.npi.strip() else "",
        time_zone=check_time_zone(profile.time_zone) if profile.time_zone.strip() else "",
        part2_program_name=limited_text(
            "The program name of the Part 2 notice", profile.part2_program_name, 200
        ),
    )


def save_profile(
    session: Session, profile: ClinicProfile, user: SignedInUser, audit: AuditTrail
) -> bool:
    """Store the profile (administrators only); audited with what changed. Returns whether
    anything changed."""
    require_setup_administrator(user)
    clean = checked_profile(profile)
    before = stored_profile(session).as_setting()
    after = clean.as_setting()
    changes = changes_between(before, after)
    if not changes:
        return False
    row = session.get(Setting, SETTING_KEY)
    if row is None:
        session.add(Setting(key=SETTING_KEY, value=after))
    else:
        row.value = after
    record_setup_change(session, audit, user, "setting", SETTING_KEY, "edited", changes)
    return True
