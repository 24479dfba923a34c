"""The manifest every exported PDF carries: which document, from which clinic, made when, and
the signed notes and addenda it shows (id and content hash), for `facilitator verify`.

It is JSON (ASCII, no PHI: ids, kinds, hashes and a time) in the PDF's document information
dictionary under /FacilitatorManifest, which an incremental update such as a PDF signature keeps.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from facilitator.documents.common import Provenance, SignedItem

MANIFEST_KEY = "/FacilitatorManifest"
FORMAT = "facilitator-manifest/1"


class ManifestError(ValueError):
    """The file is not a PDF, or carries no readable Facilitator manifest."""


@dataclass(frozen=True)
class Manifest:
    document_id: uuid.UUID
    kind: str
    clinic_id: str
    made_at: datetime
    signed: tuple[SignedItem, ...]


def manifest_json(provenance: Provenance, signed: Sequence[SignedItem]) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "document_id": str(provenance.document_id),
            "kind": provenance.kind.value,
            "clinic_id": provenance.clinic_id,
            "made_at": provenance.made_at.isoformat(timespec="seconds"),
            "signed": [
                {"kind": item.kind, "id": str(item.item_id), "content_hash": item.content_hash}
                for item in signed
            ],
        },
        ensure_ascii=True,
        separators=(",", ":"),
    )


def read_manifest(pdf: bytes) -> Manifest:
    """The manifest of a PDF made by Facilitator (signed or not); ManifestError otherwise."""
    # Imported here: pyHanko takes a quarter of a second to import, and exports never read.
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        info = _direct(reader.trailer_view.get("/Info"))
        raw = _direct(info.get(MANIFEST_KEY)) if info is not None else None
    except (PdfError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ManifestError(f"This file cannot be read as a PDF ({error}).") from error
    if raw is None:
        raise ManifestError("This PDF carries no Facilitator manifest: it was not made here.")
    try:
        return _parse(json.loads(str(raw)))
    except (ValueError, KeyError, TypeError) as error:
        raise ManifestError(f"This PDF's Facilitator manifest is damaged ({error}).") from error


def _direct(value: Any) -> Any:
    """The object itself where the PDF holds a reference to it."""
    return value.get_object() if hasattr(value, "get_object") else value


def _parse(data: dict[str, Any]) -> Manifest:
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown manifest format {data.get('format')!r}")
    return Manifest(
        document_id=uuid.UUID(data["document_id"]),
        kind=str(data["kind"]),
        clinic_id=str(data["clinic_id"]),
        made_at=datetime.fromisoformat(data["made_at"]),
        signed=tuple(
            SignedItem(str(item["kind"]), uuid.UUID(item["id"]), str(item["content_hash"]))
            for item in data["signed"]
        ),
    )
