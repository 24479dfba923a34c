"""Password changes: a clinician choosing their own, an administrator resetting one.

A clinician's PDF signing key is encrypted under their password: a change re-encrypts it, a
reset (the old password unknown) retires it, and a new one is made at their next signed
export.
"""

from __future__ import annotations

import uuid

from facilitator.domain.users import SignedInUser
from facilitator.security.certificates import SigningKeyLockedError
from facilitator.security.passwords import generate_password
from facilitator.security.signing_keys import retire_signing_keys, rewrap_signing_key
from facilitator.services.account_store import AccountError, require_administrator
from facilitator.services.login_throttle import WRONG_PASSWORD
from facilitator.services.sign_in import SignIn
from facilitator.storage.models import Clinician, LoginThrottle
from facilitator.storage.unit_of_work import unit_of_work


class PasswordChanges(SignIn):
    """Changing one's password (checked like a sign-in) and resetting another's."""

    def change_password(self, user: SignedInUser, current: str, new: str) -> None:
        """`user` replaces their password: `current` is checked as in confirm_password, `new`
        must meet the policy and differ from the current one. Their PDF signing key is
        re-encrypted under the new one."""
        if new == current:
            raise AccountError(
                "The new password must differ from the current one: choose a password you "
                "have not used here."
            )
        with unit_of_work(self._database) as session:
            self._check_new_password(session, new, user.username, user.display_name)
            row = session.get(Clinician, user.id)
            refusal = self._check(
                session, user.username, row, current, {"context": "change"}, WRONG_PASSWORD
            )
            if refusal is None:
                assert row is not None
                try:
                    rewrap_signing_key(session, row.id, current, new)
                except SigningKeyLockedError:  # out of step with the password: useless anyway
                    retire_signing_keys(session, row.id)
                self._set_password(row, new, must_change=False)
                self._record_change(session, row.id, row.id, "password_changed")
        if refusal is not None:
            raise refusal

    def reset_password(self, actor: SignedInUser, clinician_id: uuid.UUID) -> str:
        """A new temporary password for the clinician (shown once; they choose their own at
        the next sign-in). Ends a lockout; their PDF signing key, locked by the old password,
        is retired and a new one is made at their next signed export."""
        require_administrator(actor)
        with unit_of_work(self._database) as session:
            row = session.get_one(Clinician, clinician_id)
            password = generate_password()
            self._set_password(row, password, must_change=True)
            throttle = session.get(LoginThrottle, self._throttle_key(row.username))
            if throttle is not None:
                session.delete(throttle)
            retire_signing_keys(session, row.id)
            self._record_change(session, actor.id, row.id, "password_reset")
            return password
