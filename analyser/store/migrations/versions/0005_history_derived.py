"""records.fields.history keeps derived facts only; name+dob link keys are digests

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 01:00:00

The facts drift needs used to be stored as read: the child's full name, date of birth and the progress
sentences verbatim, even for records stored without their text, and the link key spelt out the name
and birthday. Existing rows are rewritten here, in pages: the name and date of birth become the digest
the link needs (analyser.linking.name_dob_digest), progress sentences of records without stored text
their content words (analyser.drift.stored_history), and link keys are computed again from that.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

PAGE = 1000


def upgrade() -> None:
    from analyser.drift import stored_history
    from analyser.linking import stored_link_key

    conn = op.get_bind()
    records = sa.table('records', sa.column('id', sa.Integer), sa.column('child_name', sa.String),
                       sa.column('fields', sa.JSON), sa.column('link_key', sa.String), sa.column('team', sa.String),
                       sa.column('text', sa.Text))
    last = 0
    while True:
        rows = conn.execute(sa.select(records.c.id, records.c.child_name, records.c.fields, records.c.team,
                                      records.c.text.is_not(None))
                            .where(records.c.id > last).order_by(records.c.id).limit(PAGE)).all()
        if not rows:
            break
        updates = []
        for pk, name, fields, team, has_text in rows:
            if isinstance(fields, str):  # a JSON column read through a plain table may come back as text
                fields = json.loads(fields)
            fields = dict(fields or {})
            history = fields.get("history")
            if not isinstance(history, dict) or "name_dob" in history or not (
                    "dob" in history or "child_full_name" in history or "progress" in history):
                continue
            base = {**{k: v for k, v in fields.items() if k != "history"}, **({"team": team} if team else {})}
            fields["history"] = stored_history(history, base, name, keep_text=bool(has_text))
            updates.append({"pk": pk, "f": fields, "key": stored_link_key({**base, "history": fields["history"]}, name)})
        if updates:
            conn.execute(records.update().where(records.c.id == sa.bindparam("pk"))
                         .values(fields=sa.bindparam("f", type_=sa.JSON), link_key=sa.bindparam("key")), updates)
        last = rows[-1][0]


def downgrade() -> None:
    # The names, birthdays and sentences are not kept anywhere to restore: the facts stay derived.
    pass
