"""`facilitator verify` and pyHanko on session records exported (and signed) by the app's
pipeline from a real demo clinic: valid, a changed byte, a forged note hash, another clinic's
certificate, no signature, not a PDF."""

from __future__ import annotations

import contextlib
import io
import shutil
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

from facilitator.app import Clinic, open_clinic
from facilitator.cli.main import main
from facilitator.documents.requests import SessionRecordRequest
from facilitator.domain.notes import NoteStatus
from facilitator.security.audit import AuditAction
from facilitator.security.certificates import (
    Signatory,
    SigningIdentity,
    certificate_der,
    issue_certificate,
    new_authority,
    new_key,
)
from facilitator.storage.models import AuditEvent, Block, GroupSession, ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document, render
from reports.manifest import MANIFEST_KEY, read_manifest
from reports.pdf_signature import pdf_signer, sign_pdf
from tests.users import signed_in


@dataclass(frozen=True)
class Exported:
    folder: Path
    signed: Path
    unsigned: bytes  # the same session record, laid out but not signed
    identity: SigningIdentity
    clinic_id: str
    signer: str  # the exporting clinician's display name


@dataclass(frozen=True)
class Verified:
    code: int
    out: str


@pytest.fixture(scope="module")
def exported(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Exported:
    folder = tmp_path_factory.mktemp("verify") / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    clinic = open_clinic(folder)
    try:
        user = signed_in(clinic.database, "mreyes")
        request = SessionRecordRequest(signed_session(clinic, user.id))
        identity = clinic.signing_identity(user, demo_clinic[1]["mreyes"])
        path = folder.parent / "session-record.pdf"
        result = export_document(clinic, user, request, path, signer=pdf_signer(identity))
        assert result.signed
        unsigned = render(clinic.load_document(request)).data
        clinic_id = clinic.certificates().clinic_id
        return Exported(folder, path, unsigned, identity, clinic_id, user.display_name)
    finally:
        clinic.close()


def signed_session(clinic: Clinic, author: uuid.UUID) -> uuid.UUID:
    """A past session of the demo whose notes `author` signed."""
    with unit_of_work(clinic.database) as session:
        return session.scalars(
            select(GroupSession.id)
            .join(Block, Block.session_id == GroupSession.id)
            .join(ParticipantNote, ParticipantNote.block_id == Block.id)
            .where(
                ParticipantNote.author_id == author,
                ParticipantNote.status == NoteStatus.SIGNED.value,
            )
            .order_by(GroupSession.day.desc())
            .limit(1)
        ).one()


def verify(exported: Exported, pdf: bytes | Path, name: str = "copy.pdf") -> Verified:
    path = pdf if isinstance(pdf, Path) else exported.folder.parent / name
    if isinstance(pdf, bytes):
        path.write_bytes(pdf)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(exported.folder), "verify", str(path)])
    return Verified(code, out.getvalue())


def replace_in_manifest(pdf: bytes, old: str, new: str) -> bytes:
    """`pdf` with `old` replaced by `new` (same length) inside the manifest only."""
    assert len(old) == len(new)
    start = pdf.index(MANIFEST_KEY.encode())
    end = pdf.index(b")", start)
    manifest = pdf[start:end]
    assert old.encode() in manifest
    return pdf[:start] + manifest.replace(old.encode(), new.encode()) + pdf[end:]


def test_pyhanko_validates_the_exported_signature(exported: Exported) -> None:
    signature = PdfFileReader(BytesIO(exported.signed.read_bytes())).embedded_signatures[0]
    authority = asn1_x509.Certificate.load(certificate_der(exported.identity.chain[0]))
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=[authority], allow_fetching=False)
    )
    assert (status.intact, status.valid, status.trusted, status.bottom_line) == (
        True,
        True,
        True,
        True,
    )
    assert status.signing_cert.subject.native["common_name"] == exported.signer


def test_a_valid_export_verifies(exported: Exported) -> None:
    result = verify(exported, exported.signed)
    manifest = read_manifest(exported.signed.read_bytes())

    assert result.code == 0, result.out
    assert f"Signature: valid. Signed by {exported.signer} with" in result.out
    assert result.out.count("matches the signed record") == len(manifest.signed) > 0
    assert "File: byte for byte the file this clinic exported." in result.out
    assert "Result: VALID" in result.out


def test_a_one_byte_change_is_reported_as_broken(exported: Exported) -> None:
    data = bytearray(exported.signed.read_bytes())
    at = data.index(b"/Producer")
    data[at + 1] = ord("p")
    result = verify(exported, bytes(data))

    assert result.code == 1
    assert "Signature: BROKEN" in result.out
    assert "File: ALTERED" in result.out
    assert "Result: NOT VALID: it was altered" in result.out


def test_a_change_the_signature_cannot_cover_is_found_by_the_files_hash(
    exported: Exported,
) -> None:
    data = exported.signed.read_bytes()
    start = data.index(b"/Contents <") + len(b"/Contents <")
    data_type = b"06092A864886F70D010701"  # the CMS lists its digest algorithms, unsigned
    digests = data.index(b"0609608648016503040201", start)
    assert digests < data.index(data_type, start)
    at = digests + len(b"06096086480165030402")
    result = verify(exported, data[:at] + b"09" + data[at + 2 :])

    assert result.code == 1
    assert "Signature: valid" in result.out  # PAdES leaves the signature's own bytes out
    assert "File: ALTERED: it is not byte for byte the file this clinic exported" in result.out
    assert "Result: NOT VALID" in result.out


def test_a_forged_note_hash_names_the_altered_note(exported: Exported) -> None:
    manifest = read_manifest(exported.unsigned)
    forged_item = manifest.signed[0]
    forged_hash = "0" * len(forged_item.content_hash)
    forged = replace_in_manifest(exported.unsigned, forged_item.content_hash, forged_hash)
    result = verify(exported, sign_pdf(forged, exported.identity))

    assert result.code == 1
    assert "Signature: valid" in result.out  # signed with a real key: only the records tell
    altered = [line for line in result.out.splitlines() if "ALTERED" in line]
    assert altered == [
        f"  {forged_item.kind} {forged_item.item_id}: ALTERED: its content differs from the "
        "signed record."
    ]
    assert result.out.count("matches the signed record") == len(manifest.signed) - 1


def test_another_clinics_document_cannot_be_checked_here(exported: Exported) -> None:
    other_clinic = str(uuid.uuid4())
    now = datetime.now(UTC)
    authority = new_authority(other_clinic, now)
    key = new_key()
    signatory = Signatory("Pat Doe", "LCSW", "pdoe", other_clinic)
    identity = SigningIdentity(
        key, issue_certificate(authority, key, signatory, now), (authority.certificate,)
    )
    theirs = replace_in_manifest(exported.unsigned, exported.clinic_id, other_clinic)
    result = verify(exported, sign_pdf(theirs, identity))

    assert result.code == 1
    assert f"certificate of another Facilitator clinic ({other_clinic})" in result.out
    assert "cannot check against this clinic's records" in result.out
    assert "matches" not in result.out
    assert "Result: CANNOT BE CONFIRMED here" in result.out


def test_an_unsigned_pdf_says_nothing_proves_it(exported: Exported) -> None:
    result = verify(exported, exported.unsigned)

    assert result.code == 1
    assert "Signature: NONE" in result.out
    assert "matches the signed record" in result.out  # the records still agree
    assert "File: CANNOT BE CONFIRMED: this clinic has no record of exporting" in result.out
    assert "Result: CANNOT BE CONFIRMED here" in result.out


def test_files_that_are_not_pdfs_are_usage_errors(exported: Exported) -> None:
    assert verify(exported, b"date,group\n2026-11-20,Morning\n", "sheet.pdf").code == 2
    assert verify(exported, exported.folder.parent / "missing.pdf").code == 2


def test_each_verification_is_audited_without_an_actor(exported: Exported) -> None:
    verify(exported, exported.signed)
    clinic = open_clinic(exported.folder)
    try:
        with unit_of_work(clinic.database) as session:
            event = session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == AuditAction.VERIFY.value)
                .order_by(AuditEvent.sequence.desc())
                .limit(1)
            ).one()
    finally:
        clinic.close()
    assert (event.clinician_id, event.outcome) == (None, "success")
    assert event.object_id == str(read_manifest(exported.signed.read_bytes()).document_id)
    assert event.detail["signature"] == "valid"
