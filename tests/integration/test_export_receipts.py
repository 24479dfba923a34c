"""Export receipts bound what a database-key holder can do unseen: a signed note changed in the
database (trigger dropped, content hash rewritten) and exported again verifies NOT VALID."""

from __future__ import annotations

import contextlib
import io
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select, text

from facilitator.app import open_clinic
from facilitator.cli.main import main
from facilitator.documents.requests import DischargeSummaryRequest, SessionRecordRequest
from facilitator.domain.discharge import DischargeReason, TransitionPlan
from facilitator.domain.notes import content_hash
from facilitator.security.export_receipts import LEDGER_FILENAME
from facilitator.security.key_info import read_key_info
from facilitator.security.key_store import SERVICE
from facilitator.services.notes_content import canonical_note_content
from facilitator.storage.models import ParticipantNote, Signature
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document
from reports.manifest import read_manifest
from reports.pdf_signature import pdf_signer
from tests.conftest import MEMORY_KEYRING
from tests.integration.discharges import PASSWORD, clinic_with_one_password, discharged
from tests.integration.test_verify import signed_session
from tests.users import signed_in


def export_session(folder: Path, password: str, out: Path) -> None:
    clinic = open_clinic(folder)
    try:
        user = signed_in(clinic.database, "mreyes")
        request = SessionRecordRequest(signed_session(clinic, user.id))
        identity = clinic.signing_identity(user, password)
        export_document(clinic, user, request, out, signer=pdf_signer(identity))
    finally:
        clinic.close()


def rewrite_signed_note(folder: Path, note_id: uuid.UUID) -> None:
    """What a database-key holder can do: drop the lock triggers, edit a signed note's text
    and hash it again the app's own way, so its stored hash and signatures agree with it."""
    clinic = open_clinic(folder)  # the database key, not the keyring's receipt key
    try:
        with clinic.database.engine.begin() as connection:
            triggers = connection.execute(
                text("SELECT name FROM sqlite_master WHERE type='trigger'")
            ).scalars()
            for name in list(triggers):
                connection.execute(text(f'DROP TRIGGER "{name}"'))
        with unit_of_work(clinic.database) as session:
            note = session.get_one(ParticipantNote, note_id)
            note.fields = {**note.fields, "plan": "Rewritten after signing."}
            note.content_hash = content_hash(canonical_note_content(note))
            for signature in session.scalars(select(Signature).where(Signature.note_id == note_id)):
                signature.content_hash = note.content_hash
    finally:
        clinic.close()


def verify(folder: Path, pdf: Path) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(folder), "verify", str(pdf)])
    return code, out.getvalue()


def test_a_note_rewritten_by_a_key_holder_is_caught_by_an_earlier_receipt(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    first = tmp_path / "first.pdf"
    export_session(folder, demo_clinic[1]["mreyes"], first)
    manifest = read_manifest(first.read_bytes())
    assert (folder / "receipts" / f"{manifest.document_id}.json").stat().st_mode & 0o077 == 0
    code, out = verify(folder, first)
    assert code == 0, out
    assert "Receipts: the export's receipt matches" in out

    target = next(item for item in manifest.signed if item.kind == "note")
    (folder / "receipts" / LEDGER_FILENAME).unlink()  # the export's receipt alone must tell
    rewrite_signed_note(folder, target.item_id)
    second = tmp_path / "second.pdf"
    export_session(folder, demo_clinic[1]["mreyes"], second)
    code, out = verify(folder, second)

    assert code == 1
    assert "Signature: valid" in out  # signed with a real key, matching the rewritten records
    assert f"{target.item_id}: ALTERED AFTER SIGNING" in out
    assert "Result: NOT VALID" in out


def test_a_note_never_exported_and_rewritten_is_caught_by_the_ledger(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    assert (folder / "receipts" / LEDGER_FILENAME).exists()  # sealed when the demo closed
    clinic = open_clinic(folder)
    try:
        user = signed_in(clinic.database, "mreyes")
        session_id = signed_session(clinic, user.id)
        document = clinic.load_document(SessionRecordRequest(session_id))
    finally:
        clinic.close()
    target = next(item for item in document.signed_items() if item.kind == "note")
    rewrite_signed_note(folder, target.item_id)
    pdf = tmp_path / "after.pdf"
    export_session(folder, demo_clinic[1]["mreyes"], pdf)
    code, out = verify(folder, pdf)

    assert code == 1
    assert "Signature: valid" in out
    assert f"{target.item_id}: ALTERED AFTER SIGNING" in out
    assert "Result: NOT VALID" in out


def test_a_forged_receipt_is_reported(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    pdf = tmp_path / "export.pdf"
    export_session(folder, demo_clinic[1]["mreyes"], pdf)
    receipt = folder / "receipts" / f"{read_manifest(pdf.read_bytes()).document_id}.json"
    receipt.write_text(receipt.read_text().replace('"mac": "', '"mac": "0'))
    code, out = verify(folder, pdf)
    assert code == 1
    assert "Receipts: ALTERED: the export's receipt was not written" in out


def test_a_removed_ledger_is_reported(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    open_clinic(folder).close()  # sealed here: the keyring knows how many records it holds
    (folder / "receipts" / LEDGER_FILENAME).unlink()
    pdf = tmp_path / "export.pdf"
    export_session(folder, demo_clinic[1]["mreyes"], pdf)  # closing does not launder it
    assert not (folder / "receipts" / LEDGER_FILENAME).exists()
    code, out = verify(folder, pdf)
    assert code == 1
    assert "the ledger of signed records was removed or replaced by an older copy" in out
    assert "Result: CANNOT BE CONFIRMED" in out


def test_receipts_of_a_lost_receipt_key_are_set_aside_not_reported_as_forged(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "clinic"
    open_clinic(folder).close()  # sealed: an empty ledger under this clinic's receipt key
    assert (folder / "receipts" / LEDGER_FILENAME).exists()
    info = read_key_info(folder)
    assert info is not None
    MEMORY_KEYRING.passwords.pop((SERVICE, f"{info.database_id}:receipts"))  # a new computer
    clinic = open_clinic(folder)
    try:
        receipts = clinic.export_receipts()
        assert receipts is not None and receipts.ledger().state == "missing"
    finally:
        clinic.close()
    assert [p.name.startswith("receipts-unverifiable-") for p in folder.glob("receipts-*")] == [
        True
    ]


def test_a_summary_returned_and_signed_anew_is_not_reported_altered(
    demo_clinic_folder: Path, tmp_path: Path
) -> None:
    """A summary exported while awaiting co-signature, then returned, changed and signed
    again, keeps its id with a new hash: that is the workflow, not tampering."""
    folder = tmp_path / "clinic"
    with clinic_with_one_password(demo_clinic_folder, folder) as clinic:
        associate = signed_in(clinic.database, "sokafor")
        supervisor = signed_in(clinic.database, "jlee")
        _, discharge_id = discharged(clinic, 2, "sokafor")
        clinic.discharges.sign(associate, PASSWORD, discharge_id)
        request = DischargeSummaryRequest(discharge_id)
        export_document(clinic, associate, request, tmp_path / "awaiting.pdf")
        clinic.discharges.return_to_author(supervisor, discharge_id, "Name the follow-up.")
        plan = TransitionPlan(next_level_of_care="Standard outpatient", follow_up="Riverside")
        clinic.discharges.update(associate, discharge_id, DischargeReason.COMPLETED, plan)
        clinic.discharges.sign(associate, PASSWORD, discharge_id)
        clinic.discharges.cosign(supervisor, PASSWORD, [discharge_id])
        export_document(clinic, associate, request, tmp_path / "final.pdf")
    open_clinic(folder).close()  # sealed with the final summary
    code, out = verify(folder, tmp_path / "final.pdf")
    assert code == 1 and "Signature: NONE" in out  # exported unsigned: no key in this test
    assert "matches the signed record" in out
    assert "ALTERED" not in out, out
    assert "Receipts: the export's receipt matches, and no earlier one differs." in out


def test_audit_verify_names_a_signed_note_rewritten_by_a_key_holder(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    monkeypatch.setenv("FACILITATOR_USER", "admin")
    monkeypatch.setenv("FACILITATOR_PASSWORD", demo_clinic[1]["admin"])

    def audit_verify() -> tuple[int, str]:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main(["--data-dir", str(folder), "audit", "verify"])
        return code, out.getvalue()

    code, out = audit_verify()
    assert code == 0, out
    assert "match the receipts kept outside the database" in out
    clinic = open_clinic(folder)
    try:
        with unit_of_work(clinic.database) as session:
            note_id = session.scalars(
                select(ParticipantNote.id).where(ParticipantNote.status == "signed").limit(1)
            ).one()
    finally:
        clinic.close()
    rewrite_signed_note(folder, note_id)
    code, out = audit_verify()
    assert code == 1
    assert f"{note_id}: ALTERED AFTER SIGNING" in out
