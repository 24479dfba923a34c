"""Export receipts: what each export showed, kept outside the database under a key that the
database key does not give.

Anyone holding the database key can rewrite the database consistently: drop the trigger that
locks a signed note, change the note and its content hash, add matching audit entries (the
audit chain's key derives from the database key). A receipt, written beside the database in
receipts/<document id>.json at each export, records the document id, each signed item's id and
content hash, and the file's SHA-256, with an HMAC under a separate random key kept in the OS
keyring (entry "<database id>:receipts"). `facilitator verify` checks the document's own receipt
and every earlier receipt naming the same items: a signed record changed after any export is
found, unless the attacker also holds the keyring (the logged-in clinic account). Without a
system keyring (the passphrase store) no receipts are kept. See docs/threat-model.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from keyring.backend import KeyringBackend

from facilitator.security.key_info import read_key_info
from facilitator.security.key_store import SERVICE, answered

RECEIPTS_FOLDER = "receipts"
MAX_RECEIPT_BYTES = 1_000_000


@dataclass(frozen=True)
class Receipt:
    document_id: str
    items: dict[str, str]  # signed item id -> content hash
    sha256: str
    authentic: bool  # its HMAC is right (false: made or changed without the receipt key)


class ExportReceipts:
    """The receipts of one clinic's data folder, under its receipt key."""

    def __init__(self, folder: Path, key: bytes) -> None:
        self._folder = folder / RECEIPTS_FOLDER
        self._key = key

    def write(self, document_id: uuid.UUID, items: Sequence[tuple[str, str]], sha256: str) -> None:
        body = {"document_id": str(document_id), "items": dict(items), "sha256": sha256}
        record = {**body, "mac": self._mac(body)}
        self._folder.mkdir(mode=0o700, exist_ok=True)
        path = self._folder / f"{document_id}.json"
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(record, file, sort_keys=True)
            file.flush()
            os.fsync(file.fileno())

    def find(self, document_id: uuid.UUID) -> Receipt | None:
        return self._read(self._folder / f"{document_id}.json")

    def naming(self, item_ids: set[str]) -> Iterator[Receipt]:
        """Every authentic receipt that names one of `item_ids`."""
        if not self._folder.is_dir():
            return
        for path in sorted(self._folder.glob("*.json")):
            receipt = self._read(path)
            if receipt is not None and receipt.authentic and item_ids & receipt.items.keys():
                yield receipt

    def _read(self, path: Path) -> Receipt | None:
        try:
            if path.stat().st_size > MAX_RECEIPT_BYTES:
                return None
            data = json.loads(path.read_text(encoding="utf-8"))
            body = {k: data[k] for k in ("document_id", "items", "sha256")}
            items = {str(k): str(v) for k, v in dict(body["items"]).items()}
            mac = str(data["mac"])
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
            return None
        authentic = hmac.compare_digest(mac, self._mac(body))
        return Receipt(str(body["document_id"]), items, str(body["sha256"]), authentic)

    def _mac(self, body: Mapping[str, object]) -> str:
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
        return hmac.new(self._key, canonical, hashlib.sha256).hexdigest()


def open_receipts(folder: Path, backend: KeyringBackend | None) -> ExportReceipts | None:
    """The receipts of the clinic in `folder`, their key made on first use; None without a
    system keyring or key information."""
    info = read_key_info(folder)
    if backend is None or info is None:
        return None
    entry = f"{info.database_id}:receipts"
    stored = answered(lambda: backend.get_password(SERVICE, entry), backend.name)
    if stored is None:
        stored = secrets.token_hex(32)
        answered(lambda: backend.set_password(SERVICE, entry, stored), backend.name)
    try:
        return ExportReceipts(folder, bytes.fromhex(stored))
    except ValueError:  # not a key this version wrote: no receipts rather than wrong ones
        return None
