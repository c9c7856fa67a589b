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


def test_results_keep_their_explanations_across_0024(tmp_path: Path) -> None:
    """0024 drops the results' store key and stores explanations as text: the rows a run
    wrote before it read the same after it, and after going back."""
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, revision="0023")
    explanation = '[2,{"7":[1.0,7.0,7.0,7.0]},"store","sea",[1],[2],[3],[4],[5],[null,null]]'
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO stores (id, name, region, created_at) VALUES (1, 'a', 'NA', '2026-11-26')"
        )
        connection.exec_driver_sql(
            "INSERT INTO replenishment_results (run_id, store_id, marketplace_id, sku, velocity,"
            " fba_stock, inbound_stock, other_stock, send_quantity, buy_quantity,"
            " transfer_quantity, cap_applied, band, explanation)"
            " VALUES (1, 1, 'ATVPDKIKX0DER', 'SKU-1', 1.0, 0, 0, 0, 0, 0, 0, 0, 'healthy', ?)",
            (explanation,),
        )

    def state() -> tuple[list[object], str]:
        keys = inspect(engine).get_foreign_keys("replenishment_results")
        with engine.connect() as connection:
            stored = connection.exec_driver_sql(
                "SELECT explanation FROM replenishment_results"
            ).scalar_one()
        return [key["referred_table"] for key in keys], stored

    assert state() == (["stores"], explanation)
    migrate.upgrade(engine, revision="0024")
    assert state() == ([], explanation)
    columns = {c["name"]: c for c in inspect(engine).get_columns("replenishment_results")}
    assert str(columns["explanation"]["type"]) == "TEXT"
    from alembic import command

    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0023")
    assert state() == (["stores"], explanation)
    engine.dispose()


def test_results_keep_their_rows_across_0025(tmp_path: Path) -> None:
    """0025 keys the results by their listing (no id, no band index): the rows a run wrote
    before it are the same after it, and after going back (numbered again)."""
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, revision="0024")
    with engine.begin() as connection:
        for sku, band in (("SKU-1", "healthy"), ("SKU-2", "order_now")):
            connection.exec_driver_sql(
                "INSERT INTO replenishment_results (run_id, store_id, marketplace_id, sku,"
                " velocity, fba_stock, inbound_stock, other_stock, send_quantity, buy_quantity,"
                " transfer_quantity, cap_applied, band, explanation)"
                " VALUES (1, 1, 'ATVPDKIKX0DER', ?, 1.5, 3, 0, 0, 0, 0, 0, 0, ?, '[3]')",
                (sku, band),
            )

    def rows() -> list[tuple[object, ...]]:
        with engine.connect() as connection:
            return list(
                connection.exec_driver_sql(
                    "SELECT store_id, marketplace_id, sku, velocity, band, explanation"
                    " FROM replenishment_results ORDER BY sku"
                )
            )

    def shape() -> tuple[list[str], bool, list[str]]:
        table = inspect(engine)
        return (
            table.get_pk_constraint("replenishment_results")["constrained_columns"],
            "id" in {c["name"] for c in table.get_columns("replenishment_results")},
            sorted(i["name"] for i in table.get_indexes("replenishment_results")),
        )

    before = rows()
    assert shape() == (["id"], True, ["ix_replenishment_results_store_band"])
    migrate.upgrade(engine, revision="0025")
    assert rows() == before
    assert shape() == (["store_id", "marketplace_id", "sku"], False, [])
    from alembic import command

    config = migrate.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0024")
    assert rows() == before
    assert shape() == (["id"], True, ["ix_replenishment_results_store_band"])
    with engine.connect() as connection:
        ids = connection.exec_driver_sql("SELECT id FROM replenishment_results ORDER BY id")
        assert [row[0] for row in ids] == [1, 2]
    unique = inspect(engine).get_unique_constraints("replenishment_results")
    assert [u["column_names"] for u in unique] == [["store_id", "marketplace_id", "sku"]]
    engine.dispose()
