"""The clinic's note templates, kept in the database: the shipped GIRP, DAP, BIRP and SOAP
and the clinic's own. Every note's template is resolved through `templates()` and
`template_for_group()`; nothing reads resources/templates for a note but the installer here.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from facilitator import content
from facilitator.domain.clinic_setup import SetupError, note_template, template_fields_as_data
from facilitator.domain.notes import NoteStatus, NoteTemplate, TemplateField
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services.setup_audit import (
    changes_between,
    record_setup_change,
    require_setup_administrator,
)
from facilitator.storage.models import Group, NoteTemplateRecord, ParticipantNote, Program


@dataclass(frozen=True)
class TemplateRow:
    """A template as the setup screens list it."""

    id: uuid.UUID
    template: NoteTemplate
    shipped: bool
    active: bool


def install_shipped_templates(session: Session) -> int:
    """Add the shipped templates the database lacks (idempotent; a clinic's edits stay)."""
    codes = set(session.scalars(select(NoteTemplateRecord.code)))
    missing = [t for code, t in content.note_templates().items() if code not in codes]
    session.add_all(
        NoteTemplateRecord(
            code=t.code,
            name=t.name,
            description=t.description,
            fields=template_fields_as_data(t),
            shipped=True,
            active=True,
        )
        for t in missing
    )
    return len(missing)


def _as_template(record: NoteTemplateRecord) -> NoteTemplate:
    # Stored rows were validated when written; read them without re-validating so a note
    # always resolves its template.
    return NoteTemplate(
        record.code,
        record.name,
        record.description,
        tuple(
            TemplateField(
                key=str(f["key"]),
                label=str(f["label"]),
                help=str(f.get("help", "")),
                required=bool(f.get("required", False)),
                quick_phrases=tuple(str(p) for p in f.get("quick_phrases", ())),
            )
            for f in record.fields
        ),
    )


def templates(session: Session) -> dict[str, NoteTemplate]:
    """Every template a note may name, active or not, keyed by code (the shipped ones first
    where the database has not got them yet)."""
    found = dict(content.note_templates())
    for record in session.scalars(select(NoteTemplateRecord).order_by(NoteTemplateRecord.code)):
        found[record.code] = _as_template(record)
    return found


def template_rows(session: Session) -> list[TemplateRow]:
    """Every stored template, by code."""
    return [
        TemplateRow(r.id, _as_template(r), r.shipped, r.active)
        for r in session.scalars(select(NoteTemplateRecord).order_by(NoteTemplateRecord.code))
    ]


def template_code_for_group(group: Group) -> str:
    """The code of the template a group's notes use: its own, else its program's."""
    return group.note_template or group.program.note_template


def template_for_group(session: Session, group: Group) -> NoteTemplate:
    """The template new notes of `group` are written on."""
    return templates(session)[template_code_for_group(group)]


def check_template_choice(session: Session, code: str | None, what: str) -> str | None:
    """`code` if it names an active template (None: no choice of its own)."""
    if code is None:
        return None
    record = session.scalars(
        select(NoteTemplateRecord).where(NoteTemplateRecord.code == code)
    ).one_or_none()
    if record is None:
        raise SetupError(f"{what}: there is no note template {code!r}.")
    if not record.active:
        raise SetupError(f"{what}: the note template {code} is deactivated.")
    return code


def _in_signed_notes(session: Session, code: str) -> bool:
    return bool(
        session.scalar(
            select(
                exists().where(
                    ParticipantNote.template == code,
                    ParticipantNote.status != NoteStatus.DRAFT.value,
                )
            )
        )
    )


def _shape(fields: list[dict[str, object]]) -> list[tuple[object, object, object]]:
    return [(f["key"], f["label"], f["required"]) for f in fields]


def save_template(
    session: Session, template: NoteTemplate, user: SignedInUser, audit: AuditTrail
) -> uuid.UUID:
    """Add a template, or change the one with its code (the code never changes). Once signed
    notes use a template, its fields (keys, labels, required) stay as they were: make a new
    template instead. Audited with what changed."""
    require_setup_administrator(user)
    clean = note_template(template.code, template.name, template.description, template.fields)
    fields = template_fields_as_data(clean)
    after = {"name": clean.name, "description": clean.description, "fields": fields}
    record = session.scalars(
        select(NoteTemplateRecord).where(NoteTemplateRecord.code == clean.code)
    ).one_or_none()
    if record is None:
        record = NoteTemplateRecord(code=clean.code, shipped=False, active=True, **after)
        session.add(record)
        session.flush()
        record_setup_change(
            session,
            audit,
            user,
            "note_template",
            record.id,
            "created",
            changes_between({}, {"code": clean.code, **after}),
        )
        return record.id
    before = {"name": record.name, "description": record.description, "fields": record.fields}
    changes = changes_between(before, after)
    if not changes:
        return record.id
    if _shape(record.fields) != _shape(fields) and _in_signed_notes(session, record.code):
        raise SetupError(
            f"Signed notes use the template {record.code}: its fields (keys, labels, required) "
            "cannot change. Add a new template and choose it for the program instead."
        )
    record.name, record.description, record.fields = clean.name, clean.description, fields
    record_setup_change(session, audit, user, "note_template", record.id, "edited", changes)
    return record.id


def set_template_active(
    session: Session, code: str, active: bool, user: SignedInUser, audit: AuditTrail
) -> None:
    """Deactivate (no longer offered; notes written on it keep it) or reactivate."""
    require_setup_administrator(user)
    record = session.scalars(
        select(NoteTemplateRecord).where(NoteTemplateRecord.code == code)
    ).one_or_none()
    if record is None:
        raise SetupError(f"There is no note template {code!r}.")
    if record.active == active:
        return
    if not active:
        users = [
            *session.scalars(
                select(Program.name).where(Program.note_template == code, Program.active)
            ),
            *session.scalars(select(Group.name).where(Group.note_template == code, Group.active)),
        ]
        if users:
            raise SetupError(
                f"The template {code} is chosen by {', '.join(sorted(users))}: choose another "
                "template there first."
            )
    record.active = active
    record_setup_change(
        session,
        audit,
        user,
        "note_template",
        record.id,
        "reactivated" if active else "deactivated",
        {"active": (not active, active)},
    )
