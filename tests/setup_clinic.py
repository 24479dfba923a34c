"""A clinic with accounts and nothing set up, for the clinic-setup tests: an administrator
("setupadmin", SETUP_PASSWORD), two active facilitators and a deactivated one."""

from __future__ import annotations

from pathlib import Path

from facilitator.app import open_clinic
from facilitator.domain.users import Role, SignedInUser
from facilitator.services.account_admin import ClinicianDetails

SETUP_PASSWORD = "harbor willow quartz 73"
EXAMPLE = Path(__file__).resolve().parents[1] / "resources" / "clinic-example.toml"


def make_setup_clinic(folder: Path) -> SignedInUser:
    """Create the clinic in `folder` (closed again); return its administrator."""
    clinic = open_clinic(folder)
    try:
        admin = clinic.accounts.create_first_administrator(
            "setupadmin", "S. Admin", "LCSW", SETUP_PASSWORD
        )
        for username, name in (("mreyes", "M. Reyes"), ("jchen", "J. Chen"), ("gone", "G. One")):
            clinic.accounts.add_clinician(
                admin, username, ClinicianDetails(name, "LPC", Role.FACILITATOR)
            )
        gone = next(c for c in clinic.accounts.clinicians() if c.username == "gone")
        clinic.accounts.set_active(admin, gone.id, False)
        return admin
    finally:
        clinic.close()
