"""clinic setup: programs, groups and schedules as a clinic edits them; sessions from the
schedule; closures and exceptions; how each person attended

Revision ID: 0008
Revises: 0007

- clinician.npi, license_number: printed with the credentials on documents;
- program.days_per_week, late_entry_hours (a note signed later is a late entry),
  service_codes (JSON list: what the program bills per day or per modality), active;
- modality.active; note_template: the clinic's note templates as data (GIRP, DAP, BIRP and SOAP
  installed from resources/templates, a clinic adds its own);
- care_group.capacity, co_facilitator_id, note_template (a group's own template, else the
  program's);
- block_template.effective_from / effective_until (a weekly schedule changes from a date,
  until is exclusive; NULL means open) and room (NULL: the group's room);
- block.template_id (the schedule entry a block was made from; NULL for an extra block) and
  block.room;
- schedule_exception: a closed day (clinic-wide when group_id is NULL), a cancelled, moved or
  extra block, or a substitute facilitator, each with its reason, who and when;
- attendance.mode: in_person, video or telephone;
- participant_change: a participant's demographic edits, field by field (was, now, why, who);
- enrollment.transferred_to_id: an enrollment ended by a transfer or a step-down continues in
  that one (not a discharge).

Plain ADD COLUMN (no batch rebuild): most of these tables carry 0003-0007's triggers, which a
rebuild would drop. There is no downgrade: SQLite cannot drop a column that references another
table without that rebuild, and a clinic's records are never taken back a schema.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _add_reference(table: str, column: str, referred: str) -> None:
    """A nullable column referring to `referred`.id, added in place (SQLite's ADD COLUMN keeps
    a REFERENCES clause; Alembic would insist on a batch rebuild for a named constraint)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} CHAR(32) REFERENCES {referred} (id)")
        return
    op.add_column(table, sa.Column(column, sa.Uuid(), nullable=True))
    op.create_foreign_key(f"fk_{table}_{column}_{referred}", table, referred, [column], ["id"])


def upgrade() -> None:
    op.add_column("clinician", sa.Column("npi", sa.String(length=10), nullable=True))
    op.add_column("clinician", sa.Column("license_number", sa.String(length=50), nullable=True))

    op.add_column(
        "program",
        sa.Column("days_per_week", sa.Integer(), nullable=False, server_default="4"),
    )
    op.add_column(
        "program",
        sa.Column("late_entry_hours", sa.Integer(), nullable=False, server_default="24"),
    )
    op.add_column(
        "program", sa.Column("service_codes", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column(
        "program", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
    )

    op.add_column(
        "modality", sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
    )
    op.create_table(
        "note_template",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("shipped", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_note_template"),
        sa.UniqueConstraint("code", name="uq_note_template_code"),
    )

    op.add_column("care_group", sa.Column("capacity", sa.Integer(), nullable=True))
    _add_reference("care_group", "co_facilitator_id", "clinician")
    op.add_column("care_group", sa.Column("note_template", sa.String(length=20), nullable=True))

    op.add_column("block_template", sa.Column("effective_from", sa.Date(), nullable=True))
    op.add_column("block_template", sa.Column("effective_until", sa.Date(), nullable=True))
    op.add_column("block_template", sa.Column("room", sa.String(length=100), nullable=True))

    _add_reference("block", "template_id", "block_template")
    op.add_column("block", sa.Column("room", sa.String(length=100), nullable=True))

    op.create_table(
        "schedule_exception",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=True),
        sa.Column("start", sa.Time(), nullable=True),
        sa.Column("end", sa.Time(), nullable=True),
        sa.Column("modality_id", sa.Uuid(), nullable=True),
        sa.Column("room", sa.String(length=100), nullable=True),
        sa.Column("clinician_id", sa.Uuid(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("withdrawn_by", sa.Uuid(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["care_group.id"], name="fk_schedule_exception_group_id_care_group"
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["block_template.id"],
            name="fk_schedule_exception_template_id_block_template",
        ),
        sa.ForeignKeyConstraint(
            ["modality_id"], ["modality.id"], name="fk_schedule_exception_modality_id_modality"
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id"],
            ["clinician.id"],
            name="fk_schedule_exception_clinician_id_clinician",
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["clinician.id"], name="fk_schedule_exception_created_by_clinician"
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by"],
            ["clinician.id"],
            name="fk_schedule_exception_withdrawn_by_clinician",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_schedule_exception"),
    )
    op.create_index("ix_schedule_exception_day", "schedule_exception", ["day"])

    op.add_column(
        "attendance",
        sa.Column("mode", sa.String(length=20), nullable=False, server_default="in_person"),
    )

    op.create_table(
        "participant_change",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("participant_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.String(length=50), nullable=False),
        sa.Column("was", sa.Text(), nullable=True),
        sa.Column("now", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.Uuid(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name="fk_participant_change_participant_id_participant",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"], ["clinician.id"], name="fk_participant_change_changed_by_clinician"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_participant_change"),
    )
    op.create_index(
        "ix_participant_change_participant_id", "participant_change", ["participant_id"]
    )

    _add_reference("enrollment", "transferred_to_id", "enrollment")


def downgrade() -> None:
    raise NotImplementedError("Facilitator never downgrades a clinic's records.")
