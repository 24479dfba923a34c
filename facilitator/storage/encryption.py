"""Turn a database written by an unencrypted version into an SQLCipher one, losing nothing."""

from __future__ import annotations

import os
from pathlib import Path

import sqlcipher3

from facilitator.durable_files import fsync_file, fsync_folder
from facilitator.storage.database import check_existing, connector, raw_key_literal
from facilitator.storage.errors import ConversionError

ENCRYPTING_SUFFIX = ".encrypting"  # the encrypted copy while it is being written and checked
PLAINTEXT_SUFFIX = ".plaintext"  # the old file between the switch and its overwriting
SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
CHUNK = 1 << 20


def encrypt_plaintext_database(path: Path, key: bytes) -> None:
    """Replace the plaintext database at `path` by an encrypted copy, then destroy the plaintext.

    The copy is checked (integrity, and the same rows in every table) before anything is
    replaced; a failure leaves the plaintext file as it was. Refuses files that are not a
    Facilitator database (NotADatabaseError, NewerSchemaError) before writing anything.
    """
    check_existing(path, None)
    encrypted = path.with_name(path.name + ENCRYPTING_SUFFIX)
    _remove(encrypted)
    counts = _export(path, encrypted, key)
    try:
        _verify(encrypted, key, counts)
    except ConversionError:
        _remove(encrypted)
        raise
    os.chmod(encrypted, 0o600)
    fsync_file(encrypted)
    for suffix in SIDE_SUFFIXES:  # the plaintext's WAL, now merged into the copy
        shred(path.with_name(path.name + suffix))
    aside = path.with_name(path.name + PLAINTEXT_SUFFIX)
    os.replace(path, aside)
    os.replace(encrypted, path)
    fsync_folder(path.parent)
    shred(aside)


def finish_interrupted_conversion(path: Path) -> None:
    """Complete or undo a conversion that a crash or power cut stopped half way."""
    encrypted = path.with_name(path.name + ENCRYPTING_SUFFIX)
    aside = path.with_name(path.name + PLAINTEXT_SUFFIX)
    if aside.exists() and encrypted.exists() and not path.exists():
        os.replace(encrypted, path)  # stopped between the two renames: the copy was verified
        fsync_folder(path.parent)
    _remove(encrypted)  # an unfinished copy: the plaintext is still in place and is redone
    shred(aside)


def shred(path: Path) -> None:
    """Overwrite a file's bytes with random data, flush them to the disk, then delete it.

    This defeats reading the old bytes back through the filesystem. It cannot reach copies
    that SSD wear levelling, filesystem journals or snapshots, and backups keep elsewhere.
    """
    if not path.exists():
        return
    size = path.stat().st_size
    with path.open("r+b") as file:
        for offset in range(0, size, CHUNK):
            file.write(os.urandom(min(CHUNK, size - offset)))
        file.flush()
        os.fsync(file.fileno())
    path.unlink()
    fsync_folder(path.parent)


def _export(path: Path, encrypted: Path, key: bytes) -> dict[str, int]:
    """sqlcipher_export the plaintext into `encrypted`; return the plaintext's row counts."""
    connection = connector(path, None)()
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = _row_counts(connection)
        connection.execute(
            "ATTACH DATABASE ? AS encrypted KEY ?", (str(encrypted), raw_key_literal(key))
        )
        connection.execute("SELECT sqlcipher_export('encrypted')")
        connection.execute("DETACH DATABASE encrypted")
    finally:
        connection.close()
    return counts


def _verify(encrypted: Path, key: bytes, expected: dict[str, int]) -> None:
    connection = connector(encrypted, key)()
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchall()
        cipher_problems = connection.execute("PRAGMA cipher_integrity_check").fetchall()
        counts = _row_counts(connection)
    except sqlcipher3.dbapi2.DatabaseError as error:
        raise ConversionError(encrypted, str(error)) from error
    finally:
        connection.close()
    if integrity != [("ok",)] or cipher_problems:
        raise ConversionError(encrypted, "the encrypted copy failed its integrity check")
    if counts != expected:
        raise ConversionError(encrypted, "the encrypted copy does not hold the same rows")


def _row_counts(connection: sqlcipher3.dbapi2.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM main.sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        table: connection.execute(f'SELECT count(*) FROM main."{table}"').fetchone()[0]
        for table in tables
    }


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
