"""The discharge summary through the export pipeline: a signed summary carries a PAdES signature
that pyHanko validates and `facilitator verify` accepts; one changed byte breaks it; a draft is
exported unsigned."""

from __future__ import annotations

import contextlib
import io
import shutil
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from sqlalchemy import select

from facilitator.app import open_clinic
from facilitator.cli.main import main
from facilitator.documents.common import DocumentNotFoundError
from facilitator.documents.requests import DischargeSummaryRequest
from facilitator.security.audit import AuditAction
from facilitator.security.certificates import SigningIdentity, certificate_der
from facilitator.storage.models import AuditEvent, Discharge
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document
from reports.manifest import read_manifest
from reports.pdf_signature import pdf_signer
from tests.users import signed_in


@dataclass(frozen=True)
class Exported:
    folder: Path
    signed: Path
    draft: Path
    draft_signed: bool
    identity: SigningIdentity
    discharge_id: uuid.UUID
    content_hash: str
    audit: tuple[str, str, dict[str, object]]  # action, object type, detail of the export


@pytest.fixture(scope="module")
def exported(
    demo_clinic: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> Exported:
    folder = tmp_path_factory.mktemp("discharge-export") / "clinic"
    shutil.copytree(demo_clinic[0], folder)
    clinic = open_clinic(folder)
    try:
        user = signed_in(clinic.database, "mreyes")
        with unit_of_work(clinic.database) as session:
            signed = session.scalars(select(Discharge).where(Discharge.status == "signed")).one()
            signed_id, content_hash = signed.id, signed.content_hash or ""
            draft_id = session.scalars(
                select(Discharge.id).where(Discharge.status == "draft")
            ).first()
        assert draft_id is not None
        identity = clinic.signing_identity(user, demo_clinic[1]["mreyes"])
        signer = pdf_signer(identity)
        path = folder.parent / "discharge-summary.pdf"
        result = export_document(clinic, user, DischargeSummaryRequest(signed_id), path, signer)
        draft = folder.parent / "draft-summary.pdf"
        draft_result = export_document(
            clinic, user, DischargeSummaryRequest(draft_id), draft, signer
        )
        with unit_of_work(clinic.database) as session:
            event = session.scalars(
                select(AuditEvent)
                .where(AuditEvent.object_id == str(signed_id))
                .order_by(AuditEvent.sequence.desc())
                .limit(1)
            ).one()
            audit = (event.action, event.object_type or "", dict(event.detail))
        assert result.signed
        return Exported(
            folder, path, draft, draft_result.signed, identity, signed_id, content_hash, audit
        )
    finally:
        clinic.close()


def verify(exported: Exported, pdf: bytes | Path) -> tuple[int, str]:
    path = pdf if isinstance(pdf, Path) else exported.folder.parent / "copy.pdf"
    if isinstance(pdf, bytes):
        path.write_bytes(pdf)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--data-dir", str(exported.folder), "verify", str(path)])
    return code, out.getvalue()


def test_pyhanko_validates_the_signed_summary(exported: Exported) -> None:
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
    assert status.signing_cert.subject.native["common_name"] == "Morgan Reyes"


def test_verify_accepts_the_signed_summary(exported: Exported) -> None:
    code, out = verify(exported, exported.signed)
    manifest = read_manifest(exported.signed.read_bytes())

    assert code == 0, out
    assert manifest.kind == "discharge_summary"
    assert [(s.kind, s.item_id, s.content_hash) for s in manifest.signed] == [
        ("discharge_summary", exported.discharge_id, exported.content_hash)
    ]
    assert f"discharge_summary {exported.discharge_id}: matches the signed record." in out
    assert "Result: VALID" in out


def test_a_one_byte_change_breaks_the_signature(exported: Exported) -> None:
    data = bytearray(exported.signed.read_bytes())
    at = data.index(b"/Producer")
    data[at + 1] = ord("p")
    code, out = verify(exported, bytes(data))

    assert code == 1
    assert "Signature: BROKEN" in out
    assert "Result: NOT VALID" in out


def test_a_draft_summary_is_exported_unsigned(exported: Exported) -> None:
    assert not exported.draft_signed
    assert not PdfFileReader(BytesIO(exported.draft.read_bytes())).embedded_signatures
    code, out = verify(exported, exported.draft)
    assert code == 1 and "Signature: NONE" in out


def test_the_export_is_audited_with_its_kind_and_signature(exported: Exported) -> None:
    action, object_type, detail = exported.audit
    assert (action, object_type) == (AuditAction.EXPORT.value, "discharge")
    assert detail["kind"] == "discharge_summary" and detail["signed"] is True
    assert detail["path"] == str(exported.signed)


def test_the_password_is_asked_only_for_a_signed_summary(exported: Exported) -> None:
    clinic = open_clinic(exported.folder)
    try:
        with unit_of_work(clinic.database) as session:
            draft_id = session.scalars(
                select(Discharge.id).where(Discharge.status == "draft")
            ).first()
        assert draft_id is not None
        assert clinic.documents.shows_signed_notes(DischargeSummaryRequest(exported.discharge_id))
        assert not clinic.documents.shows_signed_notes(DischargeSummaryRequest(draft_id))
    finally:
        clinic.close()


def test_a_missing_discharge_is_not_found(exported: Exported) -> None:
    clinic = open_clinic(exported.folder)
    try:
        with pytest.raises(DocumentNotFoundError, match="no longer in the records"):
            clinic.load_document(DischargeSummaryRequest(uuid.uuid4()))
    finally:
        clinic.close()
