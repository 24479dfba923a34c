"""Fuzzing what reads files an attacker can hand over: verify's PDF and manifest parsing, and
the marker an interrupted restore leaves. Never an exception: a result, or a clear refusal."""

from __future__ import annotations

import io
import json
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.platypus import SimpleDocTemplate

from facilitator.app import Clinic, open_clinic
from facilitator.cli import verify
from facilitator.security.certificates import (
    Signatory,
    SigningIdentity,
    issue_certificate,
    new_authority,
    new_key,
)
from facilitator.storage.errors import ReplaceMarkerError
from facilitator.storage.replace import MARKER_SUFFIX, finish_interrupted_replace, incoming_path
from reports.layout import text
from reports.pdf_signature import sign_pdf
from tests.integration.pdf_files import pdf_with_manifest

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SLOW_FUZZ = settings(FUZZ, max_examples=30)  # a signature check or two verifications each
GOOD_MANIFEST = {
    "format": "facilitator-manifest/1",
    "document_id": "0b5c3f0e-8f0c-4a8e-9d59-0c0f8f3f4c1a",
    "kind": "session_record",
    "clinic_id": "5f2d0c44-4a55-4f7e-a0f5-1f6a3e2b9c11",
    "made_at": "2026-11-20T10:35:00-05:00",
    "signed": [
        {
            "kind": "note",
            "id": "7d7c9a8e-0f57-4b57-8a8a-3c7b8f5a2e10",
            "content_hash": "ab" * 32,
        }
    ],
}
RESULT_LINES = ("Result: VALID", "Result: NOT VALID", "Result: CANNOT BE CONFIRMED")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def signed_pdf() -> bytes:
    """A one-page PDF carrying a manifest, signed by another clinic's clinician."""
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer).build([text("Synthetic page")])
    clinic_id, now = str(uuid.uuid4()), datetime.now(UTC)
    authority, key = new_authority(clinic_id, now), new_key()
    signatory = Signatory("Pat Doe", "LCSW", "pdoe", clinic_id)
    identity = SigningIdentity(
        key, issue_certificate(authority, key, signatory, now), (authority.certificate,)
    )
    return sign_pdf(buffer.getvalue(), identity)


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Clinic]:
    opened = open_clinic(tmp_path_factory.mktemp("fuzz") / "clinic")
    yield opened
    opened.close()


def pdf_string(text: str) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return b"(" + escaped.encode("latin-1", "replace") + b")"


def check(clinic: Clinic, data: bytes) -> None:
    """verify on `data`: exit 0, 1 or 2, and the last line a result or the unreadable notice."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.pdf"
        path.write_bytes(data)
        out = io.StringIO()
        code = verify.run(clinic, path, out)
    last = out.getvalue().strip().splitlines()[-1]
    if code == verify.EXIT_USAGE:
        assert "nothing was checked" in last
    else:
        assert code in (verify.EXIT_VALID, verify.EXIT_NOT_VALID)
        assert last.startswith(RESULT_LINES)


@FUZZ
@given(st.binary(max_size=2000))
def test_verify_survives_random_bytes(clinic: Clinic, data: bytes) -> None:
    check(clinic, b"%PDF-1.7\n" + data)


@FUZZ
@given(
    st.lists(
        st.tuples(st.integers(min_value=0), st.binary(min_size=0, max_size=8)),
        min_size=1,
        max_size=6,
    )
)
def test_verify_survives_a_mutated_pdf(clinic: Clinic, edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(pdf_with_manifest(pdf_string(json.dumps(GOOD_MANIFEST))))
    for at, replacement in edits:
        position = at % len(data)
        data[position : position + len(replacement)] = replacement
    check(clinic, bytes(data))


@SLOW_FUZZ
@given(
    st.lists(
        st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=4)),
        min_size=1,
        max_size=4,
    )
)
def test_verify_survives_a_mutated_signed_pdf(
    clinic: Clinic, signed_pdf: bytes, edits: list[tuple[int, bytes]]
) -> None:
    data = bytearray(signed_pdf)
    for at, replacement in edits:
        position = at % len(data)
        data[position : position + len(replacement)] = replacement
    check(clinic, bytes(data))


@SLOW_FUZZ
@given(json_values, st.sampled_from(sorted(GOOD_MANIFEST)))
def test_verify_survives_any_manifest_json(clinic: Clinic, value: object, field: str) -> None:
    whole = pdf_with_manifest(pdf_string(json.dumps(value)))
    one_field = pdf_with_manifest(pdf_string(json.dumps({**GOOD_MANIFEST, field: value})))
    check(clinic, whole)
    check(clinic, one_field)


def marker_texts() -> st.SearchStrategy[str]:
    names = st.text(max_size=40) | st.sampled_from(
        ["../up.db", "..", ".", "", "/abs.db", "victim", "facilitator.db", "a\x00b", "ok-aside"]
    )
    return (
        st.text(max_size=60)
        | names.map(lambda name: json.dumps({"aside": name}))
        | json_values.map(lambda value: json.dumps({"aside": value}))
        | json_values.map(json.dumps)
    )


@FUZZ
@given(marker_texts())
def test_the_restore_marker_never_moves_a_file_out_or_over_another(marker: str) -> None:
    with tempfile.TemporaryDirectory() as root:
        folder = Path(root) / "data"
        folder.mkdir()
        database = folder / "facilitator.db"
        database.write_bytes(b"current")
        incoming_path(database).write_bytes(b"incoming")
        (folder / "victim").write_bytes(b"precious")
        database.with_name(database.name + MARKER_SUFFIX).write_text(marker, encoding="utf-8")
        try:
            finish_interrupted_replace(database)
        except ReplaceMarkerError:
            assert database.read_bytes() == b"current"
        else:
            assert database.read_bytes() == b"incoming"
            assert b"current" in {p.read_bytes() for p in folder.iterdir() if p.is_file()}
        assert (folder / "victim").read_bytes() == b"precious"
        assert sorted(p.name for p in Path(root).iterdir()) == ["data"]
