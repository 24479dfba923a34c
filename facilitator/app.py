"""The composition root: find the data folder, open the clinic, hand out its services."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from keyring.errors import KeyringError
from platformdirs import user_data_dir
from sqlalchemy import URL
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from facilitator.documents.requests import Document, DocumentRequest
from facilitator.documents.service import Documents
from facilitator.documents.services_billing import ServiceExport
from facilitator.domain.trends import Trends
from facilitator.domain.users import SignedInUser
from facilitator.leftovers import EXPORT, clean_leftovers, remember_folder, remembered_folders
from facilitator.missing_clinic import (
    ClinicMissingError,
    database_state,
    refuse_damaged_over_backups,
    refuse_empty_over_backups,
    refuse_over_traces,
)
from facilitator.security import database_key
from facilitator.security.audit import AuditAction, AuditTrail, DetailValue, audit_key
from facilitator.security.audit_verify import AuditReport
from facilitator.security.certificates import SigningIdentity
from facilitator.security.database_key import default_key_store, unlock
from facilitator.security.export_receipts import (
    ExportReceipts,
    LedgerCheck,
    check_ledger,
    open_receipts,
)
from facilitator.security.key_info import read_key_info
from facilitator.security.key_store import KeyStore
from facilitator.security.passphrase_store import environment_passphrase
from facilitator.security.signing_keys import (
    ClinicCertificates,
    clinic_certificates,
    unlock_signing_key,
)
from facilitator.services import audit_log, this_week, views
from facilitator.services.accounts import Accounts
from facilitator.services.admissions import Admissions
from facilitator.services.attendance_correction import AttendanceCorrection
from facilitator.services.audit_log import AuditFilter, AuditRow, require_administrator
from facilitator.services.backup import Backups, clinic_id_of
from facilitator.services.block_correction import BlockCorrectionService
from facilitator.services.clinic_profile import clinic_today, load_profile
from facilitator.services.clinic_setup import ClinicSetup
from facilitator.services.day_changes import DayChange, DayChoices, day_changes, day_choices
from facilitator.services.day_plan import GroupDayRow, plan_day
from facilitator.services.demo import DemoSummary, create_demo_clinic
from facilitator.services.discharge import Discharges
from facilitator.services.goal_plan import GoalPlan
from facilitator.services.lock_settings import LockSettings
from facilitator.services.measures import Measures
from facilitator.services.participant_record import ParticipantRecord, load_participant_record
from facilitator.services.quick_phrases import QuickPhrases
from facilitator.services.record_check import (
    RecordCheck,
    check_records,
    exported_file_hash,
    later_addenda,
    signed_records,
)
from facilitator.services.restore import (
    BackupSummary,
    RestoreResult,
    check_can_restore,
    inspect_backup,
    record_restore,
    restore_database,
)
from facilitator.services.roster_import import RosterImport
from facilitator.services.schedule_exceptions import ScheduleExceptions
from facilitator.services.session_runner import SessionRunner
from facilitator.services.sessions import open_session
from facilitator.services.shipped_content import install_shipped_content
from facilitator.services.sign_in_settings import SignInSheetSettings
from facilitator.services.signing import Signing
from facilitator.services.transfers import Transfers
from facilitator.services.trends import load_trends
from facilitator.storage.database import Database, open_database, prepare_data_folder
from facilitator.storage.errors import NotADatabaseError, StorageError
from facilitator.storage.replace import finish_interrupted_replace
from facilitator.storage.server import BothBackendsError, open_server_database, server_url
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
        return Accounts(self.database, self.audit)

    @property
    def runner(self) -> SessionRunner:
        """The runner for scripts and tests; windows use runner_for(user)."""
        return SessionRunner(self.database, self.audit)

    def runner_for(self, user: SignedInUser) -> SessionRunner:
        """The runner whose changes are audited as `user`'s."""
        return SessionRunner(self.database, self.audit, user.id)

    @property
    def quick_phrases(self) -> QuickPhrases:
        return QuickPhrases(self.database, self.audit)

    @property
    def lock_settings(self) -> LockSettings:
        return LockSettings(self.database, self.audit)

    @property
    def sign_in_settings(self) -> SignInSheetSettings:
        return SignInSheetSettings(self.database, self.audit)

    def quick_phrases_for(self, user: SignedInUser) -> QuickPhrases:
        """Quick phrases whose edits are audited as `user`'s settings changes."""
        return QuickPhrases(self.database, self.audit, user.id)

    @property
    def signing(self) -> Signing:
        return Signing(self.database, self.accounts, self.audit)

    @property
    def attendance_correction(self) -> AttendanceCorrection:
        return AttendanceCorrection(self.database, self.accounts, self.audit)

    @property
    def block_correction(self) -> BlockCorrectionService:
        return BlockCorrectionService(self.database, self.accounts, self.audit)

    @property
    def roster_import(self) -> RosterImport:
        return RosterImport(self.database, self.audit)

    @property
    def setup(self) -> ClinicSetup:
        """Programs, groups, schedules, curriculum, templates, the profile (administrators)."""
        return ClinicSetup(self.database, self.audit)

    @property
    def measures(self) -> Measures:
        return Measures(self.database, self.audit)

    @property
    def admissions(self) -> Admissions:
        """Admit, edit details with history (participants)."""
        return Admissions(self.database, self.audit)

    @property
    def goal_plan(self) -> GoalPlan:
        return GoalPlan(self.database, self.audit)

    @property
    def transfers(self) -> Transfers:
        return Transfers(self.database, self.audit)

    @property
    def discharges(self) -> Discharges:
        return Discharges(self.database, self.accounts, self.audit)

    def today(self) -> date:
        """Today in the clinic's time zone (its profile; the computer's when it set none)."""
        with unit_of_work(self.database) as session:
            return clinic_today(session)

    def time_zone(self) -> ZoneInfo:
        """The clinic's time zone (its profile; the computer's when it set none)."""
        with unit_of_work(self.database) as session:
            return ZoneInfo(load_profile(session).time_zone)

    def trends(self, participant_id: uuid.UUID, today: date) -> Trends:
        """The Progress plots' data; reads the record's weeks again (a refresh is cheap)."""
        with unit_of_work(self.database) as session:
            record = load_participant_record(session, participant_id, today)
            return load_trends(session, participant_id, record.weeks, today)

    def week_milestones(self, day: date) -> list[this_week.MilestoneRow]:
        with unit_of_work(self.database) as session:
            return this_week.week_milestones(session, day)

    def week_measures_due(self, day: date) -> list[this_week.MeasureDueRow]:
        with unit_of_work(self.database) as session:
            return this_week.week_measures_due(session, day)

    def day_blocks(self, day: date) -> list[views.DayBlockRow]:
        with unit_of_work(self.database) as session:
            return views.day_blocks(session, day)

    def day_plan(self, day: date, group_id: uuid.UUID | None = None) -> list[GroupDayRow]:
        """The groups meeting on `day` and their blocks, made or planned (reads only)."""
        with unit_of_work(self.database) as session:
            return plan_day(session, day, group_id)

    def open_session(self, user: SignedInUser, group_id: uuid.UUID, day: date) -> uuid.UUID:
        """The group's session on `day`, made from the schedule on first use (audited)."""
        return open_session(self.database, group_id, day, self.audit, user.id)

    def schedule_exceptions(self, user: SignedInUser) -> ScheduleExceptions:
        """Closures and block changes made by `user` (administrators and supervisors)."""
        return ScheduleExceptions(self.database, self.audit, user)

    def day_choices(self, day: date) -> DayChoices:
        """Groups and their blocks, modalities and clinicians a change to `day` is made from."""
        with unit_of_work(self.database) as session:
            return day_choices(session, day)

    def day_changes(self, day: date) -> list[DayChange]:
        """The closures and block changes in force on `day`."""
        with unit_of_work(self.database) as session:
            return day_changes(session, day)

    def roster(self, day: date) -> list[views.RosterRow]:
        with unit_of_work(self.database) as session:
            return views.roster(session, day)

    def participant_record(self, participant_id: uuid.UUID, today: date) -> ParticipantRecord:
        """A record already opened with view_participant (a refresh), or for scripts."""
        with unit_of_work(self.database) as session:
            return load_participant_record(session, participant_id, today)

    def view_participant(
        self, user: SignedInUser, participant_id: uuid.UUID, today: date
    ) -> ParticipantRecord:
        """Open a participant's record for `user`: audited as a view of their record."""
        with unit_of_work(self.database) as session:
            record = load_participant_record(session, participant_id, today)
            self.audit.record(
                session,
                actor=user.id,
                action=AuditAction.VIEW_PARTICIPANT,
                object_type="participant",
                object_id=str(participant_id),
            )
            return record

    def audit_entries(self, user: SignedInUser, audit_filter: AuditFilter) -> list[AuditRow]:
        """The audit log's entries matching `audit_filter` (administrators only)."""
        require_administrator(user)
        with unit_of_work(self.database) as session:
            return audit_log.list_entries(session, audit_filter)

    def audit_usernames(self, user: SignedInUser) -> list[str]:
        require_administrator(user)
        with unit_of_work(self.database) as session:
            return audit_log.usernames(session)

    def verify_audit(self, user: SignedInUser) -> AuditReport:
        """Check the audit chain (administrators only); the check itself is audited."""
        require_administrator(user)
        with unit_of_work(self.database) as session:
            return audit_log.verify(session, self.audit, user)

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
        return create_demo_clinic(self.database, today, self.audit)

    def signing_identity(self, user: SignedInUser, password: str) -> SigningIdentity:
        """`user`'s PDF signing key, unlocked by their password (made on first use).

        Confirms the password first (LoginRefusedError when wrong). Keep the result only for
        the one export it signs: it holds the unlocked private key, the password is not kept.
        """
        self.accounts.confirm_password(user, password)
        with unit_of_work(self.database) as session:
            return unlock_signing_key(session, self.database.key, user, password, self.audit)

    def certificates(self) -> ClinicCertificates:
        """The clinic's signing authority and every clinician certificate it issued."""
        with unit_of_work(self.database) as session:
            return clinic_certificates(session)

    def check_records(self, claimed: list[tuple[str, str]]) -> list[RecordCheck]:
        """Compare a document's (record id, content hash) pairs with the signed records."""
        with unit_of_work(self.database) as session:
            return check_records(session, claimed)

    def export_receipts(self) -> ExportReceipts | None:
        """The export receipts kept beside the database (None without a system keyring)."""
        try:
            return open_receipts(self.data_dir, database_key.keyring_backend())
        except (KeyringError, StorageError):
            return None

    def check_signed_records(self) -> LedgerCheck | None:
        """Every signed record against the receipts' ledger; None where none is kept."""
        receipts = self.export_receipts()
        if receipts is None:
            return None
        with unit_of_work(self.database) as session:
            records = signed_records(session)
        return check_ledger(receipts.ledger(), records)

    def keep_receipt(
        self, document_id: uuid.UUID, items: Sequence[tuple[str, str]], sha256: str
    ) -> None:
        """Write an export's receipt (facilitator.security.export_receipts), if receipts are
        kept here; a receipt that cannot be written shows as missing when verifying."""
        receipts = self.export_receipts()
        if receipts is not None:
            with contextlib.suppress(OSError):
                receipts.write(document_id, items, sha256)

    def later_addenda(
        self, note_ids: list[uuid.UUID], listed: list[uuid.UUID]
    ) -> dict[uuid.UUID, int]:
        """Signed addenda and corrections of these notes that a document did not show."""
        with unit_of_work(self.database) as session:
            return later_addenda(session, note_ids, listed)

    def exported_file_hash(self, document_id: uuid.UUID) -> str | None:
        """The SHA-256 of the file exported as `document_id`, if its export recorded one."""
        with unit_of_work(self.database) as session:
            return exported_file_hash(session, document_id)

    @property
    def service_export(self) -> ServiceExport:
        """The billing export (CSV of billable services), written outside the data folder."""
        return ServiceExport(self.database, self.audit, self.data_dir)

    @property
    def documents(self) -> Documents:
        return Documents(self.database, audit=self.audit)

    def load_document(self, request: DocumentRequest) -> Document:
        """A document's content (facilitator.documents), for reports.export."""
        return self.documents.load(request)

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

    def remember_export_folder(self, folder: Path) -> None:
        """Note where an export is being written (see facilitator.leftovers)."""
        with unit_of_work(self.database) as session:
            remember_folder(session, EXPORT, folder)

    @property
    def backups(self) -> Backups:
        info = read_key_info(self.data_dir)
        assert info is not None  # open_clinic read or made it
        return Backups(self.database, self.audit, self.data_dir, clinic_id_of(info.database_id))

    def inspect_backup(self, path: Path) -> BackupSummary:
        """Check a backup before restoring it (a RestoreError says what is wrong with it)."""
        return inspect_backup(path, self.database.key)

    def restore(self, user: SignedInUser, backup: Path, now: datetime) -> RestoreResult:
        """Replace the records by `backup` and reopen them, upgraded (administrators only).

        The database in place is kept aside under a dated name; on any error nothing changes.
        """
        check_can_restore(user)
        self.database, result = restore_database(self.database, backup, now)
        with contextlib.suppress(KeyringError, StorageError, OSError):
            receipts = self.export_receipts()
            if receipts is not None:
                receipts.start_new_ledger()
        with unit_of_work(self.database) as session:
            install_shipped_content(session)
            record_restore(session, self.audit, user, result)
        return result

    def close(self) -> None:
        """Seal the signed records in the receipts' ledger (best effort), then close."""
        with contextlib.suppress(KeyringError, StorageError, OSError, SQLAlchemyError):
            receipts = self.export_receipts()
            if receipts is not None:
                with unit_of_work(self.database) as session:
                    records = signed_records(session)
                receipts.seal(records)
        self.database.close()


def open_clinic(data_dir: Path, key_store: KeyStore | None = None) -> Clinic:
    """Open (or create) the clinic in `data_dir`, upgraded and with the shipped curriculum.

    A folder that held a clinic whose database is missing or empty raises ClinicMissingError
    (facilitator.missing_clinic) before anything is created; partial files of killed exports
    and backups are removed (facilitator.leftovers).

    The database key comes from `key_store`, by default the OS keyring or else the key file
    wrapped by the passphrase in FACILITATOR_PASSPHRASE; a new clinic gets a new key there.
    A folder with a facilitator.server.toml keeps its records on that PostgreSQL server.
    """
    path = prepare_data_folder(data_dir)
    store = key_store or default_key_store(data_dir, environment_passphrase(data_dir))
    url = server_url(data_dir)
    if url is not None:
        return _open_server_clinic(data_dir, path, url, store)
    finish_interrupted_replace(path)  # a restore a crash stopped half way
    state = database_state(path)
    if state is not None:  # never a new clinic over another one's traces
        refuse_over_traces(data_dir, state, store)
    unlocked = unlock(path, store)
    try:
        database = open_database(path, unlocked.key)
    except NotADatabaseError:
        refuse_damaged_over_backups(data_dir, unlocked.key)
        raise
    try:
        refuse_empty_over_backups(database)
    except ClinicMissingError:
        database.close()
        raise
    audit = AuditTrail(audit_key(unlocked.key))
    with unit_of_work(database) as session:
        install_shipped_content(session)
        _clean_leftovers(session, audit, data_dir)
    return Clinic(data_dir, database, audit, unlocked.recovery_code)


def _open_server_clinic(data_dir: Path, path: Path, url: URL, store: KeyStore) -> Clinic:
    """The clinic whose records are on the PostgreSQL server at `url` (facilitator.storage.
    server). Its key (audit chain, signing authority, backups) is the data folder's clinic
    key, made on first use like a new file clinic's; it encrypts no database here."""
    if path.exists() and path.stat().st_size > 0:
        raise BothBackendsError(data_dir, path)
    unlocked = unlock(path, store)
    database = open_server_database(url, unlocked.key)
    audit = AuditTrail(audit_key(unlocked.key))
    with unit_of_work(database) as session:
        install_shipped_content(session)
        _clean_leftovers(session, audit, data_dir)
    return Clinic(data_dir, database, audit, unlocked.recovery_code)


def _clean_leftovers(session: Session, audit: AuditTrail, data_dir: Path) -> None:
    """Remove what killed exports and backups left (facilitator.leftovers); audit the counts."""
    cleaned = clean_leftovers(data_dir, remembered_folders(session))
    if cleaned:
        audit.record(
            session,
            actor=None,
            action=AuditAction.CLEANUP,
            object_type="leftovers",
            detail={
                "export_parts": cleaned.export_parts,
                "backup_partials": cleaned.backup_partials,
            },
        )
