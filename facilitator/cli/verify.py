"""`facilitator verify FILE.pdf`: is this exported document intact, and does it match the records?

Three checks, reported separately and in plain words:
1. The PDF signature: intact (no byte changed since signing), made with a certificate this
   clinic's authority issued to one of its clinicians, and by whom.
2. The manifest: each signed note and addendum the document shows, by id and content hash,
   against the signed record in this clinic's database.
   Each note's stored record must still hash to its signature, and the signature covers the
   service as signed (times, attendance, topic, group note ...): a correction made since the
   export adds a signed addendum the document does not show, so the record CHANGED SINCE
   THIS EXPORT, naming the note.
3. The file: byte for byte the one this clinic exported (the SHA-256 its export entry in the
   audit log recorded), which also covers the bytes a PDF signature leaves out. A document
   id this clinic never recorded exporting cannot be confirmed, whoever signed it.
4. The receipts kept outside the database (facilitator.security.export_receipts): the
   export's own receipt, earlier exports' receipts and the ledger of signed records, which
   someone holding only the database key cannot rewrite to match a changed record.

The result says VALID, NOT CURRENT (intact, but the record changed since), NOT VALID
(something was altered) or CANNOT BE CONFIRMED (nothing here can vouch for it: unsigned,
another clinic's, never exported here, records not found).

No login is needed: nothing here prints PHI (ids, hashes, and the signer's name, which the
document prints anyway), and the database key is needed all the same. Each run is written to
the audit log (no actor).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
import uuid
from enum import IntEnum
from pathlib import Path
from typing import TextIO

from facilitator.app import Clinic
from facilitator.security.audit import AuditAction
from facilitator.security.certificates import certificate_der
from facilitator.security.signing_keys import ClinicCertificates
from facilitator.services.record_check import RecordCheck, RecordState
from facilitator.visible_text import visible
from reports.manifest import Manifest, ManifestError, read_manifest
from reports.pdf_signature import SignatureCheck, SignatureState, check_pdf_signature

EXIT_VALID = 0
EXIT_NOT_VALID = 1
EXIT_USAGE = 2
FINAL_KINDS = ("note", "addendum")  # their signed content can never change
MAX_PDF_BYTES = 100 * 10**6
"""Larger files are refused unread: parsing one could take gigabytes of memory, and a
chart of a year of daily notes is a few megabytes."""
HELP = (
    "check an exported PDF: its digital signature (unchanged since signing, made by a "
    "clinician of this clinic) and each signed note's content hash against this clinic's "
    "records. Prints no PHI; needs no login. Exits 0 when everything checks out, 1 when "
    "something was altered, the record changed since the export, or it cannot be confirmed "
    "here (unsigned, another clinic's, never exported here), 2 when the file cannot be read "
    "(not a PDF, damaged, or over 100 MB)."
)


class Finding(IntEnum):
    """What one check found, from best to worst; the result is the worst of them."""

    CONFIRMED = 0
    CHANGED = 1  # intact, but the record changed since the export (corrections, addenda)
    UNCONFIRMED = 2  # nothing here can vouch for it
    ALTERED = 3


RESULTS = {
    Finding.CONFIRMED: "Result: VALID: the document is intact and matches this clinic's "
    "signed records.",
    Finding.CHANGED: "Result: NOT CURRENT: the document is intact, but the record changed "
    "since it was exported (see above which note); export it again for the current record.",
    Finding.UNCONFIRMED: "Result: CANNOT BE CONFIRMED here: see above for why.",
    Finding.ALTERED: "Result: NOT VALID: it was altered; see above for what.",
}


def run(clinic: Clinic, path: Path, out: TextIO) -> int:
    """Check the PDF at `path` against `clinic`, print the findings, return the exit code."""
    shown = visible(str(path))
    try:
        pdf = _read_pdf(path)
    except OSError as error:
        print(f"Cannot read {shown}: {error.strerror or error}.", file=out)
        return EXIT_USAGE
    except ValueError as error:
        print(f"{shown} {error}; nothing was checked.", file=out)
        return EXIT_USAGE
    certificates = clinic.certificates()
    signature = check_pdf_signature(pdf, certificates.authorities, certificates.clinicians)
    if signature.state is SignatureState.UNREADABLE:
        print(f"{shown} is not a PDF, or is too damaged to read; nothing was checked.", file=out)
        return EXIT_USAGE
    print(f"Checking {shown}", file=out)
    findings = [_report_signature(signature, certificates, out)]
    try:
        manifest: Manifest | None = read_manifest(pdf)
    except ManifestError as error:
        manifest = None
        findings.append(Finding.UNCONFIRMED)
        print(
            f"Records: {visible(str(error))} Its notes cannot be checked against the records.",
            file=out,
        )
    checks = list[RecordCheck]()
    if manifest is not None:
        found, checks = _report_records(clinic, manifest, certificates.clinic_id, out)
        findings.append(found)
        if manifest.clinic_id == certificates.clinic_id:
            findings.append(_report_file(clinic, manifest, pdf, out))
            findings.append(_report_receipts(clinic, manifest, pdf, checks, out))
    worst = max(findings)
    valid = worst is Finding.CONFIRMED
    print(RESULTS[worst], file=out)
    clinic.record_audit(
        None,
        AuditAction.VERIFY,
        object_type="document",
        object_id=str(manifest.document_id) if manifest else None,
        outcome="success" if valid else "failure",
        detail={
            "path": visible(str(path.resolve()))[:1024],
            "signature": signature.state.value,
            "items": len(checks),
            "items_matching": sum(c.state is RecordState.MATCHES for c in checks),
        },
    )
    return EXIT_VALID if valid else EXIT_NOT_VALID


def _read_pdf(path: Path) -> bytes:
    """The file's bytes; ValueError when it is not a regular file or is too large to check."""
    with path.open("rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise ValueError("is not a regular file (a device, a pipe or a folder)")
        data = file.read(MAX_PDF_BYTES + 1)
    if len(data) > MAX_PDF_BYTES:
        raise ValueError(
            f"is larger than any document Facilitator exports (at most "
            f"{MAX_PDF_BYTES // 10**6} MB are checked)"
        )
    return data


def _report_signature(
    check: SignatureCheck, certificates: ClinicCertificates, out: TextIO
) -> Finding:
    signer = visible(check.signer_name or "an unnamed signer")  # a file's text: no escape codes
    if check.state is SignatureState.UNSIGNED:
        print(
            "Signature: NONE. This PDF carries no digital signature, so nothing proves who "
            "made it or that it is unchanged (documents without signed notes are exported "
            "unsigned).",
            file=out,
        )
        return Finding.UNCONFIRMED
    if check.state is SignatureState.ALTERED:
        print(
            f"Signature: BROKEN. The file was changed after {signer} signed it "
            f"({visible(check.problem or 'unreadable signature')}). Do not rely on its "
            "content; export it again.",
            file=out,
        )
        return Finding.ALTERED
    if check.state is SignatureState.UNTRUSTED:
        if check.clinic_id is not None and check.clinic_id != certificates.clinic_id:
            print(
                f"Signature: intact, by {signer}, with a certificate of another Facilitator "
                f"clinic ({visible(check.clinic_id)}). It cannot be checked against this clinic's "
                "records: ask that clinic to verify it.",
                file=out,
            )
        else:
            print(
                f"Signature: NOT TRUSTED. It is intact, but the certificate naming {signer} "
                "was not issued by this clinic's authority.",
                file=out,
            )
        return Finding.UNCONFIRMED
    issued = check.signer_certificate is not None and certificate_der(check.signer_certificate) in {
        certificate_der(c) for c in certificates.clinicians
    }
    if not issued:
        print(
            f"Signature: NOT TRUSTED. It chains to this clinic's authority, but the "
            f"certificate naming {signer} is not one the clinic issued to a clinician.",
            file=out,
        )
        return Finding.UNCONFIRMED
    print(
        f"Signature: valid. Signed by {signer} with the certificate this clinic issued to "
        f"them; the file is unchanged since. Signed at {check.signed_at} by the signer's "
        "computer clock (no trusted timestamp).",
        file=out,
    )
    return Finding.CONFIRMED


def _report_records(
    clinic: Clinic, manifest: Manifest, clinic_id: str, out: TextIO
) -> tuple[Finding, list[RecordCheck]]:
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
        return Finding.UNCONFIRMED, []
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
    worst = max((_finding(c, kinds[c.record_id]) for c in checks), default=Finding.CONFIRMED)
    return max(worst, _report_changes(clinic, manifest, out)), checks


def _report_changes(clinic: Clinic, manifest: Manifest, out: TextIO) -> Finding:
    """Whether a note the document shows got signed addenda or corrections it does not show."""
    notes = [item.item_id for item in manifest.signed if item.kind == "note"]
    shown = [item.item_id for item in manifest.signed if item.kind == "addendum"]
    later = clinic.later_addenda(notes, shown)
    for note_id, count in sorted(later.items(), key=lambda pair: str(pair[0])):
        print(
            f"  note {note_id}: CHANGED SINCE THIS EXPORT: {_count(count, 'signed addendum')} "
            "(corrections of its service or attendance included) added after this document "
            "was made, not shown in it.",
            file=out,
        )
    return Finding.CHANGED if later else Finding.CONFIRMED


def _finding(check: RecordCheck, claimed_kind: str) -> Finding:
    if check.state is RecordState.UNKNOWN:
        return Finding.UNCONFIRMED
    if check.state is RecordState.MATCHES and check.kind == claimed_kind:
        return Finding.CONFIRMED
    return Finding.ALTERED


def _report_file(clinic: Clinic, manifest: Manifest, pdf: bytes, out: TextIO) -> Finding:
    """Whether the file is byte for byte the one this clinic's export wrote."""
    recorded = clinic.exported_file_hash(manifest.document_id)
    if recorded is None:
        print(
            f"File: CANNOT BE CONFIRMED: this clinic has no record of exporting document "
            f"{manifest.document_id} (no export of it in the audit log), so nothing here vouches "
            "that it is a document the clinic issued, whoever signed it. Export it again from "
            "the app.",
            file=out,
        )
        return Finding.UNCONFIRMED
    if hmac.compare_digest(recorded, hashlib.sha256(pdf).hexdigest()):
        print("File: byte for byte the file this clinic exported.", file=out)
        return Finding.CONFIRMED
    print(
        "File: ALTERED: it is not byte for byte the file this clinic exported (the SHA-256 "
        "its export recorded differs).",
        file=out,
    )
    return Finding.ALTERED


def _report_receipts(
    clinic: Clinic, manifest: Manifest, pdf: bytes, checks: list[RecordCheck], out: TextIO
) -> Finding:
    """The document's export receipt, and whether a record it shows changed since any
    earlier export (facilitator.security.export_receipts): what the database key alone
    cannot rewrite."""
    receipts = clinic.export_receipts()
    if receipts is None:
        print("Receipts: none are kept here (no system keyring), so not checked.", file=out)
        return Finding.CONFIRMED
    shown = {item.item_id.hex: item for item in manifest.signed}
    own = receipts.find(manifest.document_id)
    finding = Finding.CONFIRMED
    if own is None:
        print(
            "Receipts: this export left no receipt here (made by an earlier version, on "
            "another computer, or outside the app).",
            file=out,
        )
        if clinic.exported_file_hash(manifest.document_id) is not None:
            finding = Finding.UNCONFIRMED  # the database says it was exported here
    elif not own.authentic:
        print("Receipts: ALTERED: the export's receipt was not written by this clinic.", file=out)
        return Finding.ALTERED
    elif own.sha256 != hashlib.sha256(pdf).hexdigest() or own.items != {
        str(i.item_id): i.content_hash for i in manifest.signed
    }:
        print("Receipts: ALTERED: the file or its notes differ from its receipt.", file=out)
        return Finding.ALTERED
    ledger = receipts.ledger()
    if ledger.state == "forged":
        print(
            "Receipts: ALTERED: the ledger of signed records was not written by this clinic.",
            file=out,
        )
        finding = Finding.ALTERED
    elif ledger.state == "cut":
        print(
            "Receipts: the ledger of signed records was removed or replaced by an older copy "
            "(a data folder put back from a file copy does this too), so records cannot be "
            "checked against it.",
            file=out,
        )
        finding = max(finding, Finding.UNCONFIRMED)
    matching = {c.record_id for c in checks if c.state is RecordState.MATCHES}
    # A summary exported while awaiting co-signature may be returned and signed anew; notes
    # and addenda never change once signed. The ledger holds only what can never change.
    final = {c.record_id for c in checks if c.record_id in matching and c.kind in FINAL_KINDS}
    recorded = [(i, h) for r in receipts.naming(final) for i, h in r.items.items() if i in final]
    recorded += [(i, ledger.items[i]) for i in matching if i in ledger.items]
    changed = sorted(
        {
            record_id
            for record_id, content_hash in recorded
            if record_id in matching
            and content_hash != shown[uuid.UUID(record_id).hex].content_hash
        }
    )
    for record_id in changed:
        print(
            f"  {record_id}: ALTERED AFTER SIGNING: the records now hold other signed content "
            "than the receipts kept outside the database recorded.",
            file=out,
        )
    if changed:
        return Finding.ALTERED
    if own is not None and finding is Finding.CONFIRMED:
        print("Receipts: the export's receipt matches, and no earlier one differs.", file=out)
    return finding


def _line(check: RecordCheck, claimed_kind: str) -> str:
    name = f"{claimed_kind} {check.record_id}"
    if check.kind is not None and check.kind != claimed_kind:
        return f"{name}: ALTERED: this id belongs to a {check.kind} in the records."
    return {
        RecordState.MATCHES: f"{name}: matches the signed record.",
        RecordState.DIFFERS: f"{name}: ALTERED: its content differs from the signed record.",
        RecordState.UNSIGNED: f"{name}: ALTERED: shown as signed, but unsigned in the records.",
        RecordState.UNKNOWN: f"{name}: NOT FOUND in this clinic's records.",
        RecordState.BROKEN: f"{name}: ALTERED: the record in this database no longer matches "
        "its own signature (its stored content or service context was changed).",
    }[check.state]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
