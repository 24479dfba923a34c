"""accounts: lockout after failed logins, password changes

Revision ID: 0002
Revises: 0001

- clinician.must_change_password (after an administrator set or reset the password),
  password_changed_at and last_login_at;
- login_throttle: failed sign-ins per username (as an HMAC), the earliest next attempt and the
  end of a lockout.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, not a batch rebuild: clinician is referenced by most tables, and SQLite
    # adds a NOT NULL column in place when it has a default.
    op.add_column(
        "clinician",
        sa.Column("must_change_password", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("clinician", sa.Column("password_changed_at", sa.DateTime(), nullable=True))
    op.add_column("clinician", sa.Column("last_login_at", sa.DateTime(), nullable=True))
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("key", name="pk_login_throttle"),
    )


def downgrade() -> None:
    op.drop_table("login_throttle")
    for column in ("last_login_at", "password_changed_at", "must_change_password"):
        op.drop_column("clinician", column)  # SQLite 3.35+ drops a plain column in place
