"""Administration of clinicians' accounts: the first administrator, the Clinicians list, and
adding, editing, deactivating and reactivating accounts.

Accounts are never deleted (their signatures must stay valid): they are deactivated. The
clinic always keeps one active administrator with a password.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from facilitator.domain.identifiers import npi_problem
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.passwords import generate_password
from facilitator.services.account_store import (
    AccountError,
    AccountStore,
    find_clinician,
    normalized_username,
    require_administrator,
    signed_in_user,
)
from facilitator.services.login_throttle import time_to_wait
from facilitator.storage.models import Clinician, LoginThrottle
from facilitator.storage.unit_of_work import unit_of_work
from facilitator.visible_text import has_control_character

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,31}$")


@dataclass(frozen=True, slots=True)
class ClinicianDetails:
    """What an administrator enters or edits about a clinician (the username never changes)."""

    display_name: str
    credentials: str
    role: Role
    needs_cosignature: bool = False
    supervisor_id: uuid.UUID | None = None
    npi: str = ""  # 10 digits with its check digit (domain.identifiers), or empty
    license_number: str = ""


@dataclass(frozen=True, slots=True)
class ClinicianRow:
    """One account as the Clinicians list shows it."""

    id: uuid.UUID
    username: str
    display_name: str
    credentials: str
    role: Role
    needs_cosignature: bool
    supervisor_id: uuid.UUID | None
    supervisor: str
    active: bool
    has_password: bool
    must_change_password: bool
    locked: bool
    last_login_at: datetime | None
    npi: str = ""
    license_number: str = ""


class AccountAdministration(AccountStore):
    """Setting the clinic up and what administrators manage; every change is audited."""

    def needs_setup(self) -> bool:
        """Whether nobody can administer the clinic: no active administrator with a password."""
        with unit_of_work(self._database) as session:
            return _active_administrators(session) == 0

    def create_first_administrator(
        self, username: str, display_name: str, credentials: str, password: str
    ) -> SignedInUser:
        """The clinic's first administrator (only while needs_setup())."""
        details = ClinicianDetails(display_name, credentials, Role.ADMINISTRATOR)
        name = _valid_username(username)
        with unit_of_work(self._database) as session:
            self._check_new_password(session, password, name, display_name)
            if _active_administrators(session):
                raise AccountError("This clinic already has an administrator; sign in instead.")
            row = _new_row(session, name, details)
            self._set_password(row, password, must_change=False)
            self._record_change(session, row.id, row.id, "first_administrator")
            return signed_in_user(row)

    def clinicians(self) -> list[ClinicianRow]:
        """Every account, active or not, by display name."""
        now = self._clock()
        with unit_of_work(self._database) as session:
            rows = session.scalars(select(Clinician).order_by(Clinician.display_name)).all()
            names = {row.id: row.display_name for row in rows}
            throttles = {t.key: t for t in session.scalars(select(LoginThrottle))}
            return [
                ClinicianRow(
                    id=row.id,
                    username=row.username,
                    display_name=row.display_name,
                    credentials=row.credentials,
                    role=Role(row.role),
                    needs_cosignature=row.needs_cosignature,
                    supervisor_id=row.supervisor_id,
                    supervisor=names.get(row.supervisor_id, "") if row.supervisor_id else "",
                    active=row.active,
                    has_password=row.password_hash is not None,
                    must_change_password=row.must_change_password,
                    locked=time_to_wait(throttles.get(self._throttle_key(row.username)), now)
                    is not None,
                    last_login_at=row.last_login_at,
                    npi=row.npi or "",
                    license_number=row.license_number or "",
                )
                for row in rows
            ]

    def add_clinician(
        self, actor: SignedInUser, username: str, details: ClinicianDetails
    ) -> tuple[SignedInUser, str]:
        """A new account and its temporary password (shown once; changed at first sign-in)."""
        require_administrator(actor)
        name = _valid_username(username)
        with unit_of_work(self._database) as session:
            row = _new_row(session, name, details)
            password = generate_password()
            self._set_password(row, password, must_change=True)
            self._record_change(session, actor.id, row.id, "created", role=str(details.role))
            return signed_in_user(row), password

    def update_clinician(
        self, actor: SignedInUser, clinician_id: uuid.UUID, details: ClinicianDetails
    ) -> None:
        """Change a clinician's name, credentials, role, co-signature and supervisor."""
        require_administrator(actor)
        with unit_of_work(self._database) as session:
            row = session.get_one(Clinician, clinician_id)
            if row.role == Role.ADMINISTRATOR and details.role is not Role.ADMINISTRATOR:
                _keep_an_administrator(session, row)
            _apply(session, row, details)
            self._record_change(session, actor.id, row.id, "edited", role=str(details.role))

    def set_active(self, actor: SignedInUser, clinician_id: uuid.UUID, active: bool) -> None:
        """Deactivate (no more sign-ins; records and signatures stay) or reactivate."""
        require_administrator(actor)
        with unit_of_work(self._database) as session:
            row = session.get_one(Clinician, clinician_id)
            if row.active == active:
                return
            if not active and row.role == Role.ADMINISTRATOR:
                _keep_an_administrator(session, row)
            row.active = active
            change = "reactivated" if active else "deactivated"
            self._record_change(session, actor.id, row.id, change)


def _new_row(session: Session, name: str, details: ClinicianDetails) -> Clinician:
    if find_clinician(session, name) is not None:
        raise AccountError(f"The username {name!r} is taken; choose another one.")
    row = Clinician(username=name, display_name="", role=details.role.value)
    _apply(session, row, details)
    session.add(row)
    session.flush()
    return row


def _valid_username(typed: str) -> str:
    name = normalized_username(typed)
    if not USERNAME_PATTERN.match(name):
        raise AccountError(
            "A username has 2 to 32 characters: lowercase letters, digits, dots, hyphens or "
            "underscores, starting with a letter (for example mreyes or m.reyes)."
        )
    return name


def _apply(session: Session, row: Clinician, details: ClinicianDetails) -> None:
    display_name = details.display_name.strip()
    if not display_name:
        raise AccountError("Enter the clinician's name as it appears on signed notes.")
    if len(display_name) > 200 or len(details.credentials.strip()) > 100:
        raise AccountError("The name or the credentials are too long (200 and 100 characters).")
    if has_control_character(display_name + details.credentials):
        raise AccountError(
            "The name and the credentials cannot hold control characters or direction codes "
            "(invisible codes that change how a signature reads); retype them."
        )
    supervisor = session.get(Clinician, details.supervisor_id) if details.supervisor_id else None
    if details.supervisor_id is not None:
        if supervisor is None or not supervisor.active or supervisor.id == row.id:
            raise AccountError("Choose an active supervisor other than the clinician.")
        if Role(supervisor.role) is Role.FACILITATOR:
            raise AccountError(
                f"{supervisor.display_name} cannot co-sign: choose a supervisor or an "
                "administrator."
            )
    if details.needs_cosignature and supervisor is None:
        raise AccountError("A clinician whose notes need co-signature needs a supervisor.")
    npi, license_number = details.npi.strip(), details.license_number.strip()
    problem = npi_problem(npi)
    if problem:
        raise AccountError(problem)
    if has_control_character(license_number) or len(license_number) > 50:
        raise AccountError("Write the license number on one line, at most 50 characters.")
    row.display_name = display_name
    row.credentials = details.credentials.strip()
    row.role = details.role.value
    row.needs_cosignature = details.needs_cosignature
    row.supervisor_id = details.supervisor_id
    row.npi = npi or None
    row.license_number = license_number or None


def _active_administrators(session: Session, other_than: uuid.UUID | None = None) -> int:
    query = select(func.count()).where(
        Clinician.role == Role.ADMINISTRATOR.value,
        Clinician.active.is_(True),
        Clinician.password_hash.is_not(None),
    )
    if other_than is not None:
        query = query.where(Clinician.id != other_than)
    return session.scalar(query) or 0


def _keep_an_administrator(session: Session, row: Clinician) -> None:
    if _active_administrators(session, other_than=row.id) == 0:
        raise AccountError(
            f"{row.display_name} is the last active administrator. Make another clinician an "
            "administrator first: someone must always be able to manage accounts."
        )
