"""The recovery code: the database key written out for a person to print, keep and type back."""

from __future__ import annotations

import base64
import hashlib

from facilitator.security.errors import BadRecoveryCodeError
from facilitator.storage.database import KEY_BYTES

CHECKSUM_BYTES = 3  # catches typing mistakes before the key is tried
GROUP = 4
CODE_CHARACTERS = (KEY_BYTES + CHECKSUM_BYTES) * 8 // 5
LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


def recovery_code(key: bytes) -> str:
    """The key and a short checksum in base32, in dash-separated groups of four."""
    text = base64.b32encode(key + _checksum(key)).decode("ascii")
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def key_from_recovery_code(code: str) -> bytes:
    """The key a recovery code spells, whatever its case, spacing or dashes."""
    text = "".join(ch for ch in code.upper() if ch.isalnum()).translate(LOOKALIKES)
    if len(text) != CODE_CHARACTERS:
        raise BadRecoveryCodeError(
            f"it has {len(text)} letters and digits where a recovery code has {CODE_CHARACTERS}"
        )
    try:
        raw = base64.b32decode(text)
    except ValueError as error:
        raise BadRecoveryCodeError("it holds characters a recovery code never has") from error
    key, checksum = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if _checksum(key) != checksum:
        raise BadRecoveryCodeError("it has a typing mistake (its checksum does not match)")
    return key


def _checksum(key: bytes) -> bytes:
    return hashlib.sha256(b"facilitator recovery code\x00" + key).digest()[:CHECKSUM_BYTES]
