"""`facilitator verify FILE.pdf`: is this exported document intact, and does it match the records?

Two checks, reported separately and in plain words:
1. The PDF signature: intact (no byte changed since signing), made with a certificate this
   clinic's authority issued to one of its clinicians, and by whom.
2. The manifest: each signed note and addendum the document shows, by id and content hash,
   against the signed record in this clinic's database.

No login is needed: nothing here prints PHI (ids, hashes, and the signer's name, which the
document prints anyway), and the database key is needed all the same. Each run is written to
the audit log (no actor).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from facilitator.app import Clinic
from facilitator.security.audit import AuditAction
from facilitator.security.certificates import certificate_der
from facilitator.security.signing_keys import ClinicCertificates
from facilitator.services.record_check import RecordCheck, RecordState
from reports.manifest import Manifest, ManifestError, read_manifest
from reports.pdf_signature import SignatureCheck, SignatureState, check_pdf_signature

EXIT_VALID = 0
EXIT_NOT_VALID = 1
EXIT_USAGE = 2
HELP = (
    "check an exported PDF: its digital signature (unchanged since signing, made by a "
    "clinician of this clinic) and each signed note's content hash against this clinic's "
    "records. Prints no PHI; needs no login. Exits 0 when everything checks out, 1 when "
    "something was altered or cannot be confirmed here (unsigned, another clinic's), 2 when "
    "the file cannot be read."
)


def run(clinic: Clinic, path: Path, out: TextIO) -> int:
    """Check the PDF at `path` against `clinic`, print the findings, return the exit code."""
    try:
        pdf = path.read_bytes()
    except OSError as error:
        print(f"Cannot read {path}: {error.strerror or error}.", file=out)
        return EXIT_USAGE
    certificates = clinic.certificates()
    signature = check_pdf_signature(pdf, certificates.authorities, certificates.clinicians)
    if signature.state is SignatureState.UNREADABLE:
        print(f"{path} is not a PDF, or is too damaged to read; nothing was checked.", file=out)
        return EXIT_USAGE
    print(f"Checking {path}", file=out)
    signature_ok = _report_signature(signature, certificates, out)
    try:
        manifest: Manifest | None = read_manifest(pdf)
    except ManifestError as error:
        manifest = None
        print(f"Records: {error} Its notes cannot be checked against the records.", file=out)
    records_ok, checks = False, list[RecordCheck]()
    if manifest is not None:
        records_ok, checks = _report_records(clinic, manifest, certificates.clinic_id, out)
    valid = signature_ok and records_ok
    print(
        "Result: VALID: the document is intact and matches this clinic's signed records."
        if valid
        else "Result: NOT VALID: see above for what was altered or cannot be confirmed.",
        file=out,
    )
    clinic.record_audit(
        None,
        AuditAction.VERIFY,
        object_type="document",
        object_id=str(manifest.document_id) if manifest else None,
        outcome="success" if valid else "failure",
        detail={
            "path": str(path.resolve()),
            "signature": signature.state.value,
            "items": len(checks),
            "items_matching": sum(c.state is RecordState.MATCHES for c in checks),
        },
    )
    return EXIT_VALID if valid else EXIT_NOT_VALID


def _report_signature(check: SignatureCheck, certificates: ClinicCertificates, out: TextIO) -> bool:
    signer = check.signer_name or "an unnamed signer"
    if check.state is SignatureState.UNSIGNED:
        print(
            "Signature: NONE. This PDF carries no digital signature, so nothing proves who "
            "made it or that it is unchanged (documents without signed notes are exported "
            "unsigned).",
            file=out,
        )
        return False
    if check.state is SignatureState.ALTERED:
        print(
            f"Signature: BROKEN. The file was changed after {signer} signed it "
            f"({check.problem}). Do not rely on its content; export it again.",
            file=out,
        )
        return False
    if check.state is SignatureState.UNTRUSTED:
        if check.clinic_id is not None and check.clinic_id != certificates.clinic_id:
            print(
                f"Signature: intact, by {signer}, with a certificate of another Facilitator "
                f"clinic ({check.clinic_id}). It cannot be checked against this clinic's "
                "records: ask that clinic to verify it.",
                file=out,
            )
        else:
            print(
                f"Signature: NOT TRUSTED. It is intact, but the certificate naming {signer} "
                "was not issued by this clinic's authority.",
                file=out,
            )
        return False
    issued = check.signer_certificate is not None and certificate_der(check.signer_certificate) in {
        certificate_der(c) for c in certificates.clinicians
    }
    if not issued:
        print(
            f"Signature: NOT TRUSTED. It chains to this clinic's authority, but the "
            f"certificate naming {signer} is not one the clinic issued to a clinician.",
            file=out,
        )
        return False
    print(
        f"Signature: valid. Signed by {signer} with the certificate this clinic issued to "
        f"them; the file is unchanged since. Signed at {check.signed_at} by the signer's "
        "computer clock (no trusted timestamp).",
        file=out,
    )
    return True


def _report_records(
    clinic: Clinic, manifest: Manifest, clinic_id: str, out: TextIO
) -> tuple[bool, list[RecordCheck]]:
    print(
        f"Document: {manifest.kind.replace('_', ' ')} {manifest.document_id}, made "
        f"{manifest.made_at.isoformat(timespec='minutes')}.",
        file=out,
    )
    if manifest.clinic_id != clinic_id:
        print(
            f"Records: made by another clinic ({manifest.clinic_id}); cannot check against this "
            "clinic's records.",
            file=out,
        )
        return False, []
    claimed = [(str(item.item_id), item.content_hash) for item in manifest.signed]
    checks = clinic.check_records(claimed)
    kinds = {str(item.item_id): item.kind for item in manifest.signed}
    for check in checks:
        print(f"  {_line(check, kinds[check.record_id])}", file=out)
    print(
        f"Records: {_count(len(checks), 'signed item')} checked. Drafts shown in a document "
        "carry no hash and cannot be checked.",
        file=out,
    )
    ok = all(c.state is RecordState.MATCHES and c.kind == kinds[c.record_id] for c in checks)
    return ok, checks


def _line(check: RecordCheck, claimed_kind: str) -> str:
    name = f"{claimed_kind} {check.record_id}"
    if check.kind is not None and check.kind != claimed_kind:
        return f"{name}: ALTERED: this id belongs to a {check.kind} in the records."
    return {
        RecordState.MATCHES: f"{name}: matches the signed record.",
        RecordState.DIFFERS: f"{name}: ALTERED: its content differs from the signed record.",
        RecordState.UNSIGNED: f"{name}: ALTERED: shown as signed, but unsigned in the records.",
        RecordState.UNKNOWN: f"{name}: NOT FOUND in this clinic's records.",
    }[check.state]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
