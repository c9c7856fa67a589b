"""The command line end to end on a SQLite file: JSON summaries, exit codes, exports, history."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from aftersales.cli import app
from aftersales.config import get_settings
from tests.conftest import DATA

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_prints_one_json_object_per_file(cli_database: str) -> None:
    code, out, _ = invoke(
        "import",
        str(DATA / "fba_returns_us.txt"),
        str(DATA / "all_orders_us_ca.txt.gz"),
        "--marketplace",
        "US",
        "--json",
    )
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["report_type"] for line in lines] == [
        "GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA",
        "GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL",
    ]
    assert {
        "file",
        "report_type",
        "rows",
        "inserted",
        "updated",
        "unchanged",
        "rejected",
        "errors",
    } <= set(lines[0])
    assert (lines[0]["rows"], lines[0]["inserted"]) == (4, 4)
    code, out, _ = invoke("import", str(DATA / "fba_returns_us.txt"), "--json")
    assert json.loads(out)["unchanged"] == 4


def test_bad_file_exits_2_names_the_line_and_writes_nothing(cli_database: str) -> None:
    code, _, err = invoke("import", str(DATA / "fba_returns_bad_rows.txt"), "--marketplace", "US")
    assert code == 2
    assert "line 3, column 'quantity', value 'one': not a whole number" in err
    assert "nothing from this file was written" in err
    code, out, _ = invoke("export", "returns")
    assert (code, out) == (0, "")
    code, out, _ = invoke("imports", "--json")
    assert out == ""


def test_json_mode_reports_rejections_too(cli_database: str) -> None:
    code, out, _ = invoke("import", str(DATA / "fba_returns_missing_column.txt"), "--json")
    assert code == 2
    summary = json.loads(out)
    assert summary["errors"][0]["column"] == "quantity"
    assert summary["inserted"] == 0


def test_export_csv_and_jsonl_filtered_by_marketplace(cli_database: str) -> None:
    invoke("import", str(DATA / "all_orders_us_ca.txt.gz"))
    code, out, _ = invoke("export", "orders", "--marketplace", "CA", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["amazon_order_id"], r["marketplace"], r["store"]) for r in rows] == [
        ("702-0000000-1111111", "CA", "default")
    ]
    code, out, _ = invoke("export", "order-items", "--format", "jsonl")
    items = [json.loads(line) for line in out.splitlines()]
    assert len(items) == 5
    assert {
        i["item_price"] for i in items if i["sku"] == "LM-KT-0043-RED" and i["quantity"] == 2
    } == {"59.98"}
    code, _, err = invoke("export", "unicorns")
    assert code == 2
    assert "unknown entity" in err


def test_stores_and_history(cli_database: str) -> None:
    assert invoke("stores", "add", "lumen-na", "--region", "NA")[0] == 0
    assert invoke("stores", "add", "lumen-eu", "--region", "EU")[0] == 0
    code, _, err = invoke("stores", "add", "lumen-eu", "--region", "EU")
    assert code == 2
    assert "already exists" in err
    code, _, err = invoke("import", str(DATA / "fba_returns_us.txt"))
    assert code == 2
    assert "pass --store" in err
    code, out, _ = invoke(
        "import", str(DATA / "fba_returns_us.txt"), "--store", "lumen-na", "--json"
    )
    assert code == 0
    assert json.loads(out)["store"] == "lumen-na"
    code, out, _ = invoke("imports", "--json")
    history = [json.loads(line) for line in out.splitlines()]
    assert [(h["store"], h["file"], h["inserted"]) for h in history] == [
        ("lumen-na", "fba_returns_us.txt", 4)
    ]


def test_db_upgrade_on_a_fresh_file(cli_database: str) -> None:
    from alembic.script import ScriptDirectory

    from aftersales.db.migrate import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    code, out, _ = invoke("db", "upgrade")
    assert code == 0
    assert head is not None
    assert head in out


def test_messages_follow_the_language_setting_or_the_terminal(
    cli_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AFTERSALES_LANGUAGE", "zh_CN")
    get_settings.cache_clear()
    code, out, _ = invoke("stores", "add", "shenzhen", "--region", "EU")
    assert code == 0
    assert "店铺 'shenzhen'（EU）已创建" in out
    code, _, err = invoke("import", str(DATA / "fba_returns_bad_rows.txt"), "--store", "shenzhen")
    assert code == 2
    assert "已拒绝" in err
    assert "此文件的任何内容都未写入" in err
    # Without the setting, the terminal's language decides.
    monkeypatch.setenv("AFTERSALES_LANGUAGE", "")
    monkeypatch.setenv("LC_ALL", "")
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    get_settings.cache_clear()
    code, out, _ = invoke("stores", "add", "hangzhou", "--region", "FE")
    assert "店铺 'hangzhou'（FE）已创建" in out
    monkeypatch.setenv("LANG", "C.UTF-8")
    code, out, _ = invoke("stores", "add", "tokyo", "--region", "FE")
    assert "store 'tokyo' (FE) created" in out


def test_a_command_checks_the_schema_once_per_database(
    cli_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`replenishment run` opens a unit of work per store, the schema is checked (and a
    fresh file created) by the first only."""
    from aftersales.db import migrate

    checks: list[str] = []
    ensure = migrate.ensure_schema

    def counted(*args: object, **kwargs: object) -> None:
        checks.append(get_settings().resolved_database_url)
        ensure(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(migrate, "ensure_schema", counted)
    for name in ("a", "b"):
        assert invoke("stores", "add", name, "--region", "NA")[0] == 0
    code, out, _ = invoke("replenishment", "run", "--as-of", "2026-06-01", "--json")
    assert code == 0, out
    assert [json.loads(line)["store"] for line in out.splitlines()] == ["a", "b"]
    assert checks == [get_settings().resolved_database_url]
