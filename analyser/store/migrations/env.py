"""Alembic environment: run programmatically by :class:`analyser.store.Store` on open.

The Store passes its open connection in ``config.attributes["connection"]``; the command-line
``alembic`` is not needed (``caseqa db upgrade`` runs the same code).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from analyser.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    # Fallback for developers running `alembic` by hand with sqlalchemy.url set.
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///caseqa.db")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():  # pragma: no cover - we never emit SQL scripts
    raise SystemExit("caseqa migrations run online only")
run_migrations_online()
