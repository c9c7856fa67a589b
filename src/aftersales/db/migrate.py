"""Run the Alembic migrations from code, so any command can initialise a fresh database."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from aftersales.db.session import get_engine

if TYPE_CHECKING:
    from alembic.config import Config

_REVISION = re.compile(r'^(down_revision|revision) = (?:"([^"]+)"|None)$', re.MULTILINE)


def alembic_config(url: str | None = None) -> Config:
    # Alembic is imported when a migration may run: every command checks the schema first,
    # and loading Alembic costs more than the check (see ``head``).
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("aftersales") / "migrations"))
    if url:
        config.attributes["url"] = url
    return config


def upgrade(engine: Engine | None = None, revision: str = "head") -> None:
    from alembic import command

    engine = engine or get_engine()
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine | None = None) -> str | None:
    engine = engine or get_engine()
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
        return str(row[0]) if row else None


@cache
def head() -> str | None:
    """The newest revision, read from the migration files' ``revision`` / ``down_revision``
    lines (the one no other revision follows); None when they do not make one chain, and
    then Alembic decides. tests/db checks it against Alembic's own answer."""
    revisions: dict[str, str | None] = {}
    versions = resources.files("aftersales") / "migrations" / "versions"
    for script in versions.iterdir():
        if not script.name.endswith(".py"):
            continue
        found = dict((name, value or None) for name, value in _REVISION.findall(script.read_text()))
        if "revision" not in found or found["revision"] is None:
            return None
        revisions[found["revision"]] = found.get("down_revision")
    followed = set(revisions.values())
    heads = [revision for revision in revisions if revision not in followed]
    return heads[0] if len(heads) == 1 and len(followed) == len(revisions) else None


def ensure_schema(engine: Engine | None = None) -> None:
    """Bring the database to the latest schema (a no-op when it already is)."""
    newest = head()
    if newest is None or current_revision(engine) != newest:
        upgrade(engine)
