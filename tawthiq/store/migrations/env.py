"""Alembic's environment for Tawthiq: migrations run on the connection the store hands over (never from a URL here)."""

from __future__ import annotations

from alembic import context

from tawthiq.store.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    transactional_ddl=False,  # the store wraps the whole upgrade in one transaction of its own
)
context.run_migrations()
