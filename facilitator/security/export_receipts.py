"""Export receipts: what each export showed, kept outside the database under a key that the
database key does not give.

Anyone holding the database key can rewrite the database consistently: drop the trigger that
locks a signed note, change the note and its content hash, add matching audit entries (the
audit chain's key derives from the database key). A receipt, written beside the database in
receipts/<document id>.json at each export, records the document id, each signed item's id and
content hash, and the file's SHA-256; the ledger (receipts/signed-records.ledger), extended each
time the app closes the clinic, records every signed record's hash as first seen. Both carry an
HMAC under a separate random key kept in the OS keyring (entry "<database id>:receipts").
`facilitator verify` checks the document's own receipt, every earlier receipt naming the same
items and the ledger: a signed record changed after the app last closed, or after any export,
is found, unless the attacker also holds the keyring (the logged-in clinic account). Without a
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
LEDGER_FILENAME = "signed-records.ledger"
MAX_RECEIPT_BYTES = 1_000_000
MAX_LEDGER_BYTES = 200_000_000


@dataclass(frozen=True)
class Receipt:
    document_id: str
    items: dict[str, str]  # signed item id -> content hash
    sha256: str
    authentic: bool  # its HMAC is right (false: made or changed without the receipt key)


@dataclass(frozen=True)
class Ledger:
    """Each signed record's content hash as the app first saw it signed."""

    items: dict[str, str]
    state: str  # "authentic", "missing", "forged" (not written with the receipt key), or
    # "cut" (it holds fewer records than the keyring says were sealed: removed or replaced)


@dataclass(frozen=True)
class LedgerCheck:
    """The signed records against the ledger: those whose content hash changed since it was
    sealed, and those sealed that the records no longer hold as signed."""

    state: str  # the ledger's (see Ledger)
    sealed: int
    changed: tuple[str, ...]
    gone: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return self.state in ("authentic", "missing") and not self.changed and not self.gone


def check_ledger(ledger: Ledger, records: Sequence[tuple[str, str]]) -> LedgerCheck:
    current = dict(records)
    changed = sorted(i for i, h in ledger.items.items() if i in current and current[i] != h)
    gone = sorted(i for i in ledger.items if i not in current)
    return LedgerCheck(ledger.state, len(ledger.items), tuple(changed), tuple(gone))


class ExportReceipts:
    """The receipts of one clinic's data folder, under its receipt key."""

    def __init__(self, folder: Path, key: bytes, sealed: SealedCount | None = None) -> None:
        self._folder = folder / RECEIPTS_FOLDER
        self._key = key
        self._sealed = sealed

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

    def ledger(self) -> Ledger:
        found = self._ledger()
        sealed = self._sealed.get() if self._sealed is not None else 0
        if found.state != "forged" and len(found.items) < sealed:
            return Ledger(found.items, "cut")
        return found

    def _ledger(self) -> Ledger:
        path = self._folder / LEDGER_FILENAME
        if not path.exists():
            return Ledger({}, "missing")
        try:
            if path.stat().st_size > MAX_LEDGER_BYTES:
                raise ValueError("too large")
            data = json.loads(path.read_text(encoding="utf-8"))
            items = {str(k): str(v) for k, v in dict(data["items"]).items()}
            authentic = hmac.compare_digest(str(data["mac"]), self._mac({"items": items}))
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, RecursionError):
            return Ledger({}, "forged")
        return Ledger(items, "authentic") if authentic else Ledger({}, "forged")

    def seal(self, records: Sequence[tuple[str, str]]) -> None:
        """Add the signed records the ledger does not hold yet; an entry already there is
        never replaced (a record changed since is what verify finds), and a ledger not
        written with the receipt key is left as it is, as evidence."""
        current = self.ledger()
        if current.state in ("forged", "cut"):
            return
        items = {**dict(records), **current.items}
        if items == current.items and current.state == "authentic":
            self._count(len(items))  # a copy of the folder sealed elsewhere
            return
        self._folder.mkdir(mode=0o700, exist_ok=True)
        written = self._folder / f".{LEDGER_FILENAME}.new"
        descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump({"items": items, "mac": self._mac({"items": items})}, file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(written, self._folder / LEDGER_FILENAME)
        self._count(len(items))

    def _count(self, sealed: int) -> None:
        if self._sealed is not None and self._sealed.get() != sealed:
            self._sealed.set(sealed)

    def start_new_ledger(self) -> None:
        """Keep the ledger aside and start afresh: after a restore the records are those of
        the backup, which may legitimately differ from what the ledger saw since."""
        path = self._folder / LEDGER_FILENAME
        if path.exists():
            os.replace(path, self._folder / f"{LEDGER_FILENAME}.before-{secrets.token_hex(4)}")
        if self._sealed is not None:
            self._sealed.set(0)

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


class SealedCount:
    """How many records the ledger of the data folder at one place holds, kept in the keyring
    beside the receipt key, so a ledger removed or replaced by an older copy is found."""

    def __init__(self, backend: KeyringBackend, entry: str) -> None:
        self._backend = backend
        self._entry = entry

    def get(self) -> int:
        stored = answered(lambda: self._backend.get_password(SERVICE, self._entry), "keyring")
        return int(stored) if stored and stored.isdigit() else 0

    def set(self, count: int) -> None:
        value = str(count)
        answered(lambda: self._backend.set_password(SERVICE, self._entry, value), "keyring")


def open_receipts(folder: Path, backend: KeyringBackend | None) -> ExportReceipts | None:
    """The receipts of the clinic in `folder`, their key made on first use; None without a
    system keyring or key information."""
    info = read_key_info(folder)
    if backend is None or info is None:
        return None
    entry = f"{info.database_id}:receipts"
    stored = answered(lambda: backend.get_password(SERVICE, entry), backend.name)
    if stored is None:  # receipts left by a lost key (a new computer) can no longer be checked
        earlier = folder / RECEIPTS_FOLDER
        if earlier.exists():
            earlier.rename(folder / f"{RECEIPTS_FOLDER}-unverifiable-{secrets.token_hex(4)}")
        stored = secrets.token_hex(32)
        answered(lambda: backend.set_password(SERVICE, entry, stored), backend.name)
    try:
        key = bytes.fromhex(stored)
    except ValueError:  # not a key this version wrote: no receipts rather than wrong ones
        return None
    place = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]  # per copy
    return ExportReceipts(folder, key, SealedCount(backend, f"{entry}-sealed-{place}"))
