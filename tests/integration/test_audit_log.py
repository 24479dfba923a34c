"""The audit chain on a real clinic, SQLCipher and PostgreSQL: plain-SQL tampering is found where
it was done. A clinic on a server keys its chain with the data folder's clinic key."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from facilitator.app import Clinic, open_clinic
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.audit import (
    HEAD_SETTING,
    AuditAction,
    AuditDetailError,
    audit_key,
    check_detail,
)
from facilitator.security.audit_verify import AuditProblem, ProblemKind
from facilitator.services.audit_log import AuditFilter, NotAnAdministratorError
from facilitator.storage.models import AuditEvent, Clinician
from facilitator.storage.unit_of_work import unit_of_work
from tests.clinic_copies import clinic_copy
from tests.keys import TEST_KEY
from tests.storage_backends import Storage

ENTRIES = 8


def user(clinic: Clinic, username: str) -> SignedInUser:
    with unit_of_work(clinic.database) as session:
        row = session.scalars(select(Clinician).where(Clinician.username == username)).one()
        return SignedInUser(row.id, row.username, row.display_name, "", Role(row.role), False)


@pytest.fixture(scope="module")
def logged_folder(module_storage: Storage, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clinic with two clinicians and ENTRIES audit entries, built once per back end; tests
    use copies."""
    folder = module_storage.new_clinic_folder(tmp_path_factory.mktemp("audit") / "clinic")
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            session.add(Clinician(username="ward", display_name="A Ward", role="administrator"))
            session.add(Clinician(username="bell", display_name="B Bell", role="facilitator"))
        ward, bell = user(clinic, "ward"), user(clinic, "bell")
        for n in range(ENTRIES):
            actor = ward if n % 2 else bell
            clinic.record_audit(
                actor.id,
                AuditAction.VIEW_PARTICIPANT if n % 2 else AuditAction.EDIT,
                object_type="participant",
                object_id=str(uuid.uuid4()),
                detail={"count": n, "kind": "test"},
            )
    finally:
        clinic.close()
    return folder


@pytest.fixture
def clinic(logged_folder: Path, module_storage: Storage, tmp_path: Path) -> Iterator[Clinic]:
    with clinic_copy(logged_folder, tmp_path / "clinic", module_storage) as opened:
        yield opened


def raw(clinic: Clinic, *statements: str) -> None:
    """Tamper with the database in plain SQL, as someone with a database tool would."""
    with clinic.database.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def problems(clinic: Clinic) -> list[tuple[int, ProblemKind]]:
    report = clinic.verify_audit(user(clinic, "ward"))
    return [(p.sequence, p.kind) for p in report.problems]


def test_an_untouched_log_verifies(clinic: Clinic) -> None:
    report = clinic.verify_audit(user(clinic, "ward"))
    assert report.intact and report.entries == ENTRIES
    # The check is itself audited, and the log still verifies after it.
    again = clinic.verify_audit(user(clinic, "ward"))
    assert again.intact and again.entries == ENTRIES + 1
    newest = clinic.audit_entries(user(clinic, "ward"), AuditFilter(limit=1))[0]
    assert (newest.action, newest.username, newest.outcome) == ("verify", "ward", "success")


def test_an_edited_detail_is_reported_at_its_entry(clinic: Clinic) -> None:
    raw(
        clinic,
        """UPDATE audit_event SET detail = '{"count": 99, "kind": "test"}' WHERE sequence = 3""",
    )
    assert problems(clinic) == [(3, ProblemKind.EDITED)]


def test_an_edited_actor_is_reported_at_its_entry(clinic: Clinic) -> None:
    raw(
        clinic,
        "UPDATE audit_event SET clinician_id = "
        "(SELECT clinician_id FROM audit_event WHERE sequence = 2) WHERE sequence = 5",
    )
    assert problems(clinic) == [(5, ProblemKind.EDITED)]


def test_an_edited_last_entry_is_reported(clinic: Clinic) -> None:
    raw(clinic, f"UPDATE audit_event SET outcome = 'failure' WHERE sequence = {ENTRIES}")
    assert problems(clinic) == [(ENTRIES, ProblemKind.EDITED)]


def test_a_replaced_chain_value_is_reported_at_its_entry(clinic: Clinic) -> None:
    raw(clinic, f"UPDATE audit_event SET chain = '{'ab' * 32}' WHERE sequence = 4")
    found = clinic.verify_audit(user(clinic, "ward")).problems
    assert [(p.sequence, p.kind) for p in found] == [(4, ProblemKind.EDITED)]
    assert "chain value" in found[0].message


def test_a_deleted_entry_is_reported_at_its_place(clinic: Clinic) -> None:
    raw(clinic, "DELETE FROM audit_event WHERE sequence = 4")
    assert problems(clinic) == [(4, ProblemKind.DELETED)]


def test_deleted_entries_at_the_end_are_reported_by_the_checkpoint(clinic: Clinic) -> None:
    raw(clinic, f"DELETE FROM audit_event WHERE sequence > {ENTRIES - 2}")
    assert problems(clinic) == [(ENTRIES - 1, ProblemKind.TRUNCATED)]


def test_entries_cut_off_the_end_stay_missing_when_the_app_writes_again(clinic: Clinic) -> None:
    raw(clinic, f"DELETE FROM audit_event WHERE sequence > {ENTRIES - 2}")
    clinic.record_audit(None, AuditAction.LOGIN_FAILED, outcome="refused")
    assert problems(clinic) == [(ENTRIES - 1, ProblemKind.DELETED)]


def test_an_altered_checkpoint_is_reported(clinic: Clinic) -> None:
    altered = (
        "json_set(value, '$.sequence', 3)"
        if clinic.database.engine.dialect.name == "sqlite"
        else "jsonb_set(value::jsonb, '{sequence}', '3')::json"
    )
    raw(clinic, f"UPDATE setting SET value = {altered} WHERE key = '{HEAD_SETTING}'")
    assert problems(clinic) == [(ENTRIES, ProblemKind.CHECKPOINT)]


def insert_statement(sequence: int, actor_sequence: int = 2) -> str:
    return (
        "INSERT INTO audit_event (id, sequence, occurred_at, clinician_id, action, object_type,"
        " object_id, outcome, detail, chain) SELECT "
        f"'{uuid.uuid4().hex}', {sequence}, occurred_at, clinician_id, 'login', NULL, NULL,"
        f" 'success', '{{}}', '{'cd' * 32}' FROM audit_event WHERE sequence = {actor_sequence}"
    )


def test_an_entry_inserted_at_the_end_is_reported(clinic: Clinic) -> None:
    raw(clinic, insert_statement(ENTRIES + 1))
    assert problems(clinic) == [(ENTRIES + 1, ProblemKind.INSERTED)]


def test_an_entry_inserted_in_the_middle_is_reported_even_after_renumbering(
    clinic: Clinic,
) -> None:
    # Make room at 5 as an attacker would: move 5.. up by one (from the top, for uniqueness).
    moves = [
        f"UPDATE audit_event SET sequence = {n + 1} WHERE sequence = {n}"
        for n in range(ENTRIES, 4, -1)
    ]
    raw(clinic, *moves, insert_statement(5))
    assert problems(clinic) == [(5, ProblemKind.INSERTED)]


def test_a_removed_checkpoint_is_reported_and_stays_reported(clinic: Clinic) -> None:
    raw(clinic, f"DELETE FROM setting WHERE key = '{HEAD_SETTING}'")
    assert problems(clinic) == [(ENTRIES, ProblemKind.CHECKPOINT)]
    # The verification above appended an entry, which rebuilt the checkpoint: it says so.
    found = clinic.verify_audit(user(clinic, "ward")).problems
    assert [(p.sequence, p.kind) for p in found] == [(ENTRIES + 1, ProblemKind.CHECKPOINT)]
    assert "rebuilt" in found[0].message


def test_the_hmac_key_comes_from_the_database_key_and_is_not_stored(clinic: Clinic) -> None:
    key = audit_key(TEST_KEY)
    assert key != TEST_KEY and len(key) == 32 and audit_key(TEST_KEY) == key
    data = b"".join(p.read_bytes() for p in clinic.data_dir.iterdir() if p.is_file())
    assert clinic.audit.key.hex().encode() not in data and clinic.audit.key not in data


def test_two_threads_appending_at_once_keep_one_valid_chain(clinic: Clinic) -> None:
    ward = user(clinic, "ward")
    errors: list[Exception] = []
    start = threading.Barrier(2)

    def append(kind: str) -> None:
        start.wait()
        try:
            for n in range(40):
                clinic.record_audit(ward.id, AuditAction.EDIT, detail={"kind": kind, "count": n})
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=append, args=(kind,)) for kind in ("ui", "writer")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with unit_of_work(clinic.database) as session:
        sequences = session.scalars(select(AuditEvent.sequence).order_by(AuditEvent.sequence))
        assert list(sequences) == list(range(1, ENTRIES + 81))
    assert clinic.verify_audit(ward).intact


def test_verifying_while_another_thread_appends_finds_no_false_problems(clinic: Clinic) -> None:
    ward = user(clinic, "ward")
    done = threading.Event()

    def append() -> None:
        while not done.is_set():
            clinic.record_audit(ward.id, AuditAction.EDIT, detail={"kind": "writer"})

    writer = threading.Thread(target=append)
    writer.start()
    reports = []
    try:
        for _ in range(8):
            reports.append(clinic.verify_audit(ward))
            time.sleep(0.01)  # let the writer in between checks
    finally:
        done.set()
        writer.join()
    assert all(r.intact for r in reports), [r.problems for r in reports if not r.intact]
    assert reports[-1].entries > reports[0].entries + 7  # the writer really wrote meanwhile


def test_only_administrators_read_or_verify_the_log(clinic: Clinic) -> None:
    bell = user(clinic, "bell")
    with pytest.raises(NotAnAdministratorError):
        clinic.verify_audit(bell)
    with pytest.raises(NotAnAdministratorError):
        clinic.audit_entries(bell, AuditFilter())


def test_entries_are_filtered_by_user_action_time_and_object(clinic: Clinic) -> None:
    ward = user(clinic, "ward")
    everything = clinic.audit_entries(ward, AuditFilter())
    assert [e.sequence for e in everything] == list(range(ENTRIES, 0, -1))
    by_bell = clinic.audit_entries(ward, AuditFilter(username="bell"))
    assert by_bell and {e.username for e in by_bell} == {"bell"}
    views = clinic.audit_entries(ward, AuditFilter(action=AuditAction.VIEW_PARTICIPANT))
    assert len(views) == ENTRIES // 2 and {e.action for e in views} == {"view_participant"}
    target = everything[2]
    assert target.object_id is not None
    assert [
        e.sequence for e in clinic.audit_entries(ward, AuditFilter(object_id=target.object_id[:8]))
    ] == [target.sequence]
    future = datetime.now(UTC) + timedelta(days=1)
    assert clinic.audit_entries(ward, AuditFilter(since=future)) == []
    assert len(clinic.audit_entries(ward, AuditFilter(until=future))) == ENTRIES


@pytest.mark.parametrize(
    "detail",
    [
        {"name": "Jane Doe"},  # free text
        {"kind": "Jane"},  # capitals: a name, not a kind
        {"note": "reports cravings"},
        {"Name": "x"},  # keys are snake_case names
        {"kind": "x" * 65},
        {"values": 1.5},
    ],
)
def test_details_that_could_hold_phi_are_refused_and_nothing_is_written(
    clinic: Clinic, detail: dict[str, Any]
) -> None:
    with pytest.raises(AuditDetailError) as refused:
        clinic.record_audit(None, AuditAction.EXPORT, detail=detail)
    assert "Jane" not in str(refused.value) and "cravings" not in str(refused.value)
    assert len(clinic.audit_entries(user(clinic, "ward"), AuditFilter())) == ENTRIES


def test_ids_counts_kinds_flags_and_paths_are_allowed() -> None:
    detail: dict[str, str | int | bool | None] = {
        "participant_id": str(uuid.uuid4()),
        "count": 3,
        "kind": "session_record",
        "signed": True,
        "day": "2026-11-23",
        "file_path": "/home/clinic/Exports/session 2026-11-23.pdf",
        "none": None,
    }
    assert check_detail(detail) == detail


def test_problem_messages_name_places_not_content(clinic: Clinic) -> None:
    raw(clinic, "DELETE FROM audit_event WHERE sequence = 2")
    found: list[AuditProblem] = list(clinic.verify_audit(user(clinic, "ward")).problems)
    assert found[0].message.startswith("entry 2 is missing")
