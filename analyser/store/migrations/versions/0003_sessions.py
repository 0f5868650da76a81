"""server-side web sessions; record versions keep their first owner and team

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sessions_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sessions_expires_at'), ['expires_at'], unique=False)
    # Visibility follows a record's first owner and team: versions stored under someone else's name or
    # team before this rule (an upload named after another team's record) go back to the first owner.
    op.execute(
        "UPDATE records SET "
        "team = (SELECT f.team FROM records f WHERE f.record_id = records.record_id AND f.version = 1), "
        "submitted_by = (SELECT f.submitted_by FROM records f WHERE f.record_id = records.record_id AND f.version = 1) "
        "WHERE version > 1 AND EXISTS (SELECT 1 FROM records f WHERE f.record_id = records.record_id AND f.version = 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table('sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sessions_expires_at'))
        batch_op.drop_index(batch_op.f('ix_sessions_user_id'))
    op.drop_table('sessions')
