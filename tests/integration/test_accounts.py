"""Accounts on a real database file: hashing, refusals, slowdown and lockout, administrators."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from facilitator.domain.users import Role, SignedInUser
from facilitator.security.audit import AuditTrail, audit_key
from facilitator.security.passwords import (
    HashParameters,
    PasswordHasher,
    PasswordPolicyError,
    check_policy,
    generate_password,
)
from facilitator.services.accounts import (
    WRONG_CREDENTIALS,
    AccountError,
    Accounts,
    ClinicianDetails,
    LoginRefusedError,
    PasswordChangeRequiredError,
)
from facilitator.storage.database import Database
from facilitator.storage.models import AuditEvent, Clinician, Setting
from facilitator.storage.unit_of_work import unit_of_work
from tests.keys import TEST_KEY

FAST = HashParameters(time_cost=1, memory_kib=8, parallelism=1)  # unit-test cost only
ADMIN_PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(new_database: Database, clock: Clock) -> Accounts:
    return Accounts(new_database, AuditTrail(audit_key(TEST_KEY)), PasswordHasher(FAST), clock)


@pytest.fixture
def admin(accounts: Accounts) -> SignedInUser:
    return accounts.create_first_administrator("Admin", "Clinic Administrator", "", ADMIN_PASSWORD)


@pytest.fixture
def clinician(accounts: Accounts, admin: SignedInUser) -> Iterator[tuple[SignedInUser, str]]:
    """Morgan, who has chosen her own password."""
    user, temporary = accounts.add_clinician(
        admin, "mreyes", ClinicianDetails("Morgan Reyes", "LPC", Role.FACILITATOR)
    )
    password = "a long enough password"
    accounts.change_password(user, temporary, password)
    yield user, password


def audit(database: Database) -> list[tuple[str, str, dict[str, Any]]]:
    with unit_of_work(database) as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.sequence)).all()
        return [(e.action, e.outcome, dict(e.detail or {})) for e in events]


def refusal(accounts: Accounts, username: str, password: str) -> LoginRefusedError:
    with pytest.raises(LoginRefusedError) as caught:
        accounts.authenticate(username, password)
    return caught.value


def test_setup_creates_the_first_administrator_once(
    accounts: Accounts, new_database: Database
) -> None:
    assert accounts.needs_setup()
    with pytest.raises(PasswordPolicyError, match="at least 12 characters"):
        accounts.create_first_administrator("admin", "Admin", "", "short")
    admin = accounts.create_first_administrator("Admin", "Clinic Admin", "", ADMIN_PASSWORD)
    assert (admin.username, admin.role) == ("admin", Role.ADMINISTRATOR)
    assert not accounts.needs_setup()
    with pytest.raises(AccountError, match="already has an administrator"):
        accounts.create_first_administrator("other", "Other", "", ADMIN_PASSWORD)
    assert accounts.authenticate("ADMIN ", ADMIN_PASSWORD) == admin
    with unit_of_work(new_database) as session:
        stored = session.scalars(select(Clinician.password_hash)).one()
    assert stored is not None and stored.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert ADMIN_PASSWORD not in stored
    assert [a[0] for a in audit(new_database)] == ["account_change", "login"]


def test_a_hash_made_with_old_parameters_is_replaced_at_login(
    new_database: Database, clock: Clock
) -> None:
    trail = AuditTrail(audit_key(TEST_KEY))
    old = Accounts(new_database, trail, PasswordHasher(FAST), clock)
    old.create_first_administrator("admin", "Admin", "", ADMIN_PASSWORD)
    stronger = HashParameters(time_cost=2, memory_kib=16, parallelism=1)
    Accounts(new_database, trail, PasswordHasher(stronger), clock).authenticate(
        "admin", ADMIN_PASSWORD
    )
    with unit_of_work(new_database) as session:
        stored = session.scalars(select(Clinician.password_hash)).one()
    assert stored is not None and "$m=16,t=2,p=1$" in stored
    old.authenticate("admin", ADMIN_PASSWORD)  # still the same password under new parameters


def test_wrong_password_and_unknown_user_read_the_same(
    accounts: Accounts, admin: SignedInUser, new_database: Database
) -> None:
    wrong = refusal(accounts, "admin", "not the password at all")
    unknown = refusal(accounts, "nobody", "not the password at all")
    assert str(wrong) == str(unknown) == WRONG_CREDENTIALS
    assert wrong.retry_after is None and unknown.retry_after is None
    failures = [a for a in audit(new_database) if a[0] == "login_failed"]
    assert [(f[1], f[2]["reason"]) for f in failures] == [
        ("refused", "wrong_password"),
        ("refused", "unknown_user"),
    ]
    assert all("nobody" not in str(f) for f in failures)  # what was typed is never kept


def test_failures_slow_down_then_lock_then_the_lock_ends(
    accounts: Accounts, clinician: tuple[SignedInUser, str], clock: Clock, new_database: Database
) -> None:
    user, password = clinician
    assert refusal(accounts, "mreyes", "wrong password 1").retry_after is None
    assert "3 more failed attempts" in str(refusal(accounts, "mreyes", "wrong password 2"))
    third = refusal(accounts, "mreyes", "wrong password 3")
    assert third.retry_after == timedelta(seconds=5) and "Wait 5 seconds" in str(third)
    early = refusal(accounts, "mreyes", password)  # right password, but too early: not checked
    assert early.retry_after == timedelta(seconds=5) and "wait 5 seconds" in str(early)
    clock.advance(timedelta(seconds=5))
    fourth = refusal(accounts, "mreyes", "wrong password 4")
    assert fourth.retry_after == timedelta(seconds=10)  # increasing
    clock.advance(timedelta(seconds=10))
    fifth = refusal(accounts, "mreyes", "wrong password 5")
    assert fifth.retry_after == timedelta(minutes=15) and "locked for 15 minutes" in str(fifth)
    clock.advance(timedelta(minutes=14))
    locked = refusal(accounts, "mreyes", password)
    assert locked.retry_after == timedelta(minutes=1) and "locked for 1 minute." in str(locked)
    with pytest.raises(LoginRefusedError, match="locked"):
        accounts.confirm_password(user, password)  # signing re-entry shares the lock
    clock.advance(timedelta(minutes=1))
    assert accounts.authenticate("mreyes", password) == user
    assert refusal(accounts, "mreyes", "wrong again").retry_after is None  # counting restarts
    reasons = [a[2].get("reason") for a in audit(new_database) if a[0] == "login_failed"]
    assert reasons.count("too_early") == 1 and reasons.count("locked") == 2


def test_an_unknown_username_is_throttled_like_a_real_one(
    accounts: Accounts, admin: SignedInUser
) -> None:
    for _ in range(4):
        refusal(accounts, "ghost", "guess")
        accounts._clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert "locked for 15 minutes" in str(refusal(accounts, "ghost", "guess"))
    assert accounts.wait_for("ghost") == timedelta(minutes=15)
    assert accounts.wait_for("admin") is None  # other usernames are not affected


def test_confirm_password_counts_failures(
    accounts: Accounts, clinician: tuple[SignedInUser, str]
) -> None:
    user, password = clinician
    accounts.confirm_password(user, password)
    for attempt in range(3):
        with pytest.raises(LoginRefusedError) as refused:
            accounts.confirm_password(user, f"wrong {attempt}")
        # signed in, they typed only a password: the username is not in question
        assert str(refused.value).startswith("The password is not correct.")
    assert accounts.wait_for("mreyes") == timedelta(seconds=5)


def test_a_deactivated_account_is_refused_and_can_return(
    accounts: Accounts, admin: SignedInUser, clinician: tuple[SignedInUser, str]
) -> None:
    user, password = clinician
    accounts.set_active(admin, user.id, False)
    assert "deactivated" in str(refusal(accounts, "mreyes", password))
    assert str(refusal(accounts, "mreyes", "wrong password")) == WRONG_CREDENTIALS
    row = next(r for r in accounts.clinicians() if r.id == user.id)
    assert not row.active and row.has_password  # never deleted
    accounts.set_active(admin, user.id, True)
    assert accounts.authenticate("mreyes", password) == user


def test_a_reset_password_must_be_changed_at_the_next_login(
    accounts: Accounts, admin: SignedInUser, clinician: tuple[SignedInUser, str]
) -> None:
    user, old = clinician
    for attempt in range(5):
        refusal(accounts, "mreyes", f"forgotten {attempt}")
        accounts._clock.advance(timedelta(seconds=30))  # type: ignore[attr-defined]
    assert accounts.wait_for("mreyes") is not None  # locked out
    temporary = accounts.reset_password(admin, user.id)
    assert accounts.wait_for("mreyes") is None  # the reset ends the lock
    assert str(refusal(accounts, "mreyes", old)) == WRONG_CREDENTIALS
    with pytest.raises(PasswordChangeRequiredError) as caught:
        accounts.authenticate("mreyes", temporary)
    assert caught.value.user == user
    with pytest.raises(PasswordPolicyError, match="must not contain the username"):
        accounts.change_password(user, temporary, "mreyes's new password")
    with pytest.raises(AccountError, match="differ"):
        accounts.change_password(user, temporary, temporary)
    accounts.change_password(user, temporary, "my own new passphrase")
    assert accounts.authenticate("mreyes", "my own new passphrase") == user


def test_only_administrators_manage_accounts(
    accounts: Accounts, admin: SignedInUser, clinician: tuple[SignedInUser, str]
) -> None:
    user, _ = clinician
    with pytest.raises(AccountError, match="Only an administrator"):
        accounts.reset_password(user, admin.id)
    with pytest.raises(AccountError, match="Only an administrator"):
        accounts.add_clinician(user, "x.y", ClinicianDetails("X Y", "", Role.FACILITATOR))


def test_the_last_administrator_is_protected(
    accounts: Accounts, admin: SignedInUser, clinician: tuple[SignedInUser, str]
) -> None:
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_active(admin, admin.id, False)
    demoted = ClinicianDetails("Clinic Administrator", "", Role.SUPERVISOR)
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.update_clinician(admin, admin.id, demoted)
    second, _ = accounts.add_clinician(
        admin, "deputy", ClinicianDetails("Deputy Admin", "", Role.ADMINISTRATOR)
    )
    accounts.set_active(admin, admin.id, False)  # now allowed: the deputy can administer
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_active(second, second.id, False)
    assert not accounts.needs_setup()


def test_adding_clinicians_checks_what_is_entered(
    accounts: Accounts, admin: SignedInUser, clinician: tuple[SignedInUser, str]
) -> None:
    user, _ = clinician
    with pytest.raises(AccountError, match="is taken"):
        accounts.add_clinician(admin, "MReyes", ClinicianDetails("M", "", Role.FACILITATOR))
    with pytest.raises(AccountError, match="lowercase letters"):
        accounts.add_clinician(admin, "sam okafor", ClinicianDetails("S", "", Role.FACILITATOR))
    with pytest.raises(AccountError, match="needs a supervisor"):
        accounts.add_clinician(
            admin, "sokafor", ClinicianDetails("Sam Okafor", "LAC", Role.FACILITATOR, True)
        )
    with pytest.raises(AccountError, match="cannot co-sign"):
        accounts.add_clinician(
            admin,
            "sokafor",
            ClinicianDetails("Sam Okafor", "LAC", Role.FACILITATOR, True, user.id),
        )
    supervisor, _ = accounts.add_clinician(
        admin, "jlee", ClinicianDetails("Jordan Lee", "LCSW", Role.SUPERVISOR)
    )
    associate, temporary = accounts.add_clinician(
        admin,
        "sokafor",
        ClinicianDetails("Sam Okafor", "LAC", Role.FACILITATOR, True, supervisor.id),
    )
    assert associate.needs_cosignature and len(temporary) >= 12
    rows = {r.username: r for r in accounts.clinicians()}
    assert rows["sokafor"].supervisor == "Jordan Lee" and rows["sokafor"].must_change_password
    assert not rows["mreyes"].must_change_password


def test_every_account_change_is_audited(
    accounts: Accounts,
    admin: SignedInUser,
    clinician: tuple[SignedInUser, str],
    new_database: Database,
) -> None:
    user, _ = clinician
    accounts.reset_password(admin, user.id)
    accounts.set_active(admin, user.id, False)
    accounts.log_out(admin)
    changes = [a[2]["change"] for a in audit(new_database) if a[0] == "account_change"]
    assert changes == [
        "first_administrator",
        "created",
        "password_changed",
        "password_reset",
        "deactivated",
    ]
    assert audit(new_database)[-1][0] == "logout"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("password123456", "common password with digits or symbols added"),
        ("qwertyuiop123", "one of the most commonly used passwords"),
        ("iloveyou12345", "common password with digits or symbols added"),
        ("aaaaaaaaaaaaaa", 'Repeats like "aaa"'),
        ("abcdefghijklmn", "Sequences like"),
        ("123456789012345", "too easy to guess"),
        ("Morgan's password!", "your name or the clinic's name"),
        ("Lakeside Recovery 2026!", "your name or the clinic's name"),
    ],
)
def test_guessable_passwords_are_refused_with_the_reason(
    accounts: Accounts,
    new_database: Database,
    clinician: tuple[SignedInUser, str],
    password: str,
    reason: str,
) -> None:
    with unit_of_work(new_database) as session:
        session.add(Setting(key="clinic_profile", value={"name": "Lakeside Recovery Center"}))
    user, current = clinician
    with pytest.raises(PasswordPolicyError, match=re.escape(reason)):
        accounts.change_password(user, current, password)
    assert accounts.authenticate("mreyes", current) == user  # unchanged


def test_the_first_administrator_cannot_choose_a_common_password(accounts: Accounts) -> None:
    with pytest.raises(PasswordPolicyError, match="most commonly used"):
        accounts.create_first_administrator("admin", "Clinic Admin", "", "password1234")
    assert accounts.needs_setup()


def test_the_current_password_cannot_be_chosen_again(
    accounts: Accounts, clinician: tuple[SignedInUser, str]
) -> None:
    user, current = clinician
    with pytest.raises(AccountError, match="must differ from the current one"):
        accounts.change_password(user, current, current)


def test_generated_passwords_meet_the_policy() -> None:
    for _ in range(50):
        check_policy(generate_password(), "mreyes", ["Morgan Reyes", "Lakeside Recovery"])


def test_a_name_with_direction_codes_is_refused(accounts: Accounts, admin: SignedInUser) -> None:
    for name, credentials in (("Dana \u202eRoe", "LPC"), ("Dana Roe", "LPC\u2066"), ("A\x1bB", "")):
        with pytest.raises(AccountError, match="direction codes"):
            accounts.add_clinician(
                admin, "droe", ClinicianDetails(name, credentials, Role.FACILITATOR)
            )
