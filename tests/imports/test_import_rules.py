"""Bad input writes nothing and names the line; re-imports and overlaps never duplicate."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aftersales.config import get_settings
from aftersales.db.base import Base
from aftersales.imports.service import ImportRejected
from aftersales.models import FbaReturn, ImportBatch, Store
from aftersales.stores import service as store_service
from aftersales.stores.service import StoreAmbiguous
from tests.conftest import DATA, run_import


def _row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
        if table.name != "marketplaces"
    }


def test_bad_rows_reject_the_file_and_write_nothing(session: Session) -> None:
    before = _row_counts(session)
    with pytest.raises(ImportRejected) as rejected:
        run_import(session, "fba_returns_bad_rows.txt", marketplace="US")
    session.rollback()
    errors = [(e.line, e.column, e.value, e.message) for e in rejected.value.result.errors]
    assert errors == [
        (3, "quantity", "one", "not a whole number"),
        (4, "order-id", "", "required value is empty"),
    ]
    assert (
        "fba_returns_bad_rows.txt: line 3, column 'quantity', value 'one'" in rejected.value.message
    )
    assert _row_counts(session) == before  # not even the default store or the batch


def test_missing_required_column_is_an_error_naming_it(session: Session, store: Store) -> None:
    with pytest.raises(ImportRejected) as rejected:
        run_import(session, "fba_returns_missing_column.txt", marketplace="US")
    error = rejected.value.result.errors[0]
    assert (error.line, error.column) == (1, "quantity")
    assert "required column(s) missing: quantity" in error.message


def test_skip_bad_rows_keeps_the_good_ones_and_records_the_rest(
    session: Session, store: Store
) -> None:
    result = run_import(session, "fba_returns_bad_rows.txt", marketplace="US", skip_bad_rows=True)
    assert (result.rows, result.inserted, result.rejected) == (4, 2, 2)
    batch = session.get(ImportBatch, result.batch_id)
    assert batch is not None
    assert batch.status == "completed_with_rejections"
    assert [(e["line"], e["column"]) for e in batch.errors or []] == [
        (3, "quantity"),
        (4, "order-id"),
    ]
    assert session.scalar(select(func.count()).select_from(FbaReturn)) == 2


def test_overlapping_reports_update_instead_of_duplicating(session: Session, store: Store) -> None:
    run_import(session, "fba_returns_us.txt", marketplace="US")
    overlap = run_import(session, "fba_returns_us_overlap.txt", marketplace="US")
    # kettle unchanged, the reimbursed unit's status changed, one new unit listed twice
    assert (
        overlap.rows,
        overlap.inserted,
        overlap.updated,
        overlap.unchanged,
        overlap.duplicates,
    ) == (4, 1, 1, 1, 1)
    assert session.scalar(select(func.count()).select_from(FbaReturn)) == 5
    status = session.scalar(
        select(FbaReturn.status).where(FbaReturn.license_plate_number == "LPNCCCCCCCCC")
    )
    assert status == "Unit returned to inventory"


def test_chunk_boundaries_keep_line_numbers_and_counts(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "import_chunk_rows", 1)
    with pytest.raises(ImportRejected) as rejected:
        run_import(session, "fba_returns_bad_rows.txt", marketplace="US")
    assert [e.line for e in rejected.value.result.errors] == [3, 4]
    session.rollback()
    first = run_import(session, "fba_returns_us.txt", marketplace="US")
    again = run_import(session, "fba_returns_us.txt", marketplace="US")
    assert (first.inserted, again.unchanged) == (4, 4)


def test_broken_line_and_undecodable_bytes_are_named(
    session: Session, store: Store, tmp_path: Path
) -> None:
    lines = (DATA / "fba_returns_us.txt").read_text().splitlines()
    lines[2] += "\tsurplus"
    broken = tmp_path / "broken.txt"
    broken.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportRejected) as rejected:
        run_import(session, broken, marketplace="US")
    assert rejected.value.result.errors[0].line == 3
    assert "14 fields but the header has 13" in rejected.value.result.errors[0].message
    session.rollback()
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(
        (DATA / "fba_returns_us.txt").read_bytes() + b"\x81\x8d\x8f\x90\x9d\xff\xfe\n"
    )
    with pytest.raises(ImportRejected, match="neither UTF-8, cp1252"):
        run_import(session, garbage, marketplace="US")


def test_empty_database_gets_a_default_store_and_several_stores_need_a_name(
    session: Session,
) -> None:
    result = run_import(session, "fba_returns_us.txt", marketplace="US")
    assert result.store == "default"
    store_service.add_store(session, name="second", region="EU")
    with pytest.raises(StoreAmbiguous, match="pass --store"):
        run_import(session, "fba_returns_us.txt", marketplace="US")
    assert run_import(session, "fba_returns_us.txt", store="second").inserted == 4


def test_big_sqlite_loads_rebuild_secondary_indexes(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import inspect

    from aftersales.imports import repository

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("the index rebuild is a SQLite bulk-load path")
    monkeypatch.setattr(repository, "BULK_MIN_ROWS", 1)
    monkeypatch.setattr(get_settings(), "import_chunk_rows", 2)
    expected = {ix["name"] for ix in inspect(session.connection()).get_indexes("fba_returns")}
    with pytest.raises(ImportRejected):
        run_import(session, "fba_returns_bad_rows.txt", marketplace="US")
    session.rollback()
    assert {
        ix["name"] for ix in inspect(session.connection()).get_indexes("fba_returns")
    } == expected
    result = run_import(session, "fba_returns_us.txt", marketplace="US")
    assert result.inserted == 4
    assert {
        ix["name"] for ix in inspect(session.connection()).get_indexes("fba_returns")
    } == expected
