"""measure corrections: a corrected measure result keeps what it replaced; a result entered in
error is marked so, and kept

Revision ID: 0006
Revises: 0005

measure_correction holds, for each correction of a measure result, the result as it stood
before (date, item scores, total, band, risk), the reason, who corrected it and when; the
result row holds the corrected values. measure_void marks a result entered in error (at most
once): the reason, who and when. On SQLite, triggers RAISE(ABORT) on any UPDATE or DELETE of a
correction or a void, and on any change, deletion or correction of a result marked entered in
error: the history of a result only grows, and ends with its void.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
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
    "measure_void_update": """
        CREATE TRIGGER measure_void_update BEFORE UPDATE ON measure_void
        BEGIN SELECT RAISE(ABORT, 'a measure marked entered in error stays so'); END
    """,
    "measure_void_delete": """
        CREATE TRIGGER measure_void_delete BEFORE DELETE ON measure_void
        BEGIN SELECT RAISE(ABORT, 'a measure marked entered in error stays so'); END
    """,
    "measure_result_voided_update": """
        CREATE TRIGGER measure_result_voided_update BEFORE UPDATE ON measure_result
        WHEN EXISTS (SELECT 1 FROM measure_void WHERE result_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'a measure result entered in error never changes'); END
    """,
    "measure_result_voided_delete": """
        CREATE TRIGGER measure_result_voided_delete BEFORE DELETE ON measure_result
        WHEN EXISTS (SELECT 1 FROM measure_void WHERE result_id = OLD.id)
        BEGIN SELECT RAISE(ABORT, 'a measure result entered in error is kept'); END
    """,
    "measure_correction_voided_insert": """
        CREATE TRIGGER measure_correction_voided_insert BEFORE INSERT ON measure_correction
        WHEN EXISTS (SELECT 1 FROM measure_void WHERE result_id = NEW.result_id)
        BEGIN SELECT RAISE(ABORT, 'a measure result entered in error is not corrected'); END
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
    op.create_table(
        "measure_void",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("result_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("voided_by", sa.Uuid(), nullable=True),
        sa.Column("voided_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["result_id"], ["measure_result.id"], name="fk_measure_void_result_id_measure_result"
        ),
        sa.ForeignKeyConstraint(
            ["voided_by"], ["clinician.id"], name="fk_measure_void_voided_by_clinician"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_measure_void"),
        sa.UniqueConstraint("result_id", name="uq_measure_void_result_id"),
    )
    if _is_sqlite():
        for statement in TRIGGERS.values():
            op.execute(statement)


def downgrade() -> None:
    if _is_sqlite():
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("measure_void")
    op.drop_index("ix_measure_correction_result_id", table_name="measure_correction")
    op.drop_table("measure_correction")
