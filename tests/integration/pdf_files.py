"""Small hand-made PDFs for tests of verify's parsing: a catalog, no pages, and an information
dictionary whose /FacilitatorManifest entry is any bytes the test gives."""

from __future__ import annotations


def pdf_with_manifest(manifest: bytes) -> bytes:
    """A well-formed PDF (cross-reference table and all) carrying `manifest` as written."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /FacilitatorManifest " + manifest + b" >>",
    ]
    pdf = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R /Info 3 0 R >>\n" % (len(objects) + 1)
    return pdf + b"startxref\n%d\n%%%%EOF\n" % table
