"""Inbound units dated from the snapshot history: lots oldest-out, arrival by status."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

from aftersales.replenishment import inbound_eta

AS_OF = date(2026, 6, 1)
SCHEMA = {
    "marketplace_id": pl.String,
    "sku": pl.String,
    "snapshot_date": pl.Date,
    "inbound_working": pl.Int64,
    "inbound_shipped": pl.Int64,
    "inbound_receiving": pl.Int64,
}


def day(offset: int) -> date:
    return AS_OF + timedelta(days=offset)


def _history(rows: list[tuple[str, int, int, int, int]]) -> pl.DataFrame:
    """(sku, days ago, working, shipped, receiving) rows of marketplace US."""
    return pl.DataFrame(
        [("US", sku, day(-ago), w, s, r) for sku, ago, w, s, r in rows], schema=SCHEMA, orient="row"
    )


def _newest(history: pl.DataFrame) -> pl.DataFrame:
    return history.filter(
        pl.col("snapshot_date") == pl.col("snapshot_date").max().over("marketplace_id", "sku")
    )


def _settings(sku: str, mode: str = "sea", receiving: int = 10) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "marketplace_id": ["US"],
            "sku": [sku],
            "mode": [mode],
            "transit_sea_days": [35],
            "transit_air_days": [10],
            "transit_express_days": [5],
            "receiving_days": [receiving],
        }
    )


def _lots(history: pl.DataFrame, stock: pl.DataFrame | None = None) -> list[tuple[str, date, int]]:
    found = inbound_eta.lots(_newest(history) if stock is None else stock, history)
    return found.select("status", "since", "quantity").rows()


def test_units_leave_a_status_oldest_first() -> None:
    # +40 on day -30, 10 arrive (-10), +25 on day -16: 30 of the first lot and 25 remain.
    history = _history([("A", 30, 0, 40, 0), ("A", 23, 0, 30, 0), ("A", 16, 0, 55, 0)])
    assert _lots(history) == [("shipped", day(-30), 30), ("shipped", day(-16), 25)]
    # Another 45 arrive: only 10 of the newest lot are left.
    history = _history([("A", 30, 0, 40, 0), ("A", 23, 0, 30, 0), ("A", 16, 0, 55, 0),
                        ("A", 2, 0, 10, 0)])  # fmt: skip
    assert _lots(history) == [("shipped", day(-16), 10)]


def test_a_status_that_emptied_starts_over() -> None:
    history = _history([("A", 40, 0, 60, 0), ("A", 30, 0, 0, 60), ("A", 20, 0, 0, 0),
                        ("A", 9, 0, 24, 0)])  # fmt: skip
    assert _lots(history) == [("shipped", day(-9), 24)]


def test_units_the_history_cannot_place_date_from_the_newest_snapshot() -> None:
    # The newest report (stock) says 80 shipped; the look back only saw 50 arrive.
    history = _history([("A", 20, 0, 50, 0)])
    stock = _history([("A", 3, 0, 80, 0)])
    assert _lots(history, stock) == [("shipped", day(-20), 50), ("shipped", day(-3), 30)]
    # Without any history at all.
    assert _lots(history.clear(), stock) == [("shipped", day(-3), 80)]


def test_arrival_day_by_status() -> None:
    history = _history([("A", 50, 0, 100, 0), ("A", 12, 0, 100, 0), ("A", 4, 30, 100, 20)])
    lots = inbound_eta.lots(_newest(history), history)
    found = inbound_eta.arrivals(lots, _settings("A"), as_of=AS_OF)
    by_status = {s: (since, q, arrives) for _, _, s, since, q, arrives, *_ in found.iter_rows()}
    # Working: not shipped yet, today + 35 sea + 10 receiving.
    assert by_status["working"] == (day(-4), 30, day(45))
    # Shipped 50 days ago: due 15 days ago, still coming: today + 10 receiving.
    assert by_status["shipped"] == (day(-50), 100, day(10))
    # Receiving since 4 days ago: 10 receiving days from then.
    assert by_status["receiving"] == (day(-4), 20, day(6))


def test_shipped_units_in_transit_arrive_by_the_listings_mode() -> None:
    history = _history([("A", 3, 0, 12, 0)])
    lots = inbound_eta.lots(_newest(history), history)
    by_air = inbound_eta.arrivals(lots, _settings("A", mode="air", receiving=5), as_of=AS_OF)
    assert by_air.get_column("day").to_list() == [day(-3 + 10 + 5)]
    by_sea = inbound_eta.arrivals(lots, _settings("A"), as_of=AS_OF)
    assert by_sea.get_column("day").to_list() == [day(-3 + 35 + 10)]


def test_no_inbound_no_lots() -> None:
    history = _history([("A", 3, 0, 0, 0)])
    assert inbound_eta.lots(_newest(history), history).height == 0
    assert inbound_eta.arrivals(inbound_eta.lots(_newest(history), history), _settings("A"),
                                as_of=AS_OF).height == 0  # fmt: skip


def _shipped(rows: list[tuple[str, int, str, int, str, int]]) -> pl.DataFrame:
    """(sku, plan id, shipment, days ago it left, mode, units) lines of marketplace US."""
    return pl.DataFrame(
        [("US", sku, plan, shipment, day(-ago), mode, units)
         for sku, plan, shipment, ago, mode, units in rows],
        schema=inbound_eta.SHIPPED_SCHEMA,
        orient="row",
    )  # fmt: skip


def _claimed(lots: pl.DataFrame) -> list[tuple[str, date, int, str | None, bool]]:
    return [
        (row["status"], row["since"], row["quantity"], row["shipment"], row["reported"])
        for row in lots.sort("status", "since", "quantity").iter_rows(named=True)
    ]


def test_a_shipped_plan_takes_the_place_of_the_newest_units_in_transit() -> None:
    # 40 shipped seen 30 days ago, 25 more 16 days ago, 30 working since 4 days ago.
    history = _history([("A", 30, 0, 40, 0), ("A", 16, 0, 65, 0), ("A", 4, 30, 65, 0)])
    lots = inbound_eta.lots(_newest(history), history)
    # A plan of 50 left 18 days ago by air: 25 from day -16, then 25 from day -30.
    # Another of 20 left 3 days ago: the rest of day -30's lot (15), then 5 working.
    shipped = _shipped([("A", 7, "FBA15OLD", 18, "air", 50), ("A", 8, "FBA15NEW", 3, "sea", 20)])
    claimed = inbound_eta.claim(lots, shipped, _newest(history))
    assert _claimed(claimed) == [
        ("shipped", day(-18), 25, "FBA15OLD", True),
        ("shipped", day(-18), 25, "FBA15OLD", True),
        ("shipped", day(-3), 5, "FBA15NEW", True),
        ("shipped", day(-3), 15, "FBA15NEW", True),
        ("working", day(-4), 25, None, True),
    ]
    assert claimed.get_column("quantity").sum() == lots.get_column("quantity").sum()
    found = inbound_eta.arrivals(claimed, _settings("A"), as_of=AS_OF)
    by_shipment = {
        (row["shipment"], row["quantity"]): (row["day"], row["mode"], row["transit_days"])
        for row in found.iter_rows(named=True)
    }
    # By air: left day -18 + 10 days = day -8, overdue, so today + 10 receiving.
    assert by_shipment[("FBA15OLD", 25)] == (day(10), "air", 10)
    # By sea: day -3 + 35 + 10 receiving.
    assert by_shipment[("FBA15NEW", 15)] == (day(42), "sea", 35)
    # The working units left keep the listing's dating: today + 35 + 10.
    assert by_shipment[(None, 25)] == (day(45), "sea", 35)


def test_units_a_report_before_the_plan_left_could_not_show_are_added() -> None:
    history = _history([("A", 5, 0, 10, 40)])
    newest = _newest(history)
    lots = inbound_eta.lots(newest, history)
    # Left the day before the newest report (day -5), which shows only 10 in transit: the
    # plan's other 90 have been received already; the 40 receiving stay as they are.
    before = inbound_eta.claim(lots, _shipped([("A", 1, "FBA15BIG", 6, "sea", 100)]), newest)
    assert _claimed(before) == [
        ("receiving", day(-5), 40, None, True),
        ("shipped", day(-6), 10, "FBA15BIG", True),
    ]
    # Left 2 days ago, after that report: it could not show the other 90, so they count.
    after = inbound_eta.claim(lots, _shipped([("A", 1, "FBA15NEW", 2, "air", 100)]), newest)
    assert _claimed(after) == [
        ("receiving", day(-5), 40, None, True),
        ("shipped", day(-2), 10, "FBA15NEW", True),
        ("shipped", day(-2), 90, "FBA15NEW", False),
    ]
    # A listing in no report: the plan's units are all it has on the way.
    alone = inbound_eta.claim(lots, _shipped([("B", 2, "FBA15B", 9, "sea", 5)]), newest)
    assert [row for row in _claimed(alone) if row[3] == "FBA15B"] == [
        ("shipped", day(-9), 5, "FBA15B", False)
    ]
    assert inbound_eta.arrivals(alone, _settings("B"), as_of=AS_OF).filter(
        pl.col("sku") == "B"
    ).get_column("day").to_list() == [day(-9 + 35 + 10)]
