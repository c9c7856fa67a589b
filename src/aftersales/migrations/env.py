"""Alembic environment: batch mode on SQLite, URL from the settings or the caller's connection."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import aftersales.models  # noqa: F401  (registers every table on the metadata)
from aftersales.config import get_settings
from aftersales.db.base import Base
from aftersales.db.session import make_engine

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    url = context.config.attributes.get("url") or get_settings().resolved_database_url
    engine = make_engine(url)
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `aftersales db upgrade`")
run_migrations_online()
