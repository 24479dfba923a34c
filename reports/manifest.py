"""The manifest every exported PDF carries: which document, from which clinic, made when, and
the signed notes and addenda it shows (id and content hash), for `facilitator verify`.

It is JSON (ASCII, no PHI: ids, kinds, hashes and a time) in the PDF's document information
dictionary under /FacilitatorManifest, which an incremental update such as a PDF signature keeps.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from typing import Any

from facilitator.documents.common import Provenance, SignedItem

MANIFEST_KEY = "/FacilitatorManifest"
_KIND = re.compile("[a-z][a-z_]{0,39}")
_HASH = re.compile("[0-9a-f]{64}")
FORMAT = "facilitator-manifest/1"


DAMAGED = (
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    RecursionError,  # nesting deeper than any real file: a hostile one
    OverflowError,
)
"""What a parser raises on a file made to break it, besides its own error."""


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
        raw = _direct(info.get(MANIFEST_KEY)) if hasattr(info, "get") else None
    except (PdfError, *DAMAGED) as error:
        raise ManifestError(f"This file cannot be read as a PDF ({_reason(error)}).") from error
    if raw is None:
        raise ManifestError("This PDF carries no Facilitator manifest: it was not made here.")
    try:
        return _parse(json.loads(str(raw)))
    except DAMAGED as error:
        reason = _reason(error)
        raise ManifestError(f"This PDF's Facilitator manifest is damaged ({reason}).") from error


def _direct(value: Any) -> Any:
    """The object itself where the PDF holds a reference to it."""
    return value.get_object() if hasattr(value, "get_object") else value


def _reason(error: Exception) -> str:
    if isinstance(error, RecursionError):
        return "it is nested far deeper than any real document"
    return str(error)[:200] or type(error).__name__


def _parse(data: Any) -> Manifest:
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else "a single value"
        raise ValueError(f"{found} where a table of fields belongs")
    if data.get("format") != FORMAT:
        raise ValueError(f"unknown manifest format {data.get('format')!r}")
    made_at = datetime.fromisoformat(data["made_at"])
    if made_at.tzinfo is None:
        raise ValueError("its time has no time zone")
    return Manifest(
        document_id=uuid.UUID(data["document_id"]),
        kind=_token(data["kind"], _KIND, "kind"),
        clinic_id=str(uuid.UUID(data["clinic_id"])),
        made_at=made_at,
        signed=tuple(
            SignedItem(
                _token(item["kind"], _KIND, "kind"),
                uuid.UUID(item["id"]),
                _token(item["content_hash"], _HASH, "content hash"),
            )
            for item in data["signed"]
        ),
    )


def _token(value: Any, pattern: re.Pattern[str], what: str) -> str:
    """`value` when it is a string of the expected shape: nothing else reaches a terminal."""
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValueError(f"a {what} of an unexpected shape")
    return value
