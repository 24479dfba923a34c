"""PAdES signatures made and checked with pyHanko, on small reportlab PDFs and fresh keys."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.generic import TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.fields import SigSeedSubFilter
from reportlab.pdfgen import canvas

from facilitator.security.certificates import (
    Authority,
    Signatory,
    SigningIdentity,
    SigningKeyLockedError,
    certificate_der,
    clinic_id_of,
    decrypt_key,
    encrypt_key,
    issue_certificate,
    new_authority,
    new_key,
    password_protection,
    password_secret,
)
from reports.pdf_signature import REASON, SignatureState, check_pdf_signature, sign_pdf

NOW = datetime.now(UTC)
MARKER = b"Session record for the morning group"


def small_pdf() -> bytes:
    buffer = BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    page.drawString(72, 720, MARKER.decode())
    page.showPage()
    page.save()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def authority() -> Authority:
    return new_authority("clinic-a", NOW)


@pytest.fixture(scope="module")
def identity(authority: Authority) -> SigningIdentity:
    key = new_key()
    signatory = Signatory("Maria Reyes", "LPC, LCADC", "mreyes", "clinic-a")
    certificate = issue_certificate(authority, key, signatory, NOW)
    return SigningIdentity(key, certificate, (authority.certificate,))


@pytest.fixture(scope="module")
def signed(identity: SigningIdentity) -> bytes:
    return sign_pdf(small_pdf(), identity)


def test_certificate_names_the_clinician_and_the_clinic(identity: SigningIdentity) -> None:
    subject = identity.certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Maria Reyes"
    assert subject.get_attributes_for_oid(NameOID.TITLE)[0].value == "LPC, LCADC"
    assert subject.get_attributes_for_oid(NameOID.USER_ID)[0].value == "mreyes"
    assert clinic_id_of(identity.certificate) == "clinic-a"
    assert identity.certificate.issuer == identity.chain[0].subject


def test_signature_is_pades_with_reason_name_and_chain(signed: bytes) -> None:
    signature = PdfFileReader(BytesIO(signed)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == SigSeedSubFilter.PADES.value
    assert signature.sig_object["/Reason"] == REASON
    assert signature.sig_object["/Name"] == "Maria Reyes"
    embedded = {cert.subject.human_friendly for cert in signature.other_embedded_certs}
    assert any("certificate authority" in name for name in embedded)


def test_signed_pdf_validates_against_the_clinic_authority(
    signed: bytes, authority: Authority
) -> None:
    check = check_pdf_signature(signed, [authority.certificate])
    assert check.state is SignatureState.VALID
    assert check.signer_name == "Maria Reyes"
    assert check.clinic_id == "clinic-a"


def test_a_one_byte_change_is_detected(signed: bytes, authority: Authority) -> None:
    at = signed.index(MARKER)
    altered = signed[:at] + b"X" + signed[at + 1 :]
    check = check_pdf_signature(altered, [authority.certificate])
    assert check.state is SignatureState.ALTERED
    assert check.problem == "the signed bytes changed"


def test_content_added_after_signing_is_detected(signed: bytes, authority: Authority) -> None:
    writer = IncrementalPdfFileWriter(BytesIO(signed))
    writer.root["/Lang"] = TextStringObject("en-US")
    writer.update_root()
    output = BytesIO()
    writer.write(output)
    check = check_pdf_signature(output.getvalue(), [authority.certificate])
    assert check.state is SignatureState.ALTERED
    assert "after it was signed" in (check.problem or "")


def test_another_clinics_authority_is_not_trusted(signed: bytes) -> None:
    other = new_authority("clinic-b", NOW)
    check = check_pdf_signature(signed, [other.certificate])
    assert check.state is SignatureState.UNTRUSTED
    assert check.clinic_id == "clinic-a"


def test_unsigned_and_unreadable_files(authority: Authority) -> None:
    assert check_pdf_signature(small_pdf(), [authority.certificate]).state is (
        SignatureState.UNSIGNED
    )
    assert check_pdf_signature(b"not a pdf", [authority.certificate]).state is (
        SignatureState.UNREADABLE
    )


def test_key_opens_only_with_its_password() -> None:
    key = new_key()
    protection = password_protection()
    encrypted = encrypt_key(key, password_secret("correct horse battery", protection))
    assert b"PRIVATE KEY" not in encrypted
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    assert raw not in encrypted
    opened = decrypt_key(encrypted, password_secret("correct horse battery", protection))
    assert opened.private_numbers() == key.private_numbers()
    with pytest.raises(SigningKeyLockedError):
        decrypt_key(encrypted, password_secret("wrong horse battery", protection))


def contents_hex(pdf: bytes) -> tuple[int, int]:
    """Where the hex of the signature's /Contents starts and ends in `pdf`."""
    start = pdf.index(b"/Contents <") + len(b"/Contents <")
    return start, pdf.index(b">", start)


def test_a_change_to_the_signatures_zero_padding_is_detected(
    signed: bytes, authority: Authority
) -> None:
    start, end = contents_hex(signed)
    padding = end - len(signed[start:end].rstrip(b"0")) - start
    assert padding > 1000  # the space reserved beyond the signature itself
    altered = signed[: end - 10] + b"7" + signed[end - 9 :]
    check = check_pdf_signature(altered, [authority.certificate])
    assert check.state is SignatureState.ALTERED
    assert "signature's own bytes" in (check.problem or "")


def test_a_change_to_the_embedded_copy_of_the_authority_is_detected(
    signed: bytes, authority: Authority
) -> None:
    start, end = contents_hex(signed)
    copy = certificate_der(authority.certificate).hex().upper().encode()
    at = signed.index(copy, start, end) + len(copy) // 2  # inside its public key
    swapped = b"1" if signed[at : at + 1] != b"1" else b"2"
    altered = signed[:at] + swapped + signed[at + 1 :]
    check = check_pdf_signature(altered, [authority.certificate])
    assert check.state is SignatureState.ALTERED


def test_a_changed_content_type_in_the_signature_is_altered_not_an_error(
    signed: bytes, authority: Authority
) -> None:
    start, end = contents_hex(signed)
    data_type = b"06092A864886F70D010701"  # id-data, the signed content's type
    at = signed.index(data_type, start, end)
    altered = signed[:at] + b"06090A" + signed[at + 6 :]  # pyHanko raised AttributeError
    assert check_pdf_signature(altered, [authority.certificate]).state is SignatureState.ALTERED
