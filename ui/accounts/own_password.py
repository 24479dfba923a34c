"""Signing in with a password an administrator set: the clinician first chooses their own."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from facilitator.domain.users import SignedInUser
from facilitator.services.accounts import Accounts, PasswordChangeRequiredError
from ui.dialogs.change_password_dialog import ChangePasswordDialog


def sign_in_with_own_password(
    accounts: Accounts,
    required: PasswordChangeRequiredError,
    username: str,
    temporary: str,
    parent: QWidget | None = None,
) -> SignedInUser | None:
    """Ask the clinician to replace `temporary` (ChangePasswordDialog, modal), then sign
    `username` in with the new password. None when they cancel; LoginRefusedError when the
    sign-in with the new password is refused."""
    change = ChangePasswordDialog(accounts, required.user, temporary, parent)
    try:
        if change.exec() != QDialog.DialogCode.Accepted:
            return None
        return accounts.authenticate(username, change.new_password)
    finally:
        change.deleteLater()
