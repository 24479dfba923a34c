"""`facilitator audit verify|list`: check the audit chain, or list entries (administrators)."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime, time
from typing import TextIO

from facilitator.app import Clinic
from facilitator.domain.users import SignedInUser
from facilitator.security.audit import AuditAction
from facilitator.security.export_receipts import LedgerCheck
from facilitator.services.audit_log import AuditFilter

EXIT_PROBLEMS = 1
HELP = "check the audit log's chain, or list its entries (administrators only)"


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = commands.add_parser("audit", help=HELP)
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="AUDIT_COMMAND")
    audit_commands.required = True
    audit_commands.add_parser(
        "verify",
        help="check every entry's HMAC chain and the checkpoint; print each problem where it "
        "is; exit 0 when intact, 1 when problems were found",
    )
    listing = audit_commands.add_parser("list", help="print entries, newest first")
    listing.add_argument(
        "--since", type=date.fromisoformat, metavar="YYYY-MM-DD", help="from this day (UTC)"
    )
    listing.add_argument("--user", metavar="USERNAME", help="only this clinician's entries")
    listing.add_argument(
        "--action",
        type=AuditAction,
        choices=list(AuditAction),
        metavar="ACTION",
        help=f"only this action: {', '.join(AuditAction)}",
    )
    listing.add_argument("--limit", type=int, default=200, help="at most this many (200)")


def run(clinic: Clinic, user: SignedInUser, args: argparse.Namespace, out: TextIO) -> int:
    if args.audit_command == "verify":
        return verify(clinic, user, out)
    since = datetime.combine(args.since, time(), UTC) if args.since else None
    audit_filter = AuditFilter(
        since=since, username=args.user, action=args.action, limit=args.limit
    )
    for row in clinic.audit_entries(user, audit_filter):
        print(
            f"{row.sequence:>7}  {row.occurred_at:%Y-%m-%d %H:%M:%S}Z  "
            f"{row.username or '-':<12} {row.action:<17} {row.outcome:<8} "
            f"{row.object_type or '-'} {row.object_id or ''} {row.detail}".rstrip(),
            file=out,
        )
    return 0


def verify(clinic: Clinic, user: SignedInUser, out: TextIO) -> int:
    """The audit chain, then the signed records against the receipts kept outside the
    database (which the database key alone cannot rewrite)."""
    report = clinic.verify_audit(user)
    if report.intact:
        print(f"The audit log is intact: {report.entries} entries checked.", file=out)
    else:
        print(
            f"The audit log was tampered with: {len(report.problems)} problem(s) "
            f"in {report.entries} entries.",
            file=out,
        )
        for problem in report.problems:
            print(f"  at {problem.sequence}: {problem.kind}: {problem.message}", file=out)
    records = _report_signed_records(clinic.check_signed_records(), out)
    return 0 if report.intact and records else EXIT_PROBLEMS


def _report_signed_records(check: LedgerCheck | None, out: TextIO) -> bool:
    if check is None:
        print("Signed records: no receipts are kept here (no system keyring).", file=out)
        return True
    if check.state == "forged":
        print("Signed records: the receipts' ledger was not written by this clinic.", file=out)
        return False
    if check.state == "cut":
        print(
            "Signed records: the receipts' ledger was removed or replaced by an older copy.",
            file=out,
        )
    for record_id in check.changed:
        print(f"  {record_id}: ALTERED AFTER SIGNING: its content hash changed.", file=out)
    for record_id in check.gone:
        print(f"  {record_id}: REMOVED: signed, but no longer in the records.", file=out)
    if check.intact:
        print(
            f"Signed records: {check.sealed} match the receipts kept outside the database.",
            file=out,
        )
    return check.intact
