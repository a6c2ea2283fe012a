"""Alembic's entry point: migrate the connection the server hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from interlock.server.tables import Base

connection: Connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
