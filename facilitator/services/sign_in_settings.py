"""How the sign-in sheet names people: a clinic-wide setting that only administrators change."""

from __future__ import annotations

from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.people import NameStyle
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.storage.database import Database
from facilitator.storage.models import Setting
from facilitator.storage.unit_of_work import unit_of_work

SETTING_KEY = "sign_in_sheet"


def load_name_style(session: Session) -> NameStyle:
    """The clinic's choice; legal names until an administrator chooses otherwise."""
    setting = session.get(Setting, SETTING_KEY)
    stored = setting.value.get("name_style") if setting else None
    try:
        return NameStyle(stored) if stored else NameStyle.LEGAL
    except ValueError:
        return NameStyle.LEGAL  # a value from a newer version: the fuller name is the safe one


class SignInSheetSettings:
    def __init__(self, database: Database, audit: AuditTrail) -> None:
        self._database = database
        self._audit = audit

    def name_style(self) -> NameStyle:
        with unit_of_work(self._database) as session:
            return load_name_style(session)

    def set_name_style(self, user: SignedInUser, style: NameStyle | str) -> NameStyle:
        """Change how the sheet names people (administrators only); audited."""
        if not user.is_administrator:
            raise DomainError(
                "Only an administrator can change how the sign-in sheet names people."
            )
        try:
            chosen = NameStyle(style)
        except ValueError:
            choices = ", ".join(s.value for s in NameStyle)
            raise DomainError(f'"{style}" is not a name style; choose one of: {choices}.') from None
        with unit_of_work(self._database) as session:
            before = load_name_style(session)
            setting = session.get(Setting, SETTING_KEY)
            value = {**(setting.value if setting else {}), "name_style": chosen.value}
            if setting is None:
                session.add(Setting(key=SETTING_KEY, value=value))
            else:
                setting.value = value
            self._audit.record(
                session,
                actor=user.id,
                action=AuditAction.SETTINGS_CHANGE,
                object_type="setting",
                object_id=SETTING_KEY,
                detail={"before": before.value, "after": chosen.value},
            )
        return chosen
