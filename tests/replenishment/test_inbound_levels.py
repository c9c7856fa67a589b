"""inbound_levels kept by the import: a listing's inbound units on the snapshot days they
changed; reports imported late, out of order or again keep them what the whole history
gives (also the day after a late report, and after a long gap); the migration's backfill and
the rebuild agree; a run dates the units from them as it did from every snapshot."""

from __future__ import annotations

import importlib
from datetime import date, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from aftersales.models import InboundLevel, Store
from aftersales.replenishment import inbound_eta, latest_stock
from aftersales.replenishment import repository as run_repository
from tests.replenishment.test_latest_stock import _import, _myi

US = "ATVPDKIKX0DER"
Level = tuple[str, date, int, int, int]


def _days(*rows: tuple[str, str, int, int, int]) -> pl.DataFrame:
    """Snapshot days of listings in US: (sku, "2026-05-01", working, shipped, receiving), …"""
    return pl.DataFrame(
        {
            "marketplace_id": [US] * len(rows),
            "sku": [sku for sku, *_ in rows],
            "snapshot_date": [date.fromisoformat(day) for _, day, *_ in rows],
            "fulfillable": [1] * len(rows),
            **{
                name: [row[2 + position] for row in rows]
                for position, name in enumerate(inbound_eta.COLUMNS)
            },
        }
    )


def _levels(frame: pl.DataFrame) -> list[Level]:
    columns = ["sku", "day", *inbound_eta.COLUMNS]
    return sorted(frame.select(columns).iter_rows())


def test_a_level_is_kept_on_the_days_it_changed() -> None:
    days = _days(
        ("A", "2026-05-03", 10, 0, 0),  # the first day: from nothing
        ("A", "2026-05-01", 0, 0, 0),  # before it, none: no row (out of order on purpose)
        ("A", "2026-05-05", 10, 0, 0),  # the same
        ("A", "2026-05-09", 0, 10, 0),  # shipped
        ("A", "2026-05-12", 0, 4, 6),  # partly received
        ("A", "2026-05-20", 0, 0, 0),  # all in stock
        ("B", "2026-05-05", 0, 0, 0),  # never inbound: no row
    )
    assert _levels(inbound_eta.levels(days)) == [
        ("A", date(2026, 5, 3), 10, 0, 0),
        ("A", date(2026, 5, 9), 0, 10, 0),
        ("A", date(2026, 5, 12), 0, 4, 6),
        ("A", date(2026, 5, 20), 0, 0, 0),
    ]
    # From a level in effect before the days: A's unchanged 3rd is no change, B's zero is.
    before = pl.DataFrame(
        {"marketplace_id": [US, US], "sku": ["A", "B"], "day": [date(2026, 4, 1)] * 2}
    ).with_columns(
        inbound_working=pl.Series([10, 0]),
        inbound_shipped=pl.Series([0, 7]),
        inbound_receiving=pl.Series([0, 0]),
    )
    later = days.filter(pl.col("snapshot_date") >= date(2026, 5, 3))
    assert _levels(inbound_eta.levels(later, before)) == [
        ("A", date(2026, 5, 9), 0, 10, 0),
        ("A", date(2026, 5, 12), 0, 4, 6),
        ("A", date(2026, 5, 20), 0, 0, 0),
        ("B", date(2026, 5, 5), 0, 0, 0),
    ]


def _kept(session: Session, store: Store) -> list[Level]:
    rows = session.scalars(select(InboundLevel).where(InboundLevel.store_id == store.id))
    return sorted(
        (row.sku, row.day, row.inbound_working, row.inbound_shipped, row.inbound_receiving)
        for row in rows
    )


def _from_history(session: Session, store: Store) -> list[Level]:
    days = run_repository.snapshot_days(session, store_id=store.id)
    return _levels(inbound_eta.levels(days))


def test_the_import_keeps_the_levels_whatever_order_reports_come_in(
    session: Session, store: Store, tmp_path: Path
) -> None:
    def myi(day: date, rows: dict[str, tuple[int, int]]) -> None:
        """A MYI report of ``day``: {sku: (fulfillable, inbound shipped)}."""
        _import(session, store, _myi(tmp_path / f"{day}.txt", rows), day)
        assert _kept(session, store) == _from_history(session, store)

    may = [date(2026, 5, d) for d in range(1, 32)]
    myi(may[9], {"A": (1, 5), "B": (3, 0)})
    assert _kept(session, store) == [("A", may[9], 0, 5, 0)]
    # Each listing's newest day (the import's fast path): A unchanged, B now inbound.
    myi(may[19], {"A": (1, 5), "B": (3, 8)})
    assert _kept(session, store) == [("A", may[9], 0, 5, 0), ("B", may[19], 0, 8, 0)]
    # A report in between, imported late: A had none on the 15th, so the 20th is a change.
    myi(may[14], {"A": (1, 0), "B": (3, 8)})
    assert _kept(session, store) == [
        ("A", may[9], 0, 5, 0),
        ("A", may[14], 0, 0, 0),
        ("A", may[19], 0, 5, 0),
        ("B", may[14], 0, 8, 0),
    ]
    # The 15th again as it was on the 10th: its rows and the 20th's go.
    myi(may[14], {"A": (1, 5), "B": (3, 0)})
    assert _kept(session, store) == [("A", may[9], 0, 5, 0), ("B", may[19], 0, 8, 0)]
    # An older report, then the same newest day again with other figures.
    myi(may[2], {"A": (1, 2)})
    myi(may[19], {"A": (1, 0), "B": (3, 8)})
    assert _kept(session, store)[:3] == [
        ("A", may[2], 0, 2, 0),
        ("A", may[9], 0, 5, 0),
        ("A", may[19], 0, 0, 0),
    ]
    # An AFN report gives no inbound units: its days, the newest or not, change no level.
    scale = "LM-KT-0042-BLK"
    myi(may[21], {scale: (3, 9)})
    before = _kept(session, store)
    _import(session, store, "afn_inventory.txt", may[24])
    _import(session, store, "afn_inventory.txt", may[22])
    assert _kept(session, store) == before == _from_history(session, store)
    assert (scale, may[21], 0, 9, 0) in before
    # A late report before an AFN-only day: the next day that gives inbound units, weeks
    # later, becomes a change.
    myi(may[30] + timedelta(days=20), {scale: (3, 9)})
    myi(may[23], {scale: (3, 0)})
    assert (scale, may[30] + timedelta(days=20), 0, 9, 0) in _kept(session, store)
    # The next snapshot two months after a late report still gets its row.
    july = may[30] + timedelta(days=40)
    myi(july, {"A": (1, 0), "B": (3, 8)})
    myi(may[27], {"A": (1, 0), "B": (3, 0)})
    assert ("B", july, 0, 8, 0) in _kept(session, store)


def test_a_run_reads_the_level_in_effect_then_the_changes(
    session: Session, store: Store, tmp_path: Path
) -> None:
    days = {date(2026, 3, 1): 4, date(2026, 5, 10): 9, date(2026, 5, 12): 9, date(2026, 5, 20): 2}
    for day, shipped in days.items():
        rows = {"A": (1, shipped), "B": (1, 3 if day < date(2026, 5, 20) else 0)}
        _import(session, store, _myi(tmp_path / f"{day}.txt", rows), day)
    history = run_repository.inbound_history(
        session, store_id=store.id, first=date(2026, 4, 1), last=date(2026, 5, 15)
    )
    assert sorted(history.select("sku", "snapshot_date", "inbound_shipped").iter_rows()) == [
        ("A", date(2026, 4, 1), 4),  # in effect since March 1st: dated the look back's start
        ("A", date(2026, 5, 10), 9),
        # B has nothing inbound now, but it had on the 15th (a run for that day reads it).
        ("B", date(2026, 4, 1), 3),
    ]
    now = run_repository.inbound_history(
        session, store_id=store.id, first=date(2026, 4, 1), last=date(2026, 5, 21)
    )
    assert now.get_column("sku").unique().to_list() == ["A"]
    # Dated from it, the run's lots are those of the whole snapshot history of the window.
    stock = run_repository.latest_stock(session, store_id=store.id, as_of=date(2026, 5, 21)).filter(
        pl.col("sku") == "A"
    )
    every_day = run_repository.snapshot_days(session, store_id=store.id, first=date(2026, 3, 1))
    from_levels = inbound_eta.lots(
        stock,
        run_repository.inbound_history(
            session, store_id=store.id, first=date(2026, 3, 1), last=date(2026, 5, 21)
        ),
    )
    from_every_day = inbound_eta.lots(stock, every_day.drop("fulfillable"))
    assert from_every_day.height
    assert from_levels.equals(from_every_day)
    assert from_levels.select("since", "quantity").rows() == [(date(2026, 5, 10), 2)]


def test_the_migrations_backfill_and_the_rebuild_agree_with_the_import(
    session: Session, store: Store, tmp_path: Path
) -> None:
    for offset, rows in enumerate(
        [{"A": (0, 4), "B": (3, 0)}, {"A": (4, 4), "B": (0, 6)}, {"A": (0, 0)}, {"B": (1, 6)}]
    ):
        day = date(2026, 5, 1) + timedelta(days=3 * offset)
        _import(session, store, _myi(tmp_path / f"{day}.txt", rows), day)
    _import(session, store, "afn_inventory.txt", date(2026, 5, 4))
    _import(session, store, "afn_inventory.txt", date(2026, 5, 20))
    kept = _kept(session, store)
    assert kept == _from_history(session, store)
    assert len(kept) >= 3
    migration = importlib.import_module(
        "aftersales.migrations.versions.20261126_0022_inbound_levels"
    )
    session.execute(InboundLevel.__table__.delete())
    session.execute(text(migration.BACKFILL))
    assert _kept(session, store) == kept
    session.execute(InboundLevel.__table__.delete())
    latest_stock.refresh(session, store_id=store.id)
    assert _kept(session, store) == kept
