"""measure corrections: a corrected measure result keeps what it replaced

Revision ID: 0006
Revises: 0005

measure_correction holds, for each correction of a measure result, the result as it stood
before (date, item scores, total, band, risk), the reason, who corrected it and when; the
result row holds the corrected values. On SQLite, triggers RAISE(ABORT) on any UPDATE or
DELETE of a correction: the history of a result only grows.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = {
    "measure_correction_update": """
        CREATE TRIGGER measure_correction_update BEFORE UPDATE ON measure_correction
        BEGIN SELECT RAISE(ABORT, 'a measure correction never changes'); END
    """,
    "measure_correction_delete": """
        CREATE TRIGGER measure_correction_delete BEFORE DELETE ON measure_correction
        BEGIN SELECT RAISE(ABORT, 'a measure correction cannot be deleted'); END
    """,
}


def _is_sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table(
        "measure_correction",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("result_id", sa.Uuid(), nullable=False),
        sa.Column("previous_taken_on", sa.Date(), nullable=False),
        sa.Column("previous_item_scores", sa.JSON(), nullable=False),
        sa.Column("previous_total", sa.Integer(), nullable=False),
        sa.Column("previous_band", sa.String(length=100), nullable=False),
        sa.Column("previous_risk", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_by", sa.Uuid(), nullable=True),
        sa.Column("corrected_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["corrected_by"], ["clinician.id"], name="fk_measure_correction_corrected_by_clinician"
        ),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["measure_result.id"],
            name="fk_measure_correction_result_id_measure_result",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_measure_correction"),
    )
    op.create_index("ix_measure_correction_result_id", "measure_correction", ["result_id"])
    if _is_sqlite():
        for statement in TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    if _is_sqlite():
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_measure_correction_result_id", table_name="measure_correction")
    op.drop_table("measure_correction")
