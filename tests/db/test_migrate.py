"""The schema check every command runs first: its quick head matches Alembic's."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from aftersales.db import migrate


def test_the_quick_head_is_alembics_head() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert migrate.head() == script.get_current_head()


def test_ensure_schema_creates_a_fresh_file_then_finds_it_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    migrate.ensure_schema(engine)
    assert migrate.current_revision(engine) == migrate.head()
    assert inspect(engine).has_table("daily_sales")
    upgrades: list[object] = []
    monkeypatch.setattr(migrate, "upgrade", lambda *args, **kwargs: upgrades.append(args))
    migrate.ensure_schema(engine)  # current: no upgrade
    assert upgrades == []
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0014'")
    migrate.ensure_schema(engine)  # behind: upgraded
    assert len(upgrades) == 1
    engine.dispose()
