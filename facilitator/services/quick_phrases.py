"""Quick phrases per note field: the shipped ones, or the clinic's own edits of them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.security.audit import AuditAction, AuditTrail
from facilitator.services.note_templates import templates
from facilitator.storage.database import Database
from facilitator.storage.models import Setting
from facilitator.storage.unit_of_work import unit_of_work

SETTING_KEY = "quick_phrases"
MAX_PHRASE_LENGTH = 500


class QuickPhrases:
    """Read and edit the phrases offered in each template field (a clinic-wide setting).

    Edits are audited as settings changes by `actor` (None: not known, as in scripts).
    """

    def __init__(
        self, database: Database, audit: AuditTrail, actor: uuid.UUID | None = None
    ) -> None:
        self._database = database
        self._audit = audit
        self._actor = actor

    def phrases(self, template: str, field: str) -> tuple[str, ...]:
        with unit_of_work(self._database) as session:
            edited = _edited(session).get(template, {}).get(field)
            return tuple(edited) if edited is not None else _shipped(session, template, field)

    def all_for(self, template: str) -> dict[str, tuple[str, ...]]:
        """Every field's phrases for one template, read in one query."""
        with unit_of_work(self._database) as session:
            edited = _edited(session).get(template, {})
            return {
                f.key: tuple(edited.get(f.key, f.quick_phrases))
                for f in templates(session)[template].fields
            }

    def set_phrases(self, template: str, field: str, phrases: Sequence[str]) -> tuple[str, ...]:
        """Replace a field's phrases; blank lines are dropped. Returns what was stored."""
        with unit_of_work(self._database) as session:
            _shipped(session, template, field)  # raises for an unknown template or field
        cleaned = tuple(p.strip() for p in phrases if p.strip())
        too_long = [p for p in cleaned if len(p) > MAX_PHRASE_LENGTH]
        if too_long:
            raise DomainError(f"A quick phrase can be at most {MAX_PHRASE_LENGTH} characters.")
        with unit_of_work(self._database) as session:
            setting = session.get(Setting, SETTING_KEY) or Setting(key=SETTING_KEY, value={})
            value: dict[str, Any] = {k: dict(v) for k, v in setting.value.items()}
            value.setdefault(template, {})[field] = list(cleaned)
            setting.value = value
            session.add(setting)
            self._record(session, template, field, "edited", len(cleaned))
        return cleaned

    def restore_shipped(self, template: str, field: str) -> tuple[str, ...]:
        """Forget the clinic's edits of one field."""
        with unit_of_work(self._database) as session:
            setting = session.get(Setting, SETTING_KEY)
            if setting is not None:
                value = {k: dict(v) for k, v in setting.value.items()}
                value.get(template, {}).pop(field, None)
                setting.value = value
            self._record(session, template, field, "restored_shipped", None)
            return _shipped(session, template, field)

    def _record(
        self, session: Session, template: str, field: str, change: str, count: int | None
    ) -> None:
        self._audit.record(
            session,
            actor=self._actor,
            action=AuditAction.SETTINGS_CHANGE,
            object_type="setting",
            object_id=SETTING_KEY,
            detail={
                "template": template.lower(),
                "field": field,
                "change": change,
                "phrases": count,
            },
        )


def _edited(session: Session) -> dict[str, dict[str, list[str]]]:
    setting = session.get(Setting, SETTING_KEY)
    return dict(setting.value) if setting is not None else {}


def _shipped(session: Session, template: str, field: str) -> tuple[str, ...]:
    """The field's phrases as its template (shipped or the clinic's own) holds them."""
    known = templates(session)
    if template not in known:
        raise DomainError(f"There is no note template called {template}.")
    for template_field in known[template].fields:
        if template_field.key == field:
            return template_field.quick_phrases
    raise DomainError(f"The {template} template has no field called {field}.")
