"""signing keys: each clinician's PDF signing key pair and the clinic's certificate

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # PLACEHOLDER(pdf-signatures): filled in this session, removed if it stays empty


def downgrade() -> None:
    pass
