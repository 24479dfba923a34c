"""The demo clinic's accounts, made as a new clinic makes them: the first administrator, who
adds the clinicians, each of whom then chooses their own password (a random one: a demo left
on a laptop must not open with a password from a manual)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from facilitator.domain.users import Role, SignedInUser
from facilitator.security.passwords import generate_password
from facilitator.services.accounts import Accounts, ClinicianDetails


@dataclass(frozen=True)
class _Account:
    username: str
    details: ClinicianDetails


ADMINISTRATOR = _Account("admin", ClinicianDetails("Clinic Administrator", "", Role.ADMINISTRATOR))
SUPERVISOR = _Account("jlee", ClinicianDetails("Jordan Lee", "LCSW, LCADC", Role.SUPERVISOR))
MORNING_LEAD = _Account("mreyes", ClinicianDetails("Morgan Reyes", "LPC, LCADC", Role.FACILITATOR))
EVENING_LEAD = "sokafor"  # an associate: their notes need the supervisor's co-signature


@dataclass
class DemoStaff:
    """The demo's accounts signed in, their passwords, and the password check signing asks
    (each password is checked once by the accounts; signing a month of notes would otherwise
    spend most of the demo's time hashing the same passwords again)."""

    accounts: Accounts
    users: dict[str, SignedInUser]
    passwords: dict[str, str]  # username -> password, in the order the demo shows them
    _confirmed: set[tuple[uuid.UUID, str]] = field(default_factory=set)

    @property
    def morning_lead(self) -> SignedInUser:
        return self.users[MORNING_LEAD.username]

    @property
    def evening_lead(self) -> SignedInUser:
        return self.users[EVENING_LEAD]

    @property
    def supervisor(self) -> SignedInUser:
        return self.users[SUPERVISOR.username]

    @property
    def administrator(self) -> SignedInUser:
        return self.users[ADMINISTRATOR.username]

    def password(self, user: SignedInUser) -> str:
        return self.passwords[user.username]

    def confirm_password(self, user: SignedInUser, password: str) -> None:
        """The accounts' check, once per user and password."""
        if (user.id, password) not in self._confirmed:
            self.accounts.confirm_password(user, password)
            self._confirmed.add((user.id, password))


def create_staff(accounts: Accounts) -> DemoStaff:
    """Two group leads (one an associate), a supervisor and the administrator."""
    passwords = {ADMINISTRATOR.username: generate_password()}
    admin = accounts.create_first_administrator(
        ADMINISTRATOR.username,
        ADMINISTRATOR.details.display_name,
        ADMINISTRATOR.details.credentials,
        passwords[ADMINISTRATOR.username],
    )
    users = {admin.username: admin}
    supervisor = _add(accounts, admin, SUPERVISOR, users, passwords)
    _add(accounts, admin, MORNING_LEAD, users, passwords)
    associate = ClinicianDetails(
        "Sam Okafor", "LAC", Role.FACILITATOR, needs_cosignature=True, supervisor_id=supervisor.id
    )
    _add(accounts, admin, _Account(EVENING_LEAD, associate), users, passwords)
    order = (MORNING_LEAD.username, EVENING_LEAD, SUPERVISOR.username, ADMINISTRATOR.username)
    return DemoStaff(accounts, users, {name: passwords[name] for name in order})


def _add(
    accounts: Accounts,
    admin: SignedInUser,
    account: _Account,
    users: dict[str, SignedInUser],
    passwords: dict[str, str],
) -> SignedInUser:
    """The administrator adds the account; its clinician replaces the temporary password."""
    user, temporary = accounts.add_clinician(admin, account.username, account.details)
    passwords[user.username] = generate_password()
    accounts.change_password(user, temporary, passwords[user.username])
    users[user.username] = user
    return user
