"""What the setup screens call: the clinic's profile, programs, modalities and curriculum,
note templates, groups and their schedules, each call one committed (and audited)
transaction. The functions it calls take a session and serve the config import too."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select

from facilitator.domain.notes import NoteTemplate
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditTrail
from facilitator.services import (
    clinic_config,
    clinic_profile,
    curriculum_setup,
    curriculum_toml,
    group_schedule,
    groups_setup,
    note_templates,
    programs_setup,
)
from facilitator.services.clinic_config import ConfigPlan
from facilitator.services.clinic_profile import ClinicProfile
from facilitator.services.curriculum_setup import ModalityDetails, ModalityRow, TopicDetails
from facilitator.services.curriculum_toml import CurriculumImport
from facilitator.services.group_schedule import ScheduleEntry
from facilitator.services.groups_setup import GroupDetails, GroupRow
from facilitator.services.note_templates import TemplateRow
from facilitator.services.programs_setup import ProgramDetails, ProgramRow
from facilitator.storage.database import Database
from facilitator.storage.models import Clinician
from facilitator.storage.unit_of_work import unit_of_work


class ClinicSetup:
    """The clinic's setup for the administrator's screens; every change is audited."""

    def __init__(self, database: Database, audit: AuditTrail) -> None:
        self._database = database
        self._audit = audit

    # --- the clinic ---------------------------------------------------------------------
    def profile(self) -> ClinicProfile:
        with unit_of_work(self._database) as session:
            return clinic_profile.load_profile(session)

    def save_profile(self, user: SignedInUser, profile: ClinicProfile) -> bool:
        with unit_of_work(self._database) as session:
            return clinic_profile.save_profile(session, profile, user, self._audit)

    def today(self) -> date:
        """Today in the clinic's time zone."""
        with unit_of_work(self._database) as session:
            return clinic_profile.clinic_today(session)

    # --- programs -----------------------------------------------------------------------
    def programs(self) -> list[ProgramRow]:
        with unit_of_work(self._database) as session:
            return programs_setup.program_rows(session)

    def save_program(
        self, user: SignedInUser, program_id: uuid.UUID | None, details: ProgramDetails
    ) -> uuid.UUID:
        with unit_of_work(self._database) as session:
            return programs_setup.save_program(session, program_id, details, user, self._audit)

    def set_program_active(self, user: SignedInUser, program_id: uuid.UUID, active: bool) -> None:
        with unit_of_work(self._database) as session:
            programs_setup.set_program_active(session, program_id, active, user, self._audit)

    # --- modalities and curriculum ------------------------------------------------------
    def modalities(self) -> list[ModalityRow]:
        with unit_of_work(self._database) as session:
            return curriculum_setup.modality_rows(session)

    def save_modality(
        self, user: SignedInUser, modality_id: uuid.UUID | None, details: ModalityDetails
    ) -> uuid.UUID:
        with unit_of_work(self._database) as session:
            return curriculum_setup.save_modality(session, modality_id, details, user, self._audit)

    def set_modality_active(self, user: SignedInUser, modality_id: uuid.UUID, active: bool) -> None:
        with unit_of_work(self._database) as session:
            curriculum_setup.set_modality_active(session, modality_id, active, user, self._audit)

    def save_topic(
        self,
        user: SignedInUser,
        modality_id: uuid.UUID,
        topic_id: uuid.UUID | None,
        details: TopicDetails,
    ) -> uuid.UUID:
        with unit_of_work(self._database) as session:
            return curriculum_setup.save_topic(
                session, modality_id, topic_id, details, user, self._audit
            )

    def remove_topic(self, user: SignedInUser, topic_id: uuid.UUID) -> None:
        with unit_of_work(self._database) as session:
            curriculum_setup.remove_topic(session, topic_id, user, self._audit)

    # --- note templates -----------------------------------------------------------------
    def templates(self) -> list[TemplateRow]:
        with unit_of_work(self._database) as session:
            return note_templates.template_rows(session)

    def save_template(self, user: SignedInUser, template: NoteTemplate) -> uuid.UUID:
        with unit_of_work(self._database) as session:
            return note_templates.save_template(session, template, user, self._audit)

    def set_template_active(self, user: SignedInUser, code: str, active: bool) -> None:
        with unit_of_work(self._database) as session:
            note_templates.set_template_active(session, code, active, user, self._audit)

    # --- groups and schedules -----------------------------------------------------------
    def groups(self) -> list[GroupRow]:
        with unit_of_work(self._database) as session:
            return groups_setup.group_rows(session)

    def leaders(self) -> list[tuple[uuid.UUID, str]]:
        """Active clinicians who may lead a group: (id, display name), by name."""
        with unit_of_work(self._database) as session:
            rows = session.execute(
                select(Clinician.id, Clinician.display_name)
                .where(Clinician.active)
                .order_by(Clinician.display_name)
            )
            return [(clinician_id, name) for clinician_id, name in rows]

    def save_group(
        self, user: SignedInUser, group_id: uuid.UUID | None, details: GroupDetails
    ) -> uuid.UUID:
        with unit_of_work(self._database) as session:
            return groups_setup.save_group(session, group_id, details, user, self._audit)

    def set_group_active(self, user: SignedInUser, group_id: uuid.UUID, active: bool) -> None:
        with unit_of_work(self._database) as session:
            groups_setup.set_group_active(session, group_id, active, user, self._audit)

    def change_schedule(
        self,
        user: SignedInUser,
        group_id: uuid.UUID,
        effective_from: date,
        entries: Sequence[ScheduleEntry],
    ) -> None:
        """From `effective_from` on the group meets on `entries` (see
        group_schedule.change_schedule for what is refused)."""
        with unit_of_work(self._database) as session:
            group_schedule.change_schedule(
                session, group_id, effective_from, entries, user, self._audit
            )

    # --- configuration as data ----------------------------------------------------------
    def export_config(self) -> str:
        """The whole setup as TOML (no PHI; leaders by username)."""
        with unit_of_work(self._database) as session:
            return clinic_config.export_config(session)

    def preview_import(self, text: str) -> ConfigPlan:
        """What importing `text` would change, and its problems; nothing is changed."""
        with unit_of_work(self._database) as session:
            return clinic_config.preview_import(session, text)

    def apply_import(self, user: SignedInUser, plan: ConfigPlan) -> ConfigPlan:
        """Import a previewed file, all or nothing (ConfigImportError: nothing changed)."""
        with unit_of_work(self._database) as session:
            return clinic_config.apply_import(session, plan, user, self._audit)

    def export_curriculum(self, modality_code: str) -> str:
        """One modality's curriculum as TOML (the shape of resources/curriculum/*.toml)."""
        with unit_of_work(self._database) as session:
            return curriculum_toml.export_curriculum(session, modality_code)

    def import_curriculum(self, user: SignedInUser, text: str) -> CurriculumImport:
        """Add or update a modality's topics from a curriculum file, all or nothing."""
        with unit_of_work(self._database) as session:
            return curriculum_toml.import_curriculum(session, text, user, self._audit)
