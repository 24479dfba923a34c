"""PAdES signatures on exported PDFs (pyHanko): sign with a clinician's key, and check one.

Signing makes a PAdES-B-B signature (ETSI.CAdES.detached, SHA-256) that embeds the signer's
certificate and the clinic authority's, so any PAdES validator can check it offline.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from io import BytesIO

from cryptography import x509
from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from facilitator.security.certificates import (
    SigningIdentity,
    certificate_der,
    clinic_id_of,
    common_name,
)

SIGNATURE_FIELD = "FacilitatorSignature"
REASON = "Signed export of clinical documentation"
# Room for the CMS signature (EC P-256 and two certificates take about 1.5 KB): reserving it
# spares pyHanko a trial signature to measure it, a third of the signing time.
SIGNATURE_BYTES = 8192

PdfSigner = Callable[[bytes], bytes]

# pyHanko logs a traceback for every certificate it cannot chain; the result says it plainly.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


class SignatureState(StrEnum):
    """What the check of a PDF's signature found, from best to worst."""

    VALID = "valid"  # intact, covers the whole file, certificate chains to a trusted authority
    UNTRUSTED = "untrusted"  # intact, but its certificate is not one the caller trusts
    ALTERED = "altered"  # the signed bytes changed, or content was added after signing
    UNSIGNED = "unsigned"  # no signature at all
    UNREADABLE = "unreadable"  # not a PDF, or a PDF too damaged to read


@dataclass(frozen=True)
class SignatureCheck:
    """The result of checking a PDF's signature, with what a person needs to hear about it."""

    state: SignatureState
    signer_name: str | None = None
    signer_certificate: x509.Certificate | None = None
    clinic_id: str | None = None  # the clinic named by the signer's certificate, if ours
    signed_at: str | None = None  # the signer's claimed time (no trusted timestamp in B-B)
    problem: str | None = None


def sign_pdf(pdf: bytes, identity: SigningIdentity) -> bytes:
    """`pdf` with a PAdES-B-B signature by `identity` covering the whole file."""
    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    for certificate in identity.chain:
        registry.register(translate_pyca_cryptography_cert_to_asn1(certificate))
    signer = signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(identity.certificate),
        signing_key=translate_pyca_cryptography_key_to_asn1(identity.private_key),
        cert_registry=registry,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=REASON,
        name=identity.signer_name,
    )
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    output = signers.PdfSigner(metadata, signer=signer).sign_pdf(
        writer, bytes_reserved=SIGNATURE_BYTES, in_place=False
    )
    return bytes(output.getbuffer())


def pdf_signer(identity: SigningIdentity) -> PdfSigner:
    """The export pipeline's signer hook: signs each PDF it is given as `identity`."""

    def sign(pdf: bytes) -> bytes:
        return sign_pdf(pdf, identity)

    return sign


def check_pdf_signature(
    pdf: bytes,
    trust_roots: Iterable[x509.Certificate],
    known_certificates: Iterable[x509.Certificate] = (),
) -> SignatureCheck:
    """Check the (last) signature of `pdf` against `trust_roots`, offline.

    `known_certificates` are further certificates that may complete a chain (a clinician's
    certificate is embedded in the PDF anyway). Nothing here raises for a bad file: the result
    says what was found.
    """
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        embedded = reader.embedded_signatures
    except Exception as error:  # a file made to break the parser raises almost anything
        return SignatureCheck(SignatureState.UNREADABLE, problem=type(error).__name__)
    if not embedded:
        return SignatureCheck(SignatureState.UNSIGNED)
    signature = embedded[-1]
    roots, others = tuple(trust_roots), tuple(known_certificates)
    context = ValidationContext(
        trust_roots=[translate_pyca_cryptography_cert_to_asn1(c) for c in roots],
        other_certs=[translate_pyca_cryptography_cert_to_asn1(c) for c in others],
        allow_fetching=False,
        revocation_mode="soft-fail",
    )
    try:
        status = validate_pdf_signature(signature, signer_validation_context=context)
    except Exception as error:  # pyHanko raises almost any error on a damaged signature
        return SignatureCheck(SignatureState.ALTERED, problem=str(error))
    try:
        return _judged(pdf, signature, status, roots, others)
    except Exception as error:  # a signature dictionary or certificate made to break this
        return SignatureCheck(SignatureState.ALTERED, problem=type(error).__name__)


def _judged(
    pdf: bytes,
    signature: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
    roots: tuple[x509.Certificate, ...],
    others: tuple[x509.Certificate, ...],
) -> SignatureCheck:
    """What a validated signature's `status` says about `pdf`."""
    certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
    found = SignatureCheck(
        SignatureState.VALID,
        signer_name=common_name(certificate),
        signer_certificate=certificate,
        clinic_id=clinic_id_of(certificate),
        signed_at=status.signer_reported_dt.isoformat() if status.signer_reported_dt else None,
    )
    if not (status.intact and status.valid):
        return replace(found, state=SignatureState.ALTERED, problem="the signed bytes changed")
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        added = "content was added to the file after it was signed"
        return replace(found, state=SignatureState.ALTERED, problem=added)
    if not status.trusted:
        indication = status.trust_problem_indic
        return replace(
            found, state=SignatureState.UNTRUSTED, problem=str(indication) if indication else None
        )
    known = {certificate_der(c) for c in (*roots, *others, certificate)}
    if not _container_untouched(pdf, signature, known):
        changed = "the signature's own bytes, which the signature cannot cover, were changed"
        return replace(found, state=SignatureState.ALTERED, problem=changed)
    return found


def _container_untouched(pdf: bytes, signature: EmbeddedPdfSignature, known: set[bytes]) -> bool:
    """Whether the one stretch of the file a PDF signature leaves out, its /Contents, holds
    exactly what signing wrote there: the signature (hex, one case) then zero padding, with no
    certificate in it but those `known` (DER).

    Those bytes are outside the signed range by design, so a change to the padding or to an
    embedded certificate copy leaves the signature itself valid; a file changed there is
    still not the file that was exported.
    """
    _, gap_start, gap_end, _ = (int(n) for n in signature.sig_object["/ByteRange"])
    stored = pdf[gap_start:gap_end]
    contents = bytes(signature.sig_object["/Contents"])
    cms = contents[: _der_length(contents)]
    padding = "0" * (len(stored) - 2 - 2 * len(cms))
    written = {f"<{cms.hex().upper()}{padding}>", f"<{cms.hex()}{padding}>"}
    embedded = signature.signed_data["certificates"] or []
    return stored.decode("latin-1") in written and all(c.chosen.dump() in known for c in embedded)


def _der_length(data: bytes) -> int:
    """The length of the DER element `data` starts with, its tag and length included."""
    size = data[1]
    if size < 0x80:
        return 2 + size
    count = size & 0x7F
    return 2 + count + int.from_bytes(data[2 : 2 + count], "big")
