"""records.link_key: a child's records found through an index, never a scan

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 10:00:00

Drift follows a child's records. Linking by name plus date of birth used to read every record without
a child id; the key is now computed when a record is written (analyser.linking.stored_link_key) and
indexed. Existing rows are filled in here, in pages, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

PAGE = 2000


def upgrade() -> None:
    from analyser.linking import stored_link_key

    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_key', sa.String(length=400), nullable=True))
        batch_op.create_index(batch_op.f('ix_records_link_key'), ['link_key'], unique=False)
    conn = op.get_bind()
    records = sa.table('records', sa.column('id', sa.Integer), sa.column('child_name', sa.String),
                       sa.column('fields', sa.JSON), sa.column('link_key', sa.String), sa.column('team', sa.String))
    last = 0
    while True:
        rows = conn.execute(sa.select(records.c.id, records.c.child_name, records.c.fields, records.c.team)
                            .where(records.c.id > last).order_by(records.c.id).limit(PAGE)).all()
        if not rows:
            break
        updates = []
        for pk, name, fields, team in rows:
            if isinstance(fields, str):  # a JSON column read through a plain table may come back as text
                fields = json.loads(fields)
            # The record's team (its first owner's, after migration 0003) is part of a name+dob key.
            key = stored_link_key({**(fields or {}), **({"team": team} if team else {})}, name)
            if key:
                updates.append({"pk": pk, "key": key})
        if updates:
            conn.execute(records.update().where(records.c.id == sa.bindparam("pk")).values(link_key=sa.bindparam("key")),
                         updates)
        last = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_records_link_key'))
        batch_op.drop_column('link_key')
