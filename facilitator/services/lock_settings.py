"""The idle lock's delay: a clinic-wide setting that only administrators change."""

from __future__ import annotations

from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.storage.database import Database
from facilitator.storage.models import Setting
from facilitator.storage.unit_of_work import unit_of_work

SETTING_KEY = "idle_lock"
DEFAULT_IDLE_MINUTES = 5
MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 60


class LockSettings:
    """How many minutes without input before the app hides every record behind a lock."""

    def __init__(self, database: Database, audit: AuditTrail) -> None:
        self._database = database
        self._audit = audit

    def idle_minutes(self) -> int:
        with unit_of_work(self._database) as session:
            setting = session.get(Setting, SETTING_KEY)
            return int(setting.value["minutes"]) if setting else DEFAULT_IDLE_MINUTES

    def set_idle_minutes(self, user: SignedInUser, minutes: int) -> int:
        """Change the delay (administrators only); audited as a settings change."""
        if not user.is_administrator:
            raise DomainError("Only an administrator can change when the app locks itself.")
        if not MIN_IDLE_MINUTES <= minutes <= MAX_IDLE_MINUTES:
            raise DomainError(
                f"The app locks after {MIN_IDLE_MINUTES} to {MAX_IDLE_MINUTES} minutes "
                "without input."
            )
        with unit_of_work(self._database) as session:
            setting = session.get(Setting, SETTING_KEY)
            before = int(setting.value["minutes"]) if setting else DEFAULT_IDLE_MINUTES
            if setting is None:
                session.add(Setting(key=SETTING_KEY, value={"minutes": minutes}))
            else:
                setting.value = {"minutes": minutes}
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.SETTINGS_CHANGE,
                object_type="setting",
                object_id=SETTING_KEY,
                detail={"before": before, "after": minutes},
            )
        return minutes
