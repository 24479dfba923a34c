"""The clinic's whole setup as one TOML file: export it, preview what importing one would
change (with a message per problem, naming its line or item), and import it all or nothing.

The file holds the profile, note templates, modalities with their curriculum, programs with
their codes and measure schedules, and groups with their leaders (by username) and dated
weekly schedules. No participant, no note, no account but the leaders' usernames.
"""

from __future__ import annotations

import re
import tomllib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilitator.domain.errors import DomainError
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.audit import AuditAction, AuditTrail, DetailValue
from facilitator.services import config_document as doc
from facilitator.services.clinic_profile import save_profile, stored_profile
from facilitator.services.curriculum_setup import (
    find_modality,
    save_modality,
    save_topic,
    set_modality_active,
)
from facilitator.services.group_schedule import first_difference, rewrite_schedule
from facilitator.services.groups_setup import GroupDetails, save_group, set_group_active
from facilitator.services.note_templates import save_template, set_template_active
from facilitator.services.programs_setup import save_program, set_program_active
from facilitator.services.setup_audit import require_setup_administrator
from facilitator.storage.models import (
    Clinician,
    CurriculumTopic,
    Group,
    Modality,
    NoteTemplateRecord,
    Program,
)
from facilitator.toml_writer import dumps

HEADER = (
    "# Facilitator clinic setup: profile, note templates, modalities and curriculum,\n"
    "# programs, groups and their weekly schedules. No participant data.\n"
    "# Import with: facilitator config import FILE.toml (see docs/clinic-setup.md)\n\n"
)
KINDS = ("clinic", "template", "modality", "program", "group")


class ConfigImportError(DomainError):
    """The file cannot be imported; `problems` says where and why."""

    def __init__(self, problems: list[ConfigProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class ConfigProblem:
    where: str  # "line 12, group Adult IOP Morning schedule 1 block 2" or "[clinic]"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass(frozen=True)
class PlannedChange:
    kind: str  # clinic, template, modality, program, group
    name: str
    status: str  # added, changed, unchanged
    fields: tuple[str, ...] = ()  # what changes


@dataclass
class ConfigPlan:
    """What importing `text` would do."""

    text: str
    changes: list[PlannedChange] = field(default_factory=list)
    problems: list[ConfigProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, status: str) -> int:
        return sum(1 for c in self.changes if c.status == status)


# --- export -----------------------------------------------------------------------------
def export_data(session: Session) -> dict[str, Any]:
    """The clinic's setup as the file's tables."""
    return {
        "format": doc.FORMAT,
        "clinic": doc.clinic_data(stored_profile(session)),
        "template": [
            doc.template_data(t)
            for t in session.scalars(select(NoteTemplateRecord).order_by(NoteTemplateRecord.code))
        ],
        "modality": [
            doc.modality_data(m) for m in session.scalars(select(Modality).order_by(Modality.code))
        ],
        "program": [
            doc.program_data(p) for p in session.scalars(select(Program).order_by(Program.name))
        ],
        "group": [doc.group_data(g) for g in session.scalars(select(Group).order_by(Group.name))],
    }


def export_config(session: Session) -> str:
    """The whole setup as a TOML document (importing it elsewhere reproduces this setup)."""
    return HEADER + dumps(export_data(session))


# --- import -----------------------------------------------------------------------------
class _NoAudit(AuditTrail):
    """The preview's audit: what it tries is rolled back, so nothing is recorded."""

    def __init__(self) -> None:
        super().__init__(b"\0" * 32)

    def record(self, session: Session, **_: Any) -> None:
        return None


_PREVIEW_USER = SignedInUser(uuid.UUID(int=0), "preview", "Preview", "", Role.ADMINISTRATOR, False)


def preview_import(session: Session, text: str) -> ConfigPlan:
    """What importing `text` would change, and every problem found; nothing is kept."""
    nested = session.begin_nested()
    try:
        return _run(session, text, _PREVIEW_USER, _NoAudit())
    finally:
        nested.rollback()
        session.expire_all()


def apply_import(
    session: Session, plan: ConfigPlan, user: SignedInUser, audit: AuditTrail
) -> ConfigPlan:
    """Import the previewed file in the caller's transaction; ConfigImportError (and nothing
    changed, once the caller rolls back) if any item fails, checked again against the
    clinic as it is now."""
    require_setup_administrator(user)
    done = _run(session, plan.text, user, audit)
    if done.problems:
        raise ConfigImportError(done.problems)
    counts: dict[str, DetailValue] = {s: done.count(s) for s in ("added", "changed", "unchanged")}
    audit.record(
        session,
        actor=user.id,
        action=AuditAction.IMPORT,
        object_type="clinic_config",
        detail={"kind": "clinic_setup", **counts},
    )
    return done


def _run(session: Session, text: str, user: SignedInUser, audit: AuditTrail) -> ConfigPlan:
    plan = ConfigPlan(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        plan.problems.append(ConfigProblem("", f"This is not a valid TOML file: {error}."))
        return plan
    unknown = sorted(set(data) - {*KINDS, "format"})
    if unknown:
        plan.problems.append(ConfigProblem("", f"Unknown section {', '.join(unknown)}."))
    if data.get("format", doc.FORMAT) != doc.FORMAT:
        plan.problems.append(ConfigProblem("format", f"This version reads format {doc.FORMAT}."))
    if not plan.ok:
        return plan
    _Importer(session, text, user, audit, plan).run(data)
    return plan


class _Importer:
    def __init__(
        self, session: Session, text: str, user: SignedInUser, audit: AuditTrail, plan: ConfigPlan
    ) -> None:
        self.session, self.user, self.audit, self.plan = session, user, audit, plan
        self.lines = _header_lines(text)
        self.failed: set[tuple[str, str]] = set()

    def where(self, header: str, index: int, name: str) -> str:
        lines = self.lines.get(header, [])
        at = f"line {lines[index]}, " if index < len(lines) else ""
        return f"{at}{header} {name}".strip()

    def step(
        self,
        kind: str,
        name: str,
        where: str,
        before: Callable[[], dict[str, Any] | None],
        action: Callable[[], None],
    ) -> None:
        """Run one item's change, and note what it changed or why it could not."""
        was = before()
        try:
            action()
        except DomainError as error:
            self.plan.problems.append(ConfigProblem(where, str(error)))
            self.failed.add((kind, name))
            return
        self.session.flush()
        now = before()
        if was is None or (not was and now):  # a new item, or a first profile
            self.plan.changes.append(PlannedChange(kind, name, "added"))
            return
        fields = tuple(
            k for k in sorted(set(was) | set(now or {})) if was.get(k) != (now or {}).get(k)
        )
        status = "changed" if fields else "unchanged"
        self.plan.changes.append(PlannedChange(kind, name, status, fields))

    def items(self, data: dict[str, Any], kind: str, read: Callable[[Any, str], Any]) -> list[Any]:
        found = []
        raw = data.get(kind, [])
        if not isinstance(raw, list):
            self.plan.problems.append(ConfigProblem(kind, f"write each {kind} as [[{kind}]]."))
            return []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            label = item.get("name") or item.get("code") if isinstance(item, dict) else None
            where = self.where(kind, index, str(label or index + 1))
            key = str(label).strip().upper()
            if label is not None and key in seen:
                twice = f"{label} appears twice in the file."
                self.plan.problems.append(ConfigProblem(where, twice))
                continue
            seen.add(key)
            try:
                found.append(read(item, where))
            except DomainError as error:
                message = str(error)
                if message.startswith(where):  # the reader names the item too
                    message = message[len(where) :].lstrip(" :")
                self.plan.problems.append(ConfigProblem(where, message))
                self.failed.add((kind, str(label)))
        return found

    def run(self, data: dict[str, Any]) -> None:
        if "clinic" in data:
            self.clinic(data["clinic"])
        for template in self.items(data, "template", doc.read_template):
            self.template(template)
        for modality in self.items(data, "modality", doc.read_modality):
            self.modality(modality)
        programs = self.items(data, "program", doc.read_program)
        for program in programs:
            self.program(program)
        for group in self.items(data, "group", doc.read_group):
            self.group(group)
        for program in programs:
            if not program.active and ("program", program.details.name) not in self.failed:
                self.program_active(program)

    def clinic(self, raw: Any) -> None:
        where = (
            f"line {self.lines['clinic'][0]}, [clinic]" if self.lines.get("clinic") else "[clinic]"
        )
        try:
            profile = doc.read_clinic(raw)
        except DomainError as error:
            self.plan.problems.append(ConfigProblem(where, str(error)))
            return

        def apply() -> None:
            if profile.as_setting() != stored_profile(self.session).as_setting():
                save_profile(self.session, profile, self.user, self.audit)

        self.step(
            "clinic",
            "profile",
            where,
            lambda: doc.clinic_data(stored_profile(self.session)),
            apply,
        )

    def template(self, item: doc.TemplateItem) -> None:
        code = item.template.code

        def record() -> NoteTemplateRecord | None:
            return self.session.scalars(
                select(NoteTemplateRecord).where(NoteTemplateRecord.code == code)
            ).one_or_none()

        def apply() -> None:
            save_template(self.session, item.template, self.user, self.audit)
            set_template_active(self.session, code, item.active, self.user, self.audit)

        self.step("template", code, item.where, lambda: _data(record(), doc.template_data), apply)

    def modality(self, item: doc.ModalityItem) -> None:
        code = item.details.code.strip().upper()

        def apply() -> None:
            found = find_modality(self.session, code)
            modality_id = save_modality(
                self.session, found.id if found else None, item.details, self.user, self.audit
            )
            for topic in item.topics:
                existing = self.session.scalars(
                    select(CurriculumTopic.id).where(
                        CurriculumTopic.modality_id == modality_id,
                        CurriculumTopic.title == topic.title.strip(),
                    )
                ).one_or_none()
                save_topic(self.session, modality_id, existing, topic, self.user, self.audit)
            set_modality_active(self.session, modality_id, item.active, self.user, self.audit)
            self.session.flush()  # expiring drops unflushed changes: the audit checkpoint's too
            self.session.expire_all()

        self.step(
            "modality",
            code,
            item.where,
            lambda: _data(find_modality(self.session, code), doc.modality_data),
            apply,
        )

    def _program(self, name: str) -> Program | None:
        return self.session.scalars(select(Program).where(Program.name == name)).one_or_none()

    def program(self, item: doc.ProgramItem) -> None:
        name = item.details.name.strip()

        def apply() -> None:
            found = self._program(name)
            save_program(
                self.session, found.id if found else None, item.details, self.user, self.audit
            )
            if item.active:
                program_id = self._program(name)
                assert program_id is not None
                set_program_active(self.session, program_id.id, True, self.user, self.audit)

        self.step(
            "program", name, item.where, lambda: _data(self._program(name), doc.program_data), apply
        )

    def program_active(self, item: doc.ProgramItem) -> None:
        name = item.details.name.strip()
        found = self._program(name)
        assert found is not None
        try:
            set_program_active(self.session, found.id, False, self.user, self.audit)
        except DomainError as error:
            self.plan.problems.append(ConfigProblem(item.where, str(error)))

    def _leader(self, username: str | None, what: str) -> uuid.UUID | None:
        if username is None:
            return None
        row = self.session.scalars(
            select(Clinician).where(Clinician.username == username.strip().lower())
        ).one_or_none()
        if row is None:
            raise DomainError(f"the {what} {username!r} has no account in this clinic.")
        if not row.active:
            raise DomainError(f"the {what} {username} is deactivated; choose an active clinician.")
        return row.id

    def group(self, item: doc.GroupItem) -> None:
        name = item.name.strip()

        def find() -> Group | None:
            return self.session.scalars(select(Group).where(Group.name == name)).one_or_none()

        def apply() -> None:
            if ("program", item.program.strip()) in self.failed:
                raise DomainError(f"its program {item.program} has errors (see above).")
            program = self._program(item.program.strip())
            if program is None:
                raise DomainError(f"there is no program named {item.program!r}.")
            details = GroupDetails(
                program_id=program.id,
                name=name,
                room=item.room,
                capacity=item.capacity,
                facilitator_id=self._leader(item.facilitator, "facilitator"),
                co_facilitator_id=self._leader(item.co_facilitator, "co-facilitator"),
                note_template=item.note_template,
            )
            found = find()
            if found is not None and not found.active and item.active:
                set_group_active(self.session, found.id, True, self.user, self.audit)
            group_id = save_group(
                self.session, found.id if found else None, details, self.user, self.audit
            )
            group = self.session.get_one(Group, group_id)
            day = first_difference(group, item.periods)
            if day is not None:
                rewrite_schedule(self.session, group, day, item.periods, self.user, self.audit)
            if not item.active:
                set_group_active(self.session, group_id, False, self.user, self.audit)
            self.session.flush()  # expiring drops unflushed changes: the audit checkpoint's too
            self.session.expire_all()

        self.step("group", name, item.where, lambda: _data(find(), doc.group_data), apply)


def _data(row: Any, export: Callable[[Any], dict[str, Any]]) -> dict[str, Any] | None:
    return export(row) if row is not None else None


_HEADER_LINE = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.\s]+?)\s*\]\]?\s*(#.*)?$")


def _header_lines(text: str) -> dict[str, list[int]]:
    """The line numbers of each table header ([clinic], [[group]] ...), in file order."""
    found: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER_LINE.match(line)
        if match:
            found.setdefault(re.sub(r"\s+", "", match.group(1)), []).append(number)
    return found
