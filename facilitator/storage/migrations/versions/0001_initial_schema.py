"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 09:24:49.929447
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('clinician',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('credentials', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('needs_cosignature', sa.Boolean(), nullable=False),
    sa.Column('supervisor_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['supervisor_id'], ['clinician.id'], name=op.f('fk_clinician_supervisor_id_clinician')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinician')),
    sa.UniqueConstraint('username', name=op.f('uq_clinician_username'))
    )
    op.create_table('modality',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('interventions', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_modality')),
    sa.UniqueConstraint('code', name=op.f('uq_modality_code'))
    )
    op.create_table('participant',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('chart_number', sa.String(length=50), nullable=False),
    sa.Column('legal_first', sa.String(length=100), nullable=False),
    sa.Column('legal_last', sa.String(length=100), nullable=False),
    sa.Column('preferred_name', sa.String(length=100), nullable=True),
    sa.Column('pronouns', sa.String(length=50), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('chart_number', name=op.f('uq_participant_chart_number'))
    )
    op.create_table('program',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level_of_care', sa.String(length=100), nullable=False),
    sa.Column('weekly_target_minutes', sa.Integer(), nullable=False),
    sa.Column('daily_minimum_minutes', sa.Integer(), nullable=False),
    sa.Column('note_template', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program')),
    sa.UniqueConstraint('name', name=op.f('uq_program_name'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('occurred_at', sa.DateTime(), nullable=False),
    sa.Column('clinician_id', sa.Uuid(), nullable=True),
    sa.Column('action', sa.String(length=50), nullable=False),
    sa.Column('object_type', sa.String(length=50), nullable=True),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('chain', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], name=op.f('fk_audit_event_clinician_id_clinician')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('sequence', name=op.f('uq_audit_event_sequence'))
    )
    op.create_table('care_group',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('program_id', sa.Uuid(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('room', sa.String(length=100), nullable=False),
    sa.Column('default_facilitator_id', sa.Uuid(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['default_facilitator_id'], ['clinician.id'], name=op.f('fk_care_group_default_facilitator_id_clinician')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_care_group_program_id_program')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_group'))
    )
    with op.batch_alter_table('care_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_group_program_id'), ['program_id'], unique=False)

    op.create_table('curriculum_topic',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('modality_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('objectives', sa.JSON(), nullable=False),
    sa.Column('outline', sa.Text(), nullable=False),
    sa.Column('handouts', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['modality_id'], ['modality.id'], name=op.f('fk_curriculum_topic_modality_id_modality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_curriculum_topic')),
    sa.UniqueConstraint('modality_id', 'title', name=op.f('uq_curriculum_topic_modality_id'))
    )
    with op.batch_alter_table('curriculum_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_curriculum_topic_modality_id'), ['modality_id'], unique=False)

    op.create_table('treatment_goal',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_treatment_goal_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatment_goal'))
    )
    with op.batch_alter_table('treatment_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treatment_goal_participant_id'), ['participant_id'], unique=False)

    op.create_table('block_template',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start', sa.Time(), nullable=False),
    sa.Column('end', sa.Time(), nullable=False),
    sa.Column('modality_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['care_group.id'], name=op.f('fk_block_template_group_id_care_group')),
    sa.ForeignKeyConstraint(['modality_id'], ['modality.id'], name=op.f('fk_block_template_modality_id_modality')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_block_template'))
    )
    with op.batch_alter_table('block_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_block_template_group_id'), ['group_id'], unique=False)

    op.create_table('enrollment',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('admitted', sa.Date(), nullable=False),
    sa.Column('discharged', sa.Date(), nullable=True),
    sa.Column('discharge_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['group_id'], ['care_group.id'], name=op.f('fk_enrollment_group_id_care_group')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_enrollment_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment'))
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_participant_id'), ['participant_id'], unique=False)

    op.create_table('group_session',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('group_id', sa.Uuid(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['care_group.id'], name=op.f('fk_group_session_group_id_care_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_session')),
    sa.UniqueConstraint('group_id', 'day', name=op.f('uq_group_session_group_id'))
    )
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_session_day'), ['day'], unique=False)

    op.create_table('block',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('session_id', sa.Uuid(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('modality_id', sa.Uuid(), nullable=False),
    sa.Column('topic_id', sa.Uuid(), nullable=True),
    sa.Column('free_topic', sa.String(length=300), nullable=True),
    sa.Column('planned_start', sa.Time(), nullable=False),
    sa.Column('planned_end', sa.Time(), nullable=False),
    sa.Column('actual_start', sa.Time(), nullable=True),
    sa.Column('actual_end', sa.Time(), nullable=True),
    sa.Column('interventions', sa.JSON(), nullable=False),
    sa.Column('other_interventions', sa.Text(), nullable=False),
    sa.Column('group_note', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['modality_id'], ['modality.id'], name=op.f('fk_block_modality_id_modality')),
    sa.ForeignKeyConstraint(['session_id'], ['group_session.id'], name=op.f('fk_block_session_id_group_session')),
    sa.ForeignKeyConstraint(['topic_id'], ['curriculum_topic.id'], name=op.f('fk_block_topic_id_curriculum_topic')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_block')),
    sa.UniqueConstraint('session_id', 'sequence', name=op.f('uq_block_session_id'))
    )
    op.create_table('attendance',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('block_id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('arrived', sa.Time(), nullable=True),
    sa.Column('left', sa.Time(), nullable=True),
    sa.Column('absence_reason', sa.String(length=300), nullable=True),
    sa.Column('added_reason', sa.String(length=300), nullable=True),
    sa.Column('removed_reason', sa.String(length=300), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_attendance_block_id_block')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_attendance_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('block_id', 'participant_id', name=op.f('uq_attendance_block_id'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attendance_participant_id'), ['participant_id'], unique=False)

    op.create_table('block_facilitator',
    sa.Column('block_id', sa.Uuid(), nullable=False),
    sa.Column('clinician_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_block_facilitator_block_id_block')),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], name=op.f('fk_block_facilitator_clinician_id_clinician')),
    sa.PrimaryKeyConstraint('block_id', 'clinician_id', name=op.f('pk_block_facilitator'))
    )
    op.create_table('participant_note',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('block_id', sa.Uuid(), nullable=False),
    sa.Column('participant_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('template', sa.String(length=20), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('mood', sa.String(length=100), nullable=True),
    sa.Column('affect', sa.String(length=100), nullable=True),
    sa.Column('participation', sa.String(length=100), nullable=True),
    sa.Column('goals_addressed', sa.JSON(), nullable=False),
    sa.Column('risk_flags', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['clinician.id'], name=op.f('fk_participant_note_author_id_clinician')),
    sa.ForeignKeyConstraint(['block_id'], ['block.id'], name=op.f('fk_participant_note_block_id_block')),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_participant_note_participant_id_participant')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant_note')),
    sa.UniqueConstraint('block_id', 'participant_id', name=op.f('uq_participant_note_block_id'))
    )
    with op.batch_alter_table('participant_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_note_block_id'), ['block_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_note_participant_id'), ['participant_id'], unique=False)

    op.create_table('addendum',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('note_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['clinician.id'], name=op.f('fk_addendum_author_id_clinician')),
    sa.ForeignKeyConstraint(['note_id'], ['participant_note.id'], name=op.f('fk_addendum_note_id_participant_note')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addendum'))
    )
    with op.batch_alter_table('addendum', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_addendum_note_id'), ['note_id'], unique=False)

    op.create_table('signature',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('note_id', sa.Uuid(), nullable=False),
    sa.Column('clinician_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('printed_name', sa.String(length=200), nullable=False),
    sa.Column('credentials', sa.String(length=100), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('meaning', sa.String(length=200), nullable=False),
    sa.Column('attestation', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['clinician_id'], ['clinician.id'], name=op.f('fk_signature_clinician_id_clinician')),
    sa.ForeignKeyConstraint(['note_id'], ['participant_note.id'], name=op.f('fk_signature_note_id_participant_note')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature'))
    )
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signature_note_id'), ['note_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signature_note_id'))

    op.drop_table('signature')
    with op.batch_alter_table('addendum', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_addendum_note_id'))

    op.drop_table('addendum')
    with op.batch_alter_table('participant_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_note_participant_id'))
        batch_op.drop_index(batch_op.f('ix_participant_note_block_id'))

    op.drop_table('participant_note')
    op.drop_table('block_facilitator')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_participant_id'))
        batch_op.drop_index(batch_op.f('ix_attendance_block_id'))

    op.drop_table('attendance')
    op.drop_table('block')
    with op.batch_alter_table('group_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_session_day'))

    op.drop_table('group_session')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_participant_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_group_id'))

    op.drop_table('enrollment')
    with op.batch_alter_table('block_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_block_template_group_id'))

    op.drop_table('block_template')
    with op.batch_alter_table('treatment_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treatment_goal_participant_id'))

    op.drop_table('treatment_goal')
    with op.batch_alter_table('curriculum_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_curriculum_topic_modality_id'))

    op.drop_table('curriculum_topic')
    with op.batch_alter_table('care_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_group_program_id'))

    op.drop_table('care_group')
    op.drop_table('audit_event')
    op.drop_table('setting')
    op.drop_table('program')
    op.drop_table('participant')
    op.drop_table('modality')
    op.drop_table('clinician')

