"""Bulk inserts for the history generator: rows buffered per table, written parents first."""

from __future__ import annotations

import time as clock
from typing import Any

from sqlalchemy import Connection, insert

from facilitator.storage.models import (
    Base,
)

BATCH_ROWS = 10_000
# Parents before children: foreign keys are checked as the rows go in.
TABLES = (
    "clinician",
    "program",
    "care_group",
    "block_template",
    "participant",
    "treatment_goal",
    "enrollment",
    "group_session",
    "block",
    "block_facilitator",
    "attendance",
    "participant_note",
    "signature",
)
Row = dict[str, Any]


class BulkWriter:
    """Buffers rows per table and inserts them in batches, parents first."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.tables = [Base.metadata.tables[name] for name in TABLES]
        self.buffers: dict[str, list[Row]] = {name: [] for name in TABLES}
        self.counts: dict[str, int] = dict.fromkeys(TABLES, 0)
        self.pending = 0
        self.started = clock.perf_counter()

    def add(self, table: str, row: Row) -> None:
        self.buffers[table].append(row)
        self.pending += 1
        if self.pending >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        for table in self.tables:
            rows = self.buffers[table.name]
            if rows:
                self.connection.execute(insert(table), rows)
                self.counts[table.name] += len(rows)
                rows.clear()
        self.pending = 0

    def commit(self, label: str) -> None:
        self.flush()
        self.connection.commit()
        rows = sum(self.counts.values())
        elapsed = clock.perf_counter() - self.started
        notes = self.counts["participant_note"]
        print(
            f"  {label}: {notes:>9,} notes, {rows:>10,} rows, {elapsed:6.1f} s "
            f"({rows / elapsed:,.0f} rows/s)",
            flush=True,
        )
