"""outcome measures, milestones, discharge and step-down

Revision ID: 0005
Revises: 0004

- measure_definition (measures as data) and measure_result (item scores, total, band, risk);
- participant.recovery_start; program.length_weeks and program.measure_schedule;
- discharge: reason, transition plan, and the discharge summary signed like a note. On SQLite,
  triggers RAISE(ABORT) on any UPDATE or DELETE of a signed discharge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = {
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


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table(
        "measure_definition",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.Column("shipped", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_measure_definition"),
        sa.UniqueConstraint("code", name="uq_measure_definition_code"),
    )
    op.create_table(
        "measure_result",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("measure_id", sa.Uuid(), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("item_scores", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=100), nullable=False),
        sa.Column("risk", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measure_definition.id"],
            name="fk_measure_result_measure_id_measure_definition",
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name="fk_measure_result_participant_id_participant",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["clinician.id"], name="fk_measure_result_recorded_by_clinician"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_measure_result"),
    )
    op.create_index("ix_measure_result_participant_id", "measure_result", ["participant_id"])
    op.create_table(
        "discharge",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("enrollment_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("plan", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("content", sa.JSON(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("signed_by", sa.Uuid(), nullable=True),
        sa.Column("printed_name", sa.String(length=200), nullable=True),
        sa.Column("credentials", sa.String(length=100), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("utc_offset", sa.String(length=6), nullable=True),
        sa.Column("meaning", sa.String(length=200), nullable=True),
        sa.Column("attestation", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["clinician.id"], name="fk_discharge_created_by_clinician"
        ),
        sa.ForeignKeyConstraint(
            ["enrollment_id"], ["enrollment.id"], name="fk_discharge_enrollment_id_enrollment"
        ),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["clinician.id"], name="fk_discharge_signed_by_clinician"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_discharge"),
        sa.UniqueConstraint("enrollment_id", name="uq_discharge_enrollment_id"),
    )
    with op.batch_alter_table("participant") as batch:
        batch.add_column(sa.Column("recovery_start", sa.Date(), nullable=True))
    with op.batch_alter_table("program") as batch:
        batch.add_column(sa.Column("length_weeks", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("measure_schedule", sa.JSON(), nullable=True))
    if _is_sqlite():
        for statement in TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    if _is_sqlite():
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("program") as batch:
        batch.drop_column("measure_schedule")
        batch.drop_column("length_weeks")
    with op.batch_alter_table("participant") as batch:
        batch.drop_column("recovery_start")
    op.drop_table("discharge")
    op.drop_index("ix_measure_result_participant_id", table_name="measure_result")
    op.drop_table("measure_result")
    op.drop_table("measure_definition")
