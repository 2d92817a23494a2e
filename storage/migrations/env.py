"""Alembic environment. The app hands in a live connection (storage.db.upgrade); offline SQL
generation is not used."""

from alembic import context

import storage.models_enforcement  # noqa: F401  (its tables belong to the metadata)
from storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `inspector-bot db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
