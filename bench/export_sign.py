"""Export and sign a session record through the app's pipeline, beside the floor.

    python -m bench.export_sign --data-dir DIR [--repeat 20]

Run it on a clinic made by `python -m bench.generate_history` (census 15, three blocks a
day): it picks the past session with the most signed notes (3 blocks x 15 participants) and its
lead, gives the lead a PDF signing key (made on first use under a benchmark password), then
measures, in the same run and alternating so that both see the same machine:

  pipeline   reports.export.export_document: load the records, lay out the session record
             (shared page layout, Part 2 notice, signature blocks, manifest), sign (PAdES,
             pyHanko) with the lead's unlocked key, write atomically, audit the export
  floor      the same content (loaded once, outside the timing) laid out directly with
             reportlab platypus, one table per block, in the same embedded font (DejaVu Sans)
             with wrapping cells, signed with pyHanko (the same room reserved for the
             signature), written out
  unlock     making the signer once per export: the password stretched (Argon2id) and the
             key decrypted; the app adds it to each signed export, the floor has no such step

The ratio pipeline / floor is the figure with a target (at most 1.5x). The benchmark adds a
signing key and EXPORT audit entries to the clinic: run it on a generated clinic, never on
real records.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable, Sequence
from importlib.resources import as_file, files
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from pyhanko.keys.internal import (
    translate_pyca_cryptography_cert_to_asn1,
    translate_pyca_cryptography_key_to_asn1,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from sqlalchemy import func, select

from bench.timing import HEADER, Result, timed
from facilitator import content
from facilitator.app import Clinic, open_clinic
from facilitator.cli.passphrase import terminal_passphrase
from facilitator.documents.requests import SessionRecordRequest
from facilitator.documents.session import SessionRecordDocument
from facilitator.domain.notes import NoteStatus
from facilitator.domain.users import Role, SignedInUser
from facilitator.security.certificates import SigningIdentity
from facilitator.security.database_key import default_key_store
from facilitator.security.signing_keys import unlock_signing_key
from facilitator.storage.models import Block, Clinician, GroupSession, ParticipantNote
from facilitator.storage.unit_of_work import unit_of_work
from reports.export import export_document, render
from reports.pdf_signature import REASON, SIGNATURE_BYTES, pdf_signer, sign_pdf

BENCH_PASSWORD = "benchmark signing password"  # a generated clinic's clinicians have none
TARGET_RATIO = 1.5
FLOOR_FONT = "FloorSans"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = Path(args.data_dir).expanduser().resolve()
    clinic = open_clinic(data_dir, default_key_store(data_dir, terminal_passphrase(data_dir)))
    try:
        session_id, user = _busiest_signed_session(clinic)
        request = SessionRecordRequest(session_id)
        document = clinic.load_document(request)
        assert isinstance(document, SessionRecordDocument)
        blocks = len(document.blocks)
        people = max(len(block.attendance) for block in document.blocks)
        print(
            f"Session record of {document.group} on {document.day}: {blocks} blocks x "
            f"{people} participants, {len(document.signed_notes)} signed notes; signer "
            f"{user.username}; {args.repeat} samples each, alternating."
        )
        identity = _identity(clinic, user)
        _register_floor_font()
        with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
            out = Path(folder)
            pipeline: list[tuple[float, float]] = []
            floor: list[tuple[float, float]] = []
            for index in range(args.repeat + 1):  # the first round warms caches: dropped
                took_pipeline = timed(
                    lambda: export_document(
                        clinic, user, request, out / "pipeline.pdf", signer=pdf_signer(identity)
                    )
                )
                took_floor = timed(lambda: _floor(document, identity, out / "floor.pdf"))
                if index:
                    pipeline.append(took_pipeline)
                    floor.append(took_floor)
            sizes = (out / "pipeline.pdf").stat().st_size, (out / "floor.pdf").stat().st_size
        unlock = _samples(lambda: _identity(clinic, user), args.repeat)
        rendered = render(document).data
        stages = [
            ("  of which: load the records", lambda: clinic.load_document(request)),
            ("  of which: lay out (session_record)", lambda: render(document)),
            ("  of which: sign (PAdES, pyHanko)", lambda: sign_pdf(rendered, identity)),
        ]
        stage_results = [_result(name, _samples(action, args.repeat)) for name, action in stages]
    finally:
        clinic.close()
    results = [
        _result("export + sign, app pipeline", pipeline, f"{sizes[0] // 1024} KiB"),
        *stage_results,
        _result("floor: reportlab direct + pyHanko", floor, f"{sizes[1] // 1024} KiB"),
        _result("unlock the signing key (once per export)", unlock),
    ]
    print(HEADER)
    for result in results:
        print(result.line())
    ratio = results[0].median / results[-2].median
    cpu_ratio = statistics.median(results[0].cpu) / statistics.median(results[-2].cpu)
    verdict = "PASS" if ratio <= TARGET_RATIO else "MISS"
    print(
        f"ratio pipeline / floor (medians): {ratio:.2f}x, target <= {TARGET_RATIO}x  {verdict}"
        f"\n  the same on CPU time: {cpu_ratio:.2f}x (the pipeline's file is also flushed to "
        "the disk, which takes wall-clock time, not CPU time)"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.export_sign", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--data-dir", required=True, metavar="DIR")
    parser.add_argument("--repeat", type=int, default=20, help="samples per measurement")
    return parser


def _busiest_signed_session(clinic: Clinic) -> tuple[uuid.UUID, SignedInUser]:
    """The session with the most signed notes by one author, and that author."""
    with unit_of_work(clinic.database) as session:
        signed = func.count(ParticipantNote.id)
        row = session.execute(
            select(GroupSession.id, ParticipantNote.author_id)
            .join(Block, Block.session_id == GroupSession.id)
            .join(ParticipantNote, ParticipantNote.block_id == Block.id)
            .where(ParticipantNote.status != NoteStatus.DRAFT.value)
            .group_by(GroupSession.id, ParticipantNote.author_id)
            .order_by(signed.desc(), GroupSession.day.desc())
            .limit(1)
        ).one()
        author = session.get_one(Clinician, row.author_id)
        user = SignedInUser(
            author.id,
            author.username,
            author.display_name,
            author.credentials,
            Role(author.role),
            author.needs_cosignature,
        )
        return row.id, user


def _identity(clinic: Clinic, user: SignedInUser) -> SigningIdentity:
    with unit_of_work(clinic.database) as session:
        return unlock_signing_key(session, clinic.database.key, user, BENCH_PASSWORD, clinic.audit)


def _floor(document: SessionRecordDocument, identity: SigningIdentity, path: Path) -> None:
    """The same content in plain platypus tables, set in the same embedded font with wrapping
    cells (as names and notes need), signed with pyHanko, written to `path`."""
    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontName=FLOOR_FONT, fontSize=8)
    cell = ParagraphStyle("cell", parent=body, fontSize=7, leading=8.5)
    title = ParagraphStyle("title", parent=body, fontSize=14, leading=18)

    def text(value: str, style: ParagraphStyle = cell) -> Paragraph:
        return Paragraph(escape(value), style)

    story: list[object] = [
        text(f"Session record: {document.group}, {document.day}, room {document.room}", title)
    ]
    for block in document.blocks:
        story.append(
            text(
                f"Block {block.sequence}: {block.modality}, {block.topic}, "
                f"{block.planned_start}-{block.planned_end}; {block.facilitators}",
                title,
            )
        )
        story.append(text(f"{block.interventions}. {block.group_note}", body))
        rows = [
            [text(h) for h in ("Participant", "Chart", "Attendance", "Min", "Note", "Signatures")]
        ]
        for line in block.attendance:
            signatures = "; ".join(
                f"{s.role}: {s.printed_name}, {s.credentials}, {s.signed_at:%Y-%m-%d %H:%M} "
                f"{s.time_zone}; SHA-256 {s.content_hash}"
                for s in line.signatures
            )
            values = (line.name, line.chart_number, line.attendance, str(line.minutes), line.note)
            rows.append([*(text(value) for value in values), text(signatures)])
        table = Table(rows, colWidths=[100, 70, 90, 30, 70, 330], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))
        story.append(table)
    totals = [
        [text(t.name), text(t.chart_number), text(str(t.minutes))] for t in document.day_totals
    ]
    story.append(Table([[text("Participant"), text("Chart"), text("Minutes")], *totals]))
    story.append(text(content.part2_notice()))
    buffer = BytesIO()
    SimpleDocTemplate(buffer, pagesize=landscape(letter)).build(story)
    path.write_bytes(_pyhanko_sign(buffer.getvalue(), identity))


def _register_floor_font() -> None:
    with as_file(files("resources") / "fonts" / "DejaVuSans.ttf") as font:
        pdfmetrics.registerFont(TTFont(FLOOR_FONT, str(font)))


def _pyhanko_sign(pdf: bytes, identity: SigningIdentity) -> bytes:
    registry = SimpleCertificateStore()  # type: ignore[no-untyped-call]
    for certificate in identity.chain:
        registry.register(translate_pyca_cryptography_cert_to_asn1(certificate))
    signer = signers.SimpleSigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(identity.certificate),
        signing_key=translate_pyca_cryptography_key_to_asn1(identity.private_key),
        cert_registry=registry,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name="Signature", subfilter=fields.SigSeedSubFilter.PADES, reason=REASON
    )
    output = signers.PdfSigner(metadata, signer=signer).sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)), bytes_reserved=SIGNATURE_BYTES, in_place=False
    )
    return bytes(output.getbuffer())


def _samples(action: Callable[[], object], repeat: int) -> list[tuple[float, float]]:
    return [timed(action) for _ in range(repeat)]


def _result(name: str, samples: Sequence[tuple[float, float]], note: str = "") -> Result:
    """A line from (wall, CPU) samples."""
    return Result(name, [wall for wall, _ in samples], note=note, cpu=[cpu for _, cpu in samples])


if __name__ == "__main__":
    sys.exit(main())
