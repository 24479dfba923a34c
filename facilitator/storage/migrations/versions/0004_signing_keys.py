"""signing keys: each clinician's PDF signing key pair and the clinic's certificate

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('signing_authority',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('clinic_id', sa.String(length=64), nullable=False),
    sa.Column('certificate', sa.LargeBinary(), nullable=False),
    sa.Column('encrypted_key', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_authority'))
    )
    op.create_table('signing_key',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('clinician_id', sa.Uuid(), nullable=False),
    sa.Column('authority_id', sa.Uuid(), nullable=False),
    sa.Column('certificate', sa.LargeBinary(), nullable=False),
    sa.Column('encrypted_key', sa.LargeBinary(), nullable=True),
    sa.Column('key_protection', sa.JSON(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('retired_at', sa.DateTime(), nullable=True),
    sa.Column('retired_reason', sa.String(length=50), nullable=True),
    sa.ForeignKeyConstraint(['authority_id'], ['signing_authority.id'], name=op.f('fk_signing_key_authority_id_signing_authority')),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], name=op.f('fk_signing_key_clinician_id_clinician')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_key'))
    )
    op.create_index(op.f('ix_signing_key_clinician_id'), 'signing_key', ['clinician_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_signing_key_clinician_id'), table_name='signing_key')
    op.drop_table('signing_key')
    op.drop_table('signing_authority')
