"""stockout_spans kept by the import: a snapshot with no fulfillable unit stands for the days
up to the listing's next snapshot (at most SNAPSHOT_VALID_DAYS); reports imported late, out
of order or changed keep the spans what the whole history gives; the migration's backfill
agrees; a run and a backtest count the out-of-stock days from them."""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from aftersales.models import StockoutSpan, Store
from aftersales.replenishment import inputs, latest_stock
from aftersales.replenishment import repository as run_repository
from tests.replenishment.test_latest_stock import _import, _myi

US = "ATVPDKIKX0DER"


def _days(*pairs: tuple[str, int]) -> pl.DataFrame:
    """Snapshot days of listing (US, A): ("2026-05-01", fulfillable), …"""
    return pl.DataFrame(
        {
            "marketplace_id": [US] * len(pairs),
            "sku": ["A"] * len(pairs),
            "snapshot_date": [date.fromisoformat(day) for day, _ in pairs],
            "fulfillable": [units for _, units in pairs],
        }
    )


def _spans(frame: pl.DataFrame) -> list[tuple[str, date, date]]:
    return sorted(frame.select("sku", "first_day", "last_day").iter_rows())


def test_a_snapshot_with_no_stock_stands_until_the_next_one_for_at_most_a_week() -> None:
    days = _days(
        ("2026-05-01", 0),  # next snapshot on the 3rd: the 1st and 2nd
        ("2026-05-03", 5),
        ("2026-05-10", 0),  # next on the 20th: a week, the 10th to the 16th
        ("2026-05-20", -2),  # the newest: a week
    )
    assert _spans(inputs.stockout_spans(days)) == [
        ("A", date(2026, 5, 1), date(2026, 5, 2)),
        ("A", date(2026, 5, 10), date(2026, 5, 16)),
        ("A", date(2026, 5, 20), date(2026, 5, 26)),
    ]
    spans = inputs.stockout_spans(days)
    sales = pl.DataFrame(
        {
            "marketplace_id": [US, US],
            "sku": ["A", "A"],
            "day": [date(2026, 5, 12), date(2026, 5, 13)],
            "units": [2, 0],
        }
    )
    out = inputs.out_of_stock_days(sales, spans, first=date(2026, 5, 2), as_of=date(2026, 5, 22))
    # From the 2nd (first) to the 21st (the day before as_of); a day with a sale had stock.
    expected = [2, 10, 11, 13, 14, 15, 16, 20, 21]
    assert sorted(out.get_column("day").to_list()) == [date(2026, 5, d) for d in expected]


def _kept(session: Session, store: Store) -> list[tuple[str, date, date]]:
    rows = session.scalars(select(StockoutSpan).where(StockoutSpan.store_id == store.id))
    return sorted((row.sku, row.first_day, row.last_day) for row in rows)


def _from_history(session: Session, store: Store) -> list[tuple[str, date, date]]:
    return _spans(inputs.stockout_spans(run_repository.snapshot_days(session, store_id=store.id)))


def test_the_import_keeps_the_spans_whatever_order_reports_come_in(
    session: Session, store: Store, tmp_path: Path
) -> None:
    def myi(day: date, rows: dict[str, tuple[int, int]]) -> None:
        _import(session, store, _myi(tmp_path / f"{day}.txt", rows), day)

    may = [date(2026, 5, d) for d in range(1, 32)]
    myi(may[9], {"A": (0, 0), "B": (3, 0)})
    assert _kept(session, store) == [("A", may[9], may[15])]
    # A report three days later with stock ends A's span and starts B's.
    myi(may[12], {"A": (4, 0), "B": (0, 0)})
    assert _kept(session, store) == [("A", may[9], may[11]), ("B", may[12], may[18])]
    # An older report imported late: A was out on the 5th too, until the 10th's report.
    myi(may[4], {"A": (0, 0)})
    assert _kept(session, store) == [
        ("A", may[4], may[8]),
        ("A", may[9], may[11]),
        ("B", may[12], may[18]),
    ]
    # A report between two others shortens the span before it (B in stock on the 15th).
    myi(may[14], {"B": (6, 0)})
    assert _kept(session, store)[-1] == ("B", may[12], may[13])
    # The same day's report again, now with stock: A's span of the 10th goes.
    myi(may[9], {"A": (2, 0), "B": (3, 0)})
    assert ("A", may[9], may[11]) not in _kept(session, store)
    # An AFN report of a day with no MYI report counts its condition lines together.
    _import(session, store, "afn_inventory.txt", may[20])
    assert _kept(session, store) == _from_history(session, store)
    # The newest day again, its MYI report now (the more complete): A out of stock, then not.
    myi(may[20], {"A": (0, 0), "B": (5, 0)})
    assert ("A", may[20], may[26]) in _kept(session, store)
    assert _kept(session, store) == _from_history(session, store)
    myi(may[20], {"A": (1, 0), "B": (5, 0)})
    assert [span for span in _kept(session, store) if span[1] == may[20]] == []
    assert _kept(session, store) == _from_history(session, store)
    # What the run reads for a window.
    read = run_repository.stockout_spans(session, store_id=store.id, first=may[10], last=may[13])
    assert _spans(read) == [("B", may[12], may[13])]


def test_the_migrations_backfill_and_the_rebuild_agree_with_the_import(
    session: Session, store: Store, tmp_path: Path
) -> None:
    for offset, rows in enumerate(
        [{"A": (0, 0), "B": (3, 0)}, {"A": (4, 0), "B": (0, 0)}, {"A": (0, 2)}]
    ):
        day = date(2026, 5, 1) + timedelta(days=3 * offset)
        _import(session, store, _myi(tmp_path / f"{day}.txt", rows), day)
    _import(session, store, "afn_inventory.txt", date(2026, 5, 4))
    _import(session, store, "afn_inventory.txt", date(2026, 5, 20))
    kept = _kept(session, store)
    assert kept == _from_history(session, store)
    assert len(kept) >= 3
    migration = importlib.import_module(
        "aftersales.migrations.versions.20261126_0021_stockout_spans"
    )
    session.execute(StockoutSpan.__table__.delete())
    dialect = session.get_bind().dialect.name
    session.execute(text(migration.BACKFILL.format(last_day=migration.LAST_DAY[dialect])))
    assert _kept(session, store) == kept
    session.execute(StockoutSpan.__table__.delete())
    latest_stock.refresh(session, store_id=store.id)
    assert _kept(session, store) == kept
