"""discharge summary co-signature: an associate's summary awaits their supervisor, who co-signs
it or returns it to its author with a comment; a discharge entered in error is kept, voided

Revision ID: 0007
Revises: 0006

discharge_cosignature holds the supervisor's signature of a summary ("reviewed and approved"):
who, when, in which zone, the meaning and attestation, and the SHA-256 of the content the author
signed. discharge_return holds each return: the comment, who returned it and when, and the
version returned (its content, hash, author and signing time), since a returned summary goes
back to draft. A summary awaiting co-signature (status 'awaiting_cosign') is locked: on SQLite,
triggers RAISE(ABORT) on any change to it but its co-signature (to 'signed', content unchanged,
a co-signature recorded) or its return (to 'draft', the returned version recorded), and on any
UPDATE or DELETE of a co-signature or a return.

discharge_void marks a discharge entered in error (at most once, only while its summary is a
draft): the day it was recorded on, the reason, who and when; the enrollment reopens. An
enrollment may then be discharged again, so discharge.enrollment_id is no longer unique (an
index instead); on SQLite dropping the constraint rebuilds the table, which drops its
triggers, so 0005's are created again. Triggers refuse a void of a signed or awaiting summary,
any UPDATE or DELETE of a void, and any change to or deletion of a voided discharge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNED_TRIGGERS = {  # 0005's, dropped with the table when SQLite rebuilds it
    "discharge_signed_update": """
        CREATE TRIGGER discharge_signed_update BEFORE UPDATE ON discharge
        WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'a signed discharge summary is locked'); END
    """,
    "discharge_signed_delete": """
        CREATE TRIGGER discharge_signed_delete BEFORE DELETE ON discharge
        WHEN OLD.status = 'signed'
        BEGIN SELECT RAISE(ABORT, 'a signed discharge summary cannot be deleted'); END
    """,
}

TRIGGERS = {
    "discharge_awaiting_update": """
        CREATE TRIGGER discharge_awaiting_update BEFORE UPDATE ON discharge
        WHEN OLD.status = 'awaiting_cosign' AND NOT (
            (NEW.status = 'signed'
             AND NEW.content IS OLD.content AND NEW.content_hash IS OLD.content_hash
             AND NEW.signed_by IS OLD.signed_by AND NEW.signed_at IS OLD.signed_at
             AND NEW.reason IS OLD.reason AND NEW.plan IS OLD.plan
             AND NEW.enrollment_id IS OLD.enrollment_id
             AND EXISTS (SELECT 1 FROM discharge_cosignature
                         WHERE discharge_id = OLD.id AND content_hash = OLD.content_hash))
            OR (NEW.status = 'draft' AND NEW.enrollment_id IS OLD.enrollment_id
                AND EXISTS (SELECT 1 FROM discharge_return
                            WHERE discharge_id = OLD.id AND content_hash = OLD.content_hash)))
        BEGIN SELECT RAISE(ABORT, 'a discharge summary awaiting co-signature is locked'); END
    """,
    "discharge_awaiting_delete": """
        CREATE TRIGGER discharge_awaiting_delete BEFORE DELETE ON discharge
        WHEN OLD.status = 'awaiting_cosign'
        BEGIN SELECT RAISE(ABORT, 'a signed discharge summary cannot be deleted'); END
    """,
    "discharge_cosignature_update": """
        CREATE TRIGGER discharge_cosignature_update BEFORE UPDATE ON discharge_cosignature
        BEGIN SELECT RAISE(ABORT, 'a co-signature never changes'); END
    """,
    "discharge_cosignature_delete": """
        CREATE TRIGGER discharge_cosignature_delete BEFORE DELETE ON discharge_cosignature
        BEGIN SELECT RAISE(ABORT, 'a co-signature cannot be deleted'); END
    """,
    "discharge_return_update": """
        CREATE TRIGGER discharge_return_update BEFORE UPDATE ON discharge_return
        BEGIN SELECT RAISE(ABORT, 'a returned discharge summary is kept as returned'); END
    """,
    "discharge_return_delete": """
        CREATE TRIGGER discharge_return_delete BEFORE DELETE ON discharge_return
        BEGIN SELECT RAISE(ABORT, 'a returned discharge summary is kept as returned'); END
    """,
    "discharge_void_insert": """
        CREATE TRIGGER discharge_void_insert BEFORE INSERT ON discharge_void
        WHEN NOT EXISTS (SELECT 1 FROM discharge WHERE id = NEW.discharge_id AND status = 'draft')
        BEGIN SELECT RAISE(ABORT, 'a signed discharge summary is corrected, not voided'); END
    """,
    "discharge_void_update": """
        CREATE TRIGGER discharge_void_update BEFORE UPDATE ON discharge_void
        BEGIN SELECT RAISE(ABORT, 'a discharge entered in error stays so'); END
    """,
    "discharge_void_delete": """
        CREATE TRIGGER discharge_void_delete BEFORE DELETE ON discharge_void
        BEGIN SELECT RAISE(ABORT, 'a discharge entered in error stays so'); END
    """,
    "discharge_voided_update": """
        CREATE TRIGGER discharge_voided_update BEFORE UPDATE ON discharge
        WHEN EXISTS (SELECT 1 FROM discharge_void WHERE discharge_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'a discharge entered in error never changes'); END
    """,
    "discharge_voided_delete": """
        CREATE TRIGGER discharge_voided_delete BEFORE DELETE ON discharge
        WHEN EXISTS (SELECT 1 FROM discharge_void WHERE discharge_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'a discharge entered in error is kept'); END
    """,
}


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _recreate_signed_triggers() -> None:
    if _is_sqlite():
        for name, statement in SIGNED_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(statement)


def upgrade() -> None:
    with op.batch_alter_table("discharge") as batch:
        batch.drop_constraint("uq_discharge_enrollment_id", type_="unique")
        batch.create_index("ix_discharge_enrollment_id", ["enrollment_id"])
    _recreate_signed_triggers()
    op.create_table(
        "discharge_cosignature",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("discharge_id", sa.Uuid(), nullable=False),
        sa.Column("cosigned_by", sa.Uuid(), nullable=True),
        sa.Column("printed_name", sa.String(length=200), nullable=False),
        sa.Column("credentials", sa.String(length=100), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("utc_offset", sa.String(length=6), nullable=False),
        sa.Column("meaning", sa.String(length=200), nullable=False),
        sa.Column("attestation", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["cosigned_by"], ["clinician.id"], name="fk_discharge_cosignature_cosigned_by_clinician"
        ),
        sa.ForeignKeyConstraint(
            ["discharge_id"],
            ["discharge.id"],
            name="fk_discharge_cosignature_discharge_id_discharge",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_discharge_cosignature"),
        sa.UniqueConstraint("discharge_id", name="uq_discharge_cosignature_discharge_id"),
    )
    op.create_table(
        "discharge_return",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("discharge_id", sa.Uuid(), nullable=False),
        sa.Column("returned_by", sa.Uuid(), nullable=True),
        sa.Column("returned_at", sa.DateTime(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_by", sa.Uuid(), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discharge_id"], ["discharge.id"], name="fk_discharge_return_discharge_id_discharge"
        ),
        sa.ForeignKeyConstraint(
            ["returned_by"], ["clinician.id"], name="fk_discharge_return_returned_by_clinician"
        ),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["clinician.id"], name="fk_discharge_return_signed_by_clinician"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_discharge_return"),
    )
    op.create_index("ix_discharge_return_discharge_id", "discharge_return", ["discharge_id"])
    op.create_table(
        "discharge_void",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("discharge_id", sa.Uuid(), nullable=False),
        sa.Column("discharged", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("voided_by", sa.Uuid(), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["discharge_id"], ["discharge.id"], name="fk_discharge_void_discharge_id_discharge"
        ),
        sa.ForeignKeyConstraint(
            ["voided_by"], ["clinician.id"], name="fk_discharge_void_voided_by_clinician"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_discharge_void"),
        sa.UniqueConstraint("discharge_id", name="uq_discharge_void_discharge_id"),
    )
    if _is_sqlite():
        for statement in TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    if _is_sqlite():
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("discharge_void")
    op.drop_index("ix_discharge_return_discharge_id", table_name="discharge_return")
    op.drop_table("discharge_return")
    op.drop_table("discharge_cosignature")
    with op.batch_alter_table("discharge") as batch:
        batch.drop_index("ix_discharge_enrollment_id")
        batch.create_unique_constraint("uq_discharge_enrollment_id", ["enrollment_id"])
    _recreate_signed_triggers()
