"""The composition root: find the data folder, open the clinic, hand out its services."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from platformdirs import user_data_dir

from facilitator.security.audit import AuditAction, AuditTrail, DetailValue, audit_key
from facilitator.security.database_key import default_key_store, unlock
from facilitator.security.key_store import KeyStore
from facilitator.security.passphrase_store import environment_passphrase
from facilitator.services import views
from facilitator.services.accounts import Accounts
from facilitator.services.demo import DemoSummary, create_demo_clinic
from facilitator.services.participant_record import ParticipantRecord, load_participant_record
from facilitator.services.quick_phrases import QuickPhrases
from facilitator.services.roster_import import RosterImport
from facilitator.services.session_runner import SessionRunner
from facilitator.services.shipped_content import install_shipped_content
from facilitator.storage.database import Database, open_database, prepare_data_folder
from facilitator.storage.unit_of_work import unit_of_work

APP_NAME = "Facilitator"
DATA_DIR_VARIABLE = "FACILITATOR_DATA_DIR"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins, then FACILITATOR_DATA_DIR, then the platform's user data folder."""
    chosen = explicit or os.environ.get(DATA_DIR_VARIABLE) or user_data_dir(APP_NAME, False)
    return Path(chosen).expanduser().resolve()


@dataclass
class Clinic:
    """One open clinic database and the use cases the screens and commands call."""

    data_dir: Path
    database: Database
    audit: AuditTrail
    recovery_code: str | None = None  # set when this run made the key: show it once

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.database)

    @property
    def runner(self) -> SessionRunner:
        return SessionRunner(self.database)

    @property
    def quick_phrases(self) -> QuickPhrases:
        return QuickPhrases(self.database)

    @property
    def roster_import(self) -> RosterImport:
        return RosterImport(self.database, self.audit)

    def day_blocks(self, day: date) -> list[views.DayBlockRow]:
        with unit_of_work(self.database) as session:
            return views.day_blocks(session, day)

    def roster(self, day: date) -> list[views.RosterRow]:
        with unit_of_work(self.database) as session:
            return views.roster(session, day)

    def participant_record(self, participant_id: uuid.UUID, today: date) -> ParticipantRecord:
        with unit_of_work(self.database) as session:
            return load_participant_record(session, participant_id, today)

    def groups(self, day: date) -> list[views.GroupRow]:
        with unit_of_work(self.database) as session:
            return views.groups(session, day)

    def curriculum(self) -> list[views.TopicRow]:
        with unit_of_work(self.database) as session:
            return views.curriculum(session)

    def has_participants(self) -> bool:
        with unit_of_work(self.database) as session:
            return views.participant_count(session) > 0

    def create_demo(self, today: date) -> DemoSummary:
        with unit_of_work(self.database) as session:
            return create_demo_clinic(session, today)

    def record_audit(
        self,
        actor: uuid.UUID | None,
        action: AuditAction,
        *,
        object_type: str | None = None,
        object_id: str | None = None,
        outcome: str = "success",
        detail: Mapping[str, DetailValue] | None = None,
    ) -> None:
        """Write one audit entry in its own transaction."""
        with unit_of_work(self.database) as session:
            self.audit.record(
                session,
                actor=actor,
                action=action,
                object_type=object_type,
                object_id=object_id,
                outcome=outcome,
                detail=detail,
            )

    def close(self) -> None:
        self.database.close()


def open_clinic(data_dir: Path, key_store: KeyStore | None = None) -> Clinic:
    """Open (or create) the clinic in `data_dir`, upgraded and with the shipped curriculum.

    The database key comes from `key_store`, by default the OS keyring or else the key file
    wrapped by the passphrase in FACILITATOR_PASSPHRASE; a new clinic gets a new key there.
    """
    path = prepare_data_folder(data_dir)
    store = key_store or default_key_store(data_dir, environment_passphrase(data_dir))
    unlocked = unlock(path, store)
    database = open_database(path, unlocked.key)
    with unit_of_work(database) as session:
        install_shipped_content(session)
    return Clinic(data_dir, database, AuditTrail(audit_key(unlocked.key)), unlocked.recovery_code)
