"""supervision records and their actions (the audit loop)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('supervisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=False),
    sa.Column('date', sa.String(length=10), nullable=False),
    sa.Column('since', sa.String(length=10), nullable=True),
    sa.Column('due_working_days', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('worker', 'date', name='uq_supervisions_worker_date')
    )
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervisions_worker'), ['worker'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervisions_date'), ['date'], unique=False)

    op.create_table('supervision_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supervision_id', sa.Integer(), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=False),
    sa.Column('team', sa.String(length=200), nullable=True),
    sa.Column('record_id', sa.String(length=300), nullable=False),
    sa.Column('record_version_first_seen', sa.Integer(), nullable=False),
    sa.Column('dimension', sa.String(length=60), nullable=False),
    sa.Column('finding_key', sa.String(length=200), nullable=False),
    sa.Column('finding_keys', sa.JSON(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('what', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('due', sa.String(length=10), nullable=False),
    sa.Column('raised_on', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('closed_on', sa.String(length=10), nullable=True),
    sa.Column('closed_version', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['supervision_id'], ['supervisions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('supervision_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supervision_actions_supervision_id'), ['supervision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_actions_worker'), ['worker'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_actions_team'), ['team'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_actions_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervision_actions_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('supervision_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervision_actions_status'))
        batch_op.drop_index(batch_op.f('ix_supervision_actions_record_id'))
        batch_op.drop_index(batch_op.f('ix_supervision_actions_team'))
        batch_op.drop_index(batch_op.f('ix_supervision_actions_worker'))
        batch_op.drop_index(batch_op.f('ix_supervision_actions_supervision_id'))
    op.drop_table('supervision_actions')
    with op.batch_alter_table('supervisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisions_date'))
        batch_op.drop_index(batch_op.f('ix_supervisions_worker'))
    op.drop_table('supervisions')
