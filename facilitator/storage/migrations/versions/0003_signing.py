"""signing: locked signed notes (triggers), co-signature review

Revision ID: 0003
Revises: 0002

A signed note never changes, and the database enforces it on its own, whatever the code above
it does. On SQLite, triggers RAISE(ABORT) on:
- UPDATE of a locked note's content columns (anything but status and updated_at), or a status
  change other than the co-signature steps (awaiting_cosign -> cosigned or returned, returned
  -> awaiting_cosign), and DELETE of a locked note;
- UPDATE or DELETE of a signature, of a signed addendum and of a review step (return,
  resubmission).
PostgreSQL will need the same rules as trigger functions when the clinic server arrives.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCKED = "('signed', 'awaiting_cosign', 'returned', 'cosigned')"
CONTENT_COLUMNS = (
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
)
ALLOWED_STATUS_CHANGE = (
    "NEW.status = OLD.status"
    " OR (OLD.status = 'awaiting_cosign' AND NEW.status IN ('cosigned', 'returned'))"
    " OR (OLD.status = 'returned' AND NEW.status = 'awaiting_cosign')"
)
CONTENT_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT_COLUMNS)

TRIGGERS = {
    "participant_note_locked_update": f"""
        CREATE TRIGGER participant_note_locked_update BEFORE UPDATE ON participant_note
        WHEN OLD.status IN {LOCKED} AND ({CONTENT_CHANGED} OR NOT ({ALLOWED_STATUS_CHANGE}))
        BEGIN SELECT RAISE(ABORT, 'a signed note is locked: add an addendum instead'); END
    """,
    "participant_note_locked_delete": f"""
        CREATE TRIGGER participant_note_locked_delete BEFORE DELETE ON participant_note
        WHEN OLD.status IN {LOCKED}
        BEGIN SELECT RAISE(ABORT, 'a signed note cannot be deleted'); END
    """,
    "signature_update": """
        CREATE TRIGGER signature_update BEFORE UPDATE ON signature
        BEGIN SELECT RAISE(ABORT, 'a signature never changes'); END
    """,
    "signature_delete": """
        CREATE TRIGGER signature_delete BEFORE DELETE ON signature
        BEGIN SELECT RAISE(ABORT, 'a signature cannot be deleted'); END
    """,
    "addendum_signed_update": """
        CREATE TRIGGER addendum_signed_update BEFORE UPDATE ON addendum
        WHEN OLD.signed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a signed addendum never changes'); END
    """,
    "addendum_signed_delete": """
        CREATE TRIGGER addendum_signed_delete BEFORE DELETE ON addendum
        WHEN OLD.signed_at IS NOT NULL
        BEGIN SELECT RAISE(ABORT, 'a signed addendum cannot be deleted'); END
    """,
    "note_review_update": """
        CREATE TRIGGER note_review_update BEFORE UPDATE ON note_review
        BEGIN SELECT RAISE(ABORT, 'a review step never changes'); END
    """,
    "note_review_delete": """
        CREATE TRIGGER note_review_delete BEFORE DELETE ON note_review
        BEGIN SELECT RAISE(ABORT, 'a review step cannot be deleted'); END
    """,
}
ADDENDUM_COLUMNS = (
    ("printed_name", sa.String(200)),
    ("credentials", sa.String(100)),
    ("time_zone", sa.String(64)),
    ("utc_offset", sa.String(6)),
    ("attestation", sa.Text()),
)


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table(
        "note_review",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("clinician_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["clinician.id"], name="fk_note_review_clinician_id_clinician"
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["participant_note.id"], name="fk_note_review_note_id_participant_note"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_note_review"),
    )
    op.create_index("ix_note_review_note_id", "note_review", ["note_id"])
    with op.batch_alter_table("signature") as batch:
        batch.add_column(sa.Column("utc_offset", sa.String(6), nullable=True))
    _fill_utc_offsets()
    with op.batch_alter_table("signature") as batch:
        batch.alter_column("utc_offset", existing_type=sa.String(6), nullable=False)
    with op.batch_alter_table("addendum") as batch:
        for name, kind in ADDENDUM_COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    if _is_sqlite():
        for statement in TRIGGERS.values():
            op.execute(statement)


def _fill_utc_offsets() -> None:
    """Signatures made before this revision: their offset, from their zone and instant."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, signed_at, time_zone FROM signature")).all()
    for signature_id, signed_at, zone in rows:
        instant = signed_at if isinstance(signed_at, datetime) else datetime.fromisoformat(signed_at)
        local = instant.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
        offset = local.strftime("%z")
        bind.execute(
            sa.text("UPDATE signature SET utc_offset = :offset WHERE id = :id"),
            {"offset": f"{offset[:3]}:{offset[3:]}", "id": signature_id},
        )


def downgrade() -> None:
    if _is_sqlite():
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("addendum") as batch:
        for name, _ in reversed(ADDENDUM_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("signature") as batch:
        batch.drop_column("utc_offset")
    op.drop_index("ix_note_review_note_id", table_name="note_review")
    op.drop_table("note_review")
