"""child_keys: children are addressed by an opaque key, never by a child id, a name or a birthday

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 12:00:00

A child's timeline used to be at /v1/children/<child id or name>/timeline?dob=<date of birth>, so
names and birthdays travelled in URLs (browser history, proxies, access logs). Each child now gets a
random key, made on first use, mapped here to the records' link key (records.link_key).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('child_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('link_key', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key'),
    sa.UniqueConstraint('link_key'),
    )


def downgrade() -> None:
    op.drop_table('child_keys')
