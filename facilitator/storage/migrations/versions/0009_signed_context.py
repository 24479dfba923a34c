"""signed context: a signature covers the whole service; what it depends on is corrected, never
edited in place

Revision ID: 0009
Revises: 0008

- participant_note.signed_context (JSON): the service as the participant's documents showed it
  at signing (date, program, group, room, times, attendance, topic, interventions, group note,
  facilitators, service codes, clinic, signer); content_version: 1 for notes signed before this
  revision (their hash covers the note's own fields: kept, so they still verify), 2 after;
- signature and addendum .npi, .license_number: as signed;
- block_correction, attendance_correction: append-only rows holding the corrected state;
- setting "signed_record.since": the day signatures began to cover the service context (the
  documents of older notes say what their signature did not cover).

On SQLite, triggers RAISE(ABORT) on: a change to a block's service columns, a deletion of the
block, or any change to its facilitators, while a locked (non-draft) note of that block exists;
a change to an attendance row (or its deletion) while that participant's note in that block is
locked. A change is admitted only when its new values equal the latest correction row for that
block or attendance row (the correction is written first, in the same transaction, with the
signed addenda). 0003's locked-note trigger is re-created to cover the two new columns.
There is no downgrade (as 0008: a clinic's records are never taken back a schema).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCKED = "('signed', 'awaiting_cosign', 'returned', 'cosigned')"
NOTE_COLUMNS = (
    "id",
    "block_id",
    "participant_id",
    "author_id",
    "template",
    "fields",
    "mood",
    "affect",
    "participation",
    "goals_addressed",
    "risk_flags",
    "content_hash",
    "signed_context",
    "content_version",
)
ALLOWED_STATUS_CHANGE = (
    "NEW.status = OLD.status"
    " OR (OLD.status = 'awaiting_cosign' AND NEW.status IN ('cosigned', 'returned'))"
    " OR (OLD.status = 'returned' AND NEW.status = 'awaiting_cosign')"
)
BLOCK_COLUMNS = (
    "session_id",
    "modality_id",
    "topic_id",
    "free_topic",
    "planned_start",
    "planned_end",
    "actual_start",
    "actual_end",
    "interventions",
    "other_interventions",
    "group_note",
    "room",
)
ATTENDANCE_COLUMNS = (
    "status",
    "mode",
    "arrived",
    "left",
    "absence_reason",
    "added_reason",
    "removed_reason",
)
BLOCK_LOCKED = "EXISTS (SELECT 1 FROM participant_note WHERE block_id = {row}.{key} AND status IN {locked})"
ATTENDANCE_LOCKED = (
    "EXISTS (SELECT 1 FROM participant_note WHERE block_id = OLD.block_id"
    f" AND participant_id = OLD.participant_id AND status IN {LOCKED})"
)


def _changed(columns: Sequence[str]) -> str:
    return " OR ".join(f'NEW."{c}" IS NOT OLD."{c}"' for c in columns)


def _latest_correction(table: str, key: str, row_key: str, columns: Sequence[str]) -> str:
    """The latest correction of this row holds exactly the new values."""
    equal = " AND ".join(f'c."{c}" IS NEW."{c}"' for c in columns)
    return (
        f"EXISTS (SELECT 1 FROM {table} c WHERE c.rowid = (SELECT max(rowid) FROM {table}"
        f" WHERE {key} = OLD.{row_key}) AND {equal})"
    )


def _locked_block(row: str, key: str) -> str:
    return BLOCK_LOCKED.format(row=row, key=key, locked=LOCKED)


TRIGGERS = {
    "participant_note_locked_update": f"""
        CREATE TRIGGER participant_note_locked_update BEFORE UPDATE ON participant_note
        WHEN OLD.status IN {LOCKED}
             AND ({_changed(NOTE_COLUMNS)} OR NOT ({ALLOWED_STATUS_CHANGE}))
        BEGIN SELECT RAISE(ABORT, 'a signed note is locked: add an addendum instead'); END
    """,
    "block_locked_update": f"""
        CREATE TRIGGER block_locked_update BEFORE UPDATE ON block
        WHEN (NEW.id IS NOT OLD.id OR {_changed(BLOCK_COLUMNS)}) AND {_locked_block("OLD", "id")}
             AND NOT (NEW.id IS OLD.id
                      AND {_latest_correction("block_correction", "block_id", "id", BLOCK_COLUMNS)})
        BEGIN SELECT RAISE(ABORT, 'the block of a signed note is locked: correct it, which adds a
            signed addendum to each note'); END
    """,
    "block_locked_delete": f"""
        CREATE TRIGGER block_locked_delete BEFORE DELETE ON block
        WHEN {_locked_block("OLD", "id")}
        BEGIN SELECT RAISE(ABORT, 'the block of a signed note cannot be deleted'); END
    """,
    "block_facilitator_locked_insert": f"""
        CREATE TRIGGER block_facilitator_locked_insert BEFORE INSERT ON block_facilitator
        WHEN {_locked_block("NEW", "block_id")}
        BEGIN SELECT RAISE(ABORT, 'the facilitators of a block with signed notes are locked');
        END
    """,
    "block_facilitator_locked_update": f"""
        CREATE TRIGGER block_facilitator_locked_update BEFORE UPDATE ON block_facilitator
        WHEN {_locked_block("OLD", "block_id")} OR {_locked_block("NEW", "block_id")}
        BEGIN SELECT RAISE(ABORT, 'the facilitators of a block with signed notes are locked');
        END
    """,
    "block_facilitator_locked_delete": f"""
        CREATE TRIGGER block_facilitator_locked_delete BEFORE DELETE ON block_facilitator
        WHEN {_locked_block("OLD", "block_id")}
        BEGIN SELECT RAISE(ABORT, 'the facilitators of a block with signed notes are locked');
        END
    """,
    "attendance_locked_update": f"""
        CREATE TRIGGER attendance_locked_update BEFORE UPDATE ON attendance
        WHEN {ATTENDANCE_LOCKED}
             AND (NEW.id IS NOT OLD.id OR NEW.block_id IS NOT OLD.block_id
                  OR NEW.participant_id IS NOT OLD.participant_id
                  OR (({_changed(ATTENDANCE_COLUMNS)}) AND NOT
                      {_latest_correction("attendance_correction", "attendance_id", "id", ATTENDANCE_COLUMNS)}))
        BEGIN SELECT RAISE(ABORT, 'the attendance behind a signed note is locked: correct it,
            which adds a signed addendum'); END
    """,
    "attendance_locked_delete": f"""
        CREATE TRIGGER attendance_locked_delete BEFORE DELETE ON attendance
        WHEN {ATTENDANCE_LOCKED}
        BEGIN SELECT RAISE(ABORT, 'the attendance behind a signed note cannot be deleted'); END
    """,
    **{
        f"{table}_{verb.lower()}": f"""
            CREATE TRIGGER {table}_{verb.lower()} BEFORE {verb} ON {table}
            BEGIN SELECT RAISE(ABORT, 'a correction is never changed or deleted'); END
        """
        for table in ("block_correction", "attendance_correction")
        for verb in ("UPDATE", "DELETE")
    },
}


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _correction_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("clinician_id", sa.Uuid(), sa.ForeignKey("clinician.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    ]


def upgrade() -> None:
    op.add_column("participant_note", sa.Column("signed_context", sa.JSON(), nullable=True))
    op.add_column(
        "participant_note",
        sa.Column("content_version", sa.Integer(), nullable=False, server_default="1"),
    )
    for table in ("signature", "addendum"):
        op.add_column(table, sa.Column("npi", sa.String(length=10), nullable=True))
        op.add_column(table, sa.Column("license_number", sa.String(length=50), nullable=True))
    op.create_table(
        "block_correction",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("block_id", sa.Uuid(), sa.ForeignKey("block.id"), nullable=False),
        sa.Column("session_id", sa.Uuid(), sa.ForeignKey("group_session.id"), nullable=False),
        sa.Column("modality_id", sa.Uuid(), sa.ForeignKey("modality.id"), nullable=False),
        sa.Column("topic_id", sa.Uuid(), sa.ForeignKey("curriculum_topic.id"), nullable=True),
        sa.Column("free_topic", sa.String(length=300), nullable=True),
        sa.Column("planned_start", sa.Time(), nullable=False),
        sa.Column("planned_end", sa.Time(), nullable=False),
        sa.Column("actual_start", sa.Time(), nullable=True),
        sa.Column("actual_end", sa.Time(), nullable=True),
        sa.Column("interventions", sa.JSON(), nullable=False),
        sa.Column("other_interventions", sa.Text(), nullable=False),
        sa.Column("group_note", sa.Text(), nullable=False),
        sa.Column("room", sa.String(length=100), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        *_correction_columns(),
    )
    op.create_index("ix_block_correction_block_id", "block_correction", ["block_id"])
    op.create_table(
        "attendance_correction",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("attendance_id", sa.Uuid(), sa.ForeignKey("attendance.id"), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("arrived", sa.Time(), nullable=True),
        sa.Column("left", sa.Time(), nullable=True),
        sa.Column("absence_reason", sa.String(length=300), nullable=True),
        sa.Column("added_reason", sa.String(length=300), nullable=True),
        sa.Column("removed_reason", sa.String(length=300), nullable=True),
        *_correction_columns(),
    )
    op.create_index(
        "ix_attendance_correction_attendance_id", "attendance_correction", ["attendance_id"]
    )
    since = datetime.now(UTC).date().isoformat()
    op.get_bind().execute(
        sa.text("INSERT INTO setting (key, value) VALUES ('signed_record.since', :value)"),
        {"value": f'{{"date": "{since}"}}'},
    )
    if _is_sqlite():
        op.execute("DROP TRIGGER IF EXISTS participant_note_locked_update")
        for statement in TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("Facilitator never downgrades a clinic's records.")
