"""`facilitator export note|chart|session|sign-in|attendance|discharge ... --out FILE.pdf`,
and `facilitator export services --from D --to D --out FILE.csv` (billing)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import uuid
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from facilitator.app import Clinic
from facilitator.cli.login import PASSWORD_VARIABLE
from facilitator.documents.requests import (
    AttendanceReportRequest,
    ChartRequest,
    DischargeSummaryRequest,
    DocumentRequest,
    NoteRequest,
    SessionRecordRequest,
    SignInSheetRequest,
)
from facilitator.domain.errors import DomainError
from facilitator.domain.users import SignedInUser
from reports.export import Signer, export_document
from reports.pdf_signature import pdf_signer

HELP = (
    "export a document as a PDF: a participant's note, chart or discharge summary, a session "
    "record, a sign-in sheet or an attendance report. PDFs showing signed notes or a signed "
    "discharge summary are signed with your key. Or export the billable services of a period "
    "as CSV (supervisors and administrators)."
)
SERVICES_HELP = (
    "the billable services of a period as CSV: one row per participant per billable service "
    "(see docs/billing-export.md); supervisors and administrators"
)
DAY = {"type": date.fromisoformat, "metavar": "YYYY-MM-DD"}


def add_parser(commands: Any) -> None:
    export = commands.add_parser("export", help=HELP, description=HELP)
    kinds = export.add_subparsers(dest="document", metavar="DOCUMENT", required=True)
    out = argparse.ArgumentParser(add_help=False)
    out.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="FILE.pdf",
        help="where to write the PDF (never inside the data folder, never over a device or "
        "folder; an existing file only with --force)",
    )
    out.add_argument("--force", action="store_true", help="replace FILE.pdf if it exists")
    note = kinds.add_parser("note", parents=[out], help="one participant's note for one block")
    note.add_argument("--note", type=uuid.UUID, required=True, metavar="ID", help="the note id")
    chart = kinds.add_parser("chart", parents=[out], help="one participant's notes over a period")
    chart.add_argument("--participant", required=True, metavar="CHART_NUMBER")
    chart.add_argument("--from", dest="first", help="first day (default: admission)", **DAY)
    chart.add_argument("--to", dest="last", help="last day (default: today)", **DAY)
    chart.add_argument(
        "--include-unsigned",
        action="store_true",
        help="also print draft notes, marked DRAFT (default: signed notes only)",
    )
    for name, what in (("session", "the session record"), ("sign-in", "the sign-in sheet")):
        day = kinds.add_parser(name, parents=[out], help=f"{what} of a group's day")
        day.add_argument("--group", required=True, metavar="NAME_OR_ID")
        day.add_argument("--date", dest="day", required=True, **DAY)
    attendance = kinds.add_parser(
        "attendance", parents=[out], help="hours per participant per week, days under 3 hours"
    )
    attendance.add_argument("--from", dest="first", required=True, **DAY)
    attendance.add_argument("--to", dest="last", required=True, **DAY)
    attendance.add_argument("--group", metavar="NAME_OR_ID", help="one group (default: all)")
    services = kinds.add_parser("services", help=SERVICES_HELP, description=SERVICES_HELP)
    services.add_argument("--from", dest="first", required=True, **DAY)
    services.add_argument("--to", dest="last", required=True, **DAY)
    services.add_argument(
        "--out", type=Path, required=True, metavar="FILE.csv", help="where to write the CSV"
    )
    services.add_argument("--group", metavar="NAME_OR_ID", help="one group (default: all)")
    services.add_argument(
        "--force", action="store_true", help="replace FILE.csv when it already exists"
    )
    discharge = kinds.add_parser(
        "discharge", parents=[out], help="a participant's discharge summary and transition plan"
    )
    discharge.add_argument("--participant", required=True, metavar="CHART_NUMBER")
    discharge.add_argument(
        "--discharged",
        dest="day",
        help="the day of the discharge, for someone discharged more than once (default: the "
        "latest)",
        **DAY,
    )


def run(clinic: Clinic, user: SignedInUser, args: argparse.Namespace, out: TextIO) -> int:
    """Export the document the arguments name; DomainError (exit 2) when it cannot be."""
    if args.document == "services":
        return _services(clinic, user, args, out)
    result = export_document(
        clinic,
        user,
        request_for(clinic, args, user),
        args.out,
        signer=_signer(clinic, user),
        force=args.force,
    )
    signed = ", signed with your key" if result.signed else ""
    print(
        f"Exported {result.kind.heading.lower()} ({result.pages} "
        f"page{'' if result.pages == 1 else 's'}{signed}) to "
        f"{result.path}; document id {result.document_id}.",
        file=out,
    )
    return 0


def _services(clinic: Clinic, user: SignedInUser, args: argparse.Namespace, out: TextIO) -> int:
    if args.last < args.first:
        raise DomainError(f"--to {args.last} is before --from {args.first}.")
    group = clinic.documents.group_id(args.group) if args.group else None
    result = clinic.service_export.export(
        user, args.first, args.last, args.out, group, replace=args.force
    )
    print(
        f"Exported {result.rows} billable service{'' if result.rows == 1 else 's'} "
        f"({args.first} to {args.last}) to {result.path}; SHA-256 {result.sha256}.",
        file=out,
    )
    return 0


def request_for(clinic: Clinic, args: argparse.Namespace, user: SignedInUser) -> DocumentRequest:
    """The document the arguments name; a group's day not yet made is made from its schedule."""
    documents = clinic.documents
    if args.document == "note":
        return NoteRequest(args.note)
    if args.document == "chart":
        return ChartRequest(
            documents.participant_id(args.participant),
            args.first,
            args.last,
            args.include_unsigned,
        )
    if args.document == "session":
        return SessionRecordRequest(
            documents.session_id(args.group, args.day, user.id if user else None)
        )
    if args.document == "sign-in":
        return SignInSheetRequest(
            documents.session_id(args.group, args.day, user.id if user else None)
        )
    if args.document == "attendance":
        group = documents.group_id(args.group) if args.group else None
        if args.last < args.first:
            raise DomainError(f"--to {args.last} is before --from {args.first}.")
        return AttendanceReportRequest(args.first, args.last, group)
    if args.document == "discharge":
        participant_id = documents.participant_id(args.participant)
        return DischargeSummaryRequest(
            clinic.discharges.find(participant_id, args.day).discharge_id
        )
    raise AssertionError(f"unknown document {args.document}")


def _signer(clinic: Clinic, user: SignedInUser) -> Signer:
    """Signs with the user's key, asking for the password only when a PDF needs signing."""

    def sign(pdf: bytes) -> bytes:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None:
            if not sys.stdin.isatty():
                raise DomainError(
                    f"This PDF shows signed records and is signed with your key: set "
                    f"{PASSWORD_VARIABLE} or run the command in a terminal."
                )
            password = getpass.getpass(f"Password for {user.username}, to sign the PDF: ")
        return pdf_signer(clinic.signing_identity(user, password))(pdf)

    return sign
