"""A clinic with years of synthetic history: about a million signed participant notes.

    python -m bench.generate_history --data-dir DIR [--years 10] [--groups 13]

The database is created through the app's own open path (open_clinic: the real schema,
migrations and SQLCipher encryption, the key kept where the app keeps it), then filled with
SQLAlchemy Core bulk inserts, one transaction per year. Every group meets Monday to Thursday in
three one-hour blocks with a census of 15 and rolling 8-12 week stays; every attended block has a
signed note (co-signed when the lead is an associate). On the last day ("today") every group has
a session of three blocks with 15 participants, ready to run. The same --seed and --today make
the same clinic.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time as clock
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bench.bulk_writer import BulkWriter
from bench.history import History
from facilitator.app import Clinic, open_clinic
from facilitator.cli.passphrase import terminal_passphrase
from facilitator.security.database_key import default_key_store


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data_dir = Path(args.data_dir).expanduser().resolve()
    started = clock.perf_counter()
    clinic = open_clinic(data_dir, default_key_store(data_dir, terminal_passphrase(data_dir)))
    try:
        if clinic.has_participants():
            print(f"{data_dir} already holds a clinic; choose an empty folder.", file=sys.stderr)
            return 2
        opened = clock.perf_counter()
        print(f"Created the encrypted clinic database in {opened - started:.1f} s; filling it …")
        counts = fill(clinic, args.today, args.years, args.groups, args.seed)
    finally:
        clinic.close()
    elapsed = clock.perf_counter() - started
    rows = sum(counts.values())
    for name, count in counts.items():
        print(f"  {name:<18} {count:>10,}")
    size = sum(f.stat().st_size for f in data_dir.glob("facilitator.db*"))
    print(
        f"{rows:,} rows in {elapsed:.0f} s ({rows / (elapsed - (opened - started)):,.0f} rows/s); "
        f"database {size / 2**20:,.0f} MiB in {data_dir}"
    )
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate_history", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--data-dir", required=True, metavar="DIR", help="an empty folder")
    parser.add_argument("--years", type=int, default=10, help="years of history (default 10)")
    parser.add_argument(
        "--groups", type=int, default=13, help="groups meeting in parallel (default 13)"
    )
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        metavar="YYYY-MM-DD",
        help="the last day, with a session ready to run (default: the real date)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    return parser


def fill(clinic: Clinic, today: date, years: int, groups: int, seed: int) -> dict[str, int]:
    """Write the history with one connection; return the rows written per table."""
    with clinic.database.engine.connect() as connection:
        # A bulk load: no fsync per commit and a large page cache. Put back before the
        # connection returns to the pool (the app itself always runs with synchronous = FULL).
        connection.exec_driver_sql("PRAGMA synchronous = OFF")
        connection.exec_driver_sql("PRAGMA cache_size = -1048576")  # 1 GiB
        connection.commit()
        gc.disable()  # millions of short-lived rows and no cycles: full passes would be waste
        try:
            writer = BulkWriter(connection)
            History(writer, random.Random(seed), today, years, groups).build()
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            gc.enable()
            connection.exec_driver_sql("PRAGMA synchronous = FULL")
            connection.exec_driver_sql("PRAGMA cache_size = -2000")
            connection.commit()
    return writer.counts


if __name__ == "__main__":
    sys.exit(main())
