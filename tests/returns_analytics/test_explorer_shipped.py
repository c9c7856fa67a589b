"""The explorer's shipped units read from daily sales equal the sums of the order lines the
explorer used to read (kept below as the reference query), both backends: per SKU, ASIN,
marketplace, day and week, with the filters, over day-boundary purchases; and the
documented differences (lines without a marketplace, a SKU's ASIN from its product)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from aftersales.kit.pagination import PageRequest
from aftersales.kit.query import dialect_of, in_scope
from aftersales.kit.scope import Scope
from aftersales.models import OrderItem, Product, Store
from aftersales.returns_analytics import explorer_filters, explorer_service
from aftersales.returns_analytics import explorer_repository as repository
from aftersales.returns_analytics.explorer_repository import ResultRow, Where, Window
from aftersales.returns_analytics.explorer_schemas import ExplorerFilters, ExplorerPage, GroupBy
from aftersales.stores import service as store_service
from tests.orders.builders import CA, US, Line, add_order
from tests.returns.builders import add_return
from tests.returns_analytics.builders import as_imported
from tests.returns_analytics.test_explorer_service import _planning

FIRST, LAST = date(2026, 5, 2), date(2026, 5, 31)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    explorer_service.clear_cache()


def _order_lines_shipped(
    session: Session, *, where: Where, keys: Sequence[str], windows: Sequence[Window]
) -> Sequence[ResultRow]:
    """The explorer's former query: Shipped order lines summed per UTC purchase day."""
    columns: dict[str, Any] = {
        "store_id": OrderItem.store_id,
        "sku": OrderItem.sku,
        "asin": OrderItem.asin,
        "marketplace": OrderItem.marketplace_id,
        "day": repository._utc_day(session, OrderItem.purchase_date),
    }
    grouped = [columns[key] for key in keys]
    bounds = repository._moments(windows)
    conditions = [
        in_scope(OrderItem, where.scope),
        OrderItem.item_status == repository.SHIPPED,
        *repository._identifier_conditions(
            OrderItem.sku, OrderItem.asin, where, dialect_of(session)
        ),
        *repository._span(OrderItem.purchase_date, bounds),
    ]
    if where.skus_by_store is not None:
        conditions.append(repository._sku_condition(OrderItem, where.skus_by_store))
    statement = select(
        *(column.label(key) for key, column in zip(keys, grouped, strict=True)),
        *repository._window_sums(OrderItem.purchase_date, OrderItem.quantity, bounds),
    ).where(*conditions)
    if grouped:
        statement = statement.group_by(*grouped)
    return session.execute(statement).all()


def build_sales(session: Session, store: Store, *, prefix: str = "A") -> None:
    """Order lines around the period 2026-05-02..31 and its 30 and 90 days, at the edges of
    UTC days, in two marketplaces, with lines that must not count; a return of each SKU."""
    number = 0

    def order(when: str, lines: list[Line], **options: Any) -> None:
        nonlocal number
        number += 1
        add_order(session, store, order_id=f"{prefix}-{number}", when=when, lines=lines, **options)

    order("2026-05-02T00:00:00", [Line("K-1", 3, asin="B0K1"), Line("K-2", 1, asin="B0K2")])
    order("2026-05-02T23:59:59", [Line("K-1", 2, asin="B0K1")])
    order("2026-05-01T23:59:59", [Line("K-1", 11, asin="B0K1")])
    order("2026-05-31T23:59:59", [Line("K-1", 4, asin="B0K1")])
    order("2026-06-01T00:00:00", [Line("K-1", 50, asin="B0K1")])
    order("2026-03-03T00:00:00", [Line("K-2", 6, asin="B0K2")])
    order("2026-03-02T23:59:59", [Line("K-2", 60, asin="B0K2")])
    order("2026-05-10T12:00:00", [Line("K-1", 2, asin="B0K1", currency="CAD")], marketplace_id=CA)
    order("2026-05-18T12:00:00", [Line("K-2", 7, asin="B0K2"), Line("X-9", 5)])
    order("2026-05-18T13:00:00", [Line("K-2", 9, asin="B0K2", item_status="Unshipped")])
    order("2026-05-19T13:00:00", [Line("K-2", 8, asin="B0K2", item_status="Cancelled")])
    order("2026-05-25T08:00:00", [Line("G-1", 12, asin="B0G1")])
    order("2026-04-20T08:00:00", [Line("G-1", 30, asin="B0G1")], marketplace_id=CA)
    as_imported(session, store)
    for sku, market in (("K-1", US), ("K-2", US), ("X-9", US), ("G-1", CA)):
        add_return(
            session,
            store,
            when="2026-05-28T10:00:00",
            sku=sku,
            asin=f"B0{sku.replace('-', '')}",
            marketplace_id=market,
            lpn=f"{prefix}{sku}",
        )


@pytest.fixture
def scope(session: Session, store: Store) -> Scope:
    build_sales(session, store)
    other = store_service.add_store(session, name="other-na", region="NA")
    build_sales(session, other, prefix="B")
    return Scope(store_ids=(store.id,))


def _windows() -> list[Window]:
    period = explorer_filters.period_of(date_from=FIRST, date_to=LAST, days=None, today=LAST)
    windows = explorer_service._windows_of(period) + explorer_service._history_windows(period)
    return [*windows, explorer_filters.window("one_day", date(2026, 5, 2), date(2026, 5, 2))]


def _normal(
    rows: Sequence[ResultRow], keys: Sequence[str]
) -> dict[tuple[Any, ...], tuple[int, ...]]:
    """Rows as {key values: window sums}, days as dates, without all-zero rows."""
    found: dict[tuple[Any, ...], tuple[int, ...]] = {}
    for row in rows:
        values = tuple(row)
        key = tuple(
            explorer_filters.as_date(v) if k == "day" else v
            for k, v in zip(keys, values, strict=False)
        )
        sums = tuple(int(v or 0) for v in values[len(keys) :])
        if any(sums):
            found[key] = sums
    return found


KEYS: tuple[list[str], ...] = (
    ["sku"],
    ["asin"],
    ["marketplace"],
    ["day"],
    ["store_id", "marketplace", "sku"],
    [],
)


@pytest.mark.parametrize("keys", KEYS, ids=lambda keys: "-".join(keys) or "all")
def test_same_sums_as_the_order_lines(session: Session, scope: Scope, keys: list[str]) -> None:
    windows = _windows()
    store_id = scope.store_ids[0]
    wheres = [
        Where(scope=scope),
        Where(scope=Scope(store_ids=scope.store_ids, marketplace_ids=(CA,))),
        Where(scope=scope, q="b0k"),
        Where(scope=scope, q="G-"),
        Where(scope=scope, sku="K-2"),
        Where(scope=scope, skus=("K-1", "X-9")),
        Where(scope=scope, skus_by_store={store_id: (("K-1",), True)}),
        Where(scope=scope, skus_by_store={store_id: (("G-1", "K-2"), False)}),
    ]
    for where in wheres:
        new = repository.shipped(session, where=where, keys=keys, windows=windows)
        old = _order_lines_shipped(session, where=where, keys=keys, windows=windows)
        assert _normal(new, keys) == _normal(old, keys), where
        assert _normal(new, keys)


def test_hand_computed_sums(session: Session, scope: Scope) -> None:
    windows = _windows()
    rows = repository.shipped(session, where=Where(scope=scope), keys=["sku"], windows=windows)
    by_sku = {row.sku: row for row in rows}
    # Period (05-02..31): 3 + 2 + 4 US and 2 CA; 90 days (03-03..): and 11 (05-01).
    k1 = by_sku["K-1"]
    assert (k1.period, k1.days_30, k1.days_90, k1.one_day) == (11, 11, 22, 5)
    # 03-03T00:00 is the 90 days' first moment, 03-02T23:59:59 is before it; not the
    # unshipped and cancelled lines.
    k2 = by_sku["K-2"]
    assert (k2.period, k2.days_90, k2.previous, k2.days_365) == (8, 14, 0, 74)
    assert by_sku["X-9"].period == 5
    assert (by_sku["G-1"].period, by_sku["G-1"].days_90) == (12, 42)


def _explore(session: Session, scope: Scope, group_by: GroupBy) -> ExplorerPage:
    period = explorer_filters.period_of(date_from=FIRST, date_to=LAST, days=None, today=LAST)
    return explorer_service.explore(
        session,
        scope=scope,
        filters=ExplorerFilters(),
        period=period,
        group_by=group_by,
        interval=None,
        sort=explorer_service.parse_sort(None, group_by=group_by),
        page=PageRequest(page=1, page_size=50),
    )


def _figures(page: ExplorerPage) -> list[Any]:
    return [
        page.totals.model_dump(),
        [bucket.model_dump() for bucket in page.trend],
        [item.model_dump() for item in page.items],
    ]


@pytest.mark.parametrize(
    "group_by", [GroupBy.SKU, GroupBy.ASIN, GroupBy.MARKETPLACE, GroupBy.WEEK, GroupBy.MONTH]
)
def test_explorer_pages_equal_those_from_the_order_lines(
    session: Session, scope: Scope, group_by: GroupBy, monkeypatch: pytest.MonkeyPatch
) -> None:
    new = _explore(session, scope, group_by)
    explorer_service.clear_cache()
    monkeypatch.setattr(repository, "shipped", _order_lines_shipped)
    old = _explore(session, scope, group_by)
    assert _figures(new) == _figures(old)
    # 11 K-1 (9 US, 2 CA) + 8 K-2 + 5 X-9 + 12 G-1.
    assert new.totals.units_shipped == 36
    shipped = {item.key: item.units_shipped for item in new.items}
    expected = {
        GroupBy.SKU: {"K-1": 11, "K-2": 8, "X-9": 5, "G-1": 12},
        # X-9's lines name no ASIN, nor does its product; its return names B0X9.
        GroupBy.ASIN: {"B0K1": 11, "B0K2": 8, "B0X9": 0, "B0G1": 12},
        GroupBy.MARKETPLACE: {US: 34, CA: 2},
        GroupBy.WEEK: {
            "2026-05-02": 6,
            "2026-05-04": 2,
            "2026-05-18": 12,
            "2026-05-25": 16,
        },
        GroupBy.MONTH: {"2026-05-02": 36},
    }[group_by]
    assert shipped == expected


def test_lines_without_a_marketplace_are_left_out(session: Session, scope: Scope) -> None:
    """A multi-channel (Non-Amazon) line has no marketplace: not in daily sales, so not in
    the explorer's shipped units, where the order lines counted it without a scope."""
    store_id = scope.store_ids[0]
    store = session.get(Store, store_id)
    assert store is not None
    add_order(
        session,
        store,
        order_id="MCF-1",
        when="2026-05-20T10:00:00",
        lines=[Line("K-1", 40, asin="B0K1")],
        marketplace_id=None,
    )
    as_imported(session, store)
    windows = _windows()[:1]
    new = _normal(
        repository.shipped(session, where=Where(scope=scope), keys=[], windows=windows), []
    )
    old = _normal(
        _order_lines_shipped(session, where=Where(scope=scope), keys=[], windows=windows), []
    )
    assert (new[()], old[()]) == ((36,), (76,))
    by_market = repository.shipped(
        session, where=Where(scope=scope), keys=["marketplace"], windows=windows
    )
    assert None not in {row.marketplace for row in by_market}


def test_asin_is_the_products(session: Session, scope: Scope) -> None:
    """A SKU counts under its product's ASIN (an old line naming another ASIN included), a
    SKU without a product under none."""
    store_id = scope.store_ids[0]
    store = session.get(Store, store_id)
    assert store is not None
    add_order(
        session,
        store,
        order_id="OLD-ASIN",
        when="2026-05-20T10:00:00",
        lines=[Line("K-1", 1, asin="B0OLD"), Line("NEW-1", 2, asin="B0NEW")],
    )
    session.execute(delete(Product).where(Product.store_id == store_id, Product.sku == "X-9"))
    as_imported(session, store)
    session.execute(delete(Product).where(Product.store_id == store_id, Product.sku == "NEW-1"))
    window = _windows()[:1]
    rows = repository.shipped(session, where=Where(scope=scope), keys=["asin"], windows=window)
    assert {row.asin: row.period for row in rows} == {
        "B0K1": 12,
        "B0K2": 8,
        "B0G1": 12,
        # X-9 (product without an ASIN) and NEW-1 (no product).
        None: 7,
    }
    # The prefix still finds the SKU without a product; the old ASIN finds nothing.
    by_sku = repository.shipped(session, where=Where(scope=scope, q="NEW"), keys=[], windows=window)
    assert [row.period for row in by_sku] == [2]
    by_old = repository.shipped(
        session, where=Where(scope=scope, q="B0OLD"), keys=[], windows=window
    )
    assert [row.period for row in by_old] == [None]


def test_windows_must_be_whole_days(session: Session, scope: Scope) -> None:
    start = explorer_filters.window("w", FIRST, LAST).start
    odd = Window("w", start + timedelta(hours=1), datetime.fromisoformat("2026-06-01T00:00+00:00"))
    with pytest.raises(ValueError, match="UTC midnight"):
        repository.shipped(session, where=Where(scope=scope), keys=[], windows=[odd])


def test_category_rows_of_one_store_and_of_two(
    session: Session, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One store's SKUs are grouped by SKU alone, several stores' by store and SKU: the
    same figures as from the order lines either way."""
    build_sales(session, store)
    other = store_service.add_store(session, name="other-na", region="NA")
    build_sales(session, other, prefix="B")
    for owner, sku, group in (
        (store, "K-1", "Kitchen"),
        (store, "K-2", "Kitchen"),
        (other, "K-1", "Kitchen"),
        (other, "G-1", "Garden"),
    ):
        _planning(session, owner, sku=sku, on=date(2026, 5, 1), group=group)
    scopes = {
        "one": Scope(store_ids=(store.id,)),
        "both": Scope(store_ids=(store.id, other.id)),
    }
    new = {name: _explore(session, scope, GroupBy.CATEGORY) for name, scope in scopes.items()}
    explorer_service.clear_cache()
    monkeypatch.setattr(repository, "shipped", _order_lines_shipped)
    for name, scope in scopes.items():
        assert _figures(new[name]) == _figures(_explore(session, scope, GroupBy.CATEGORY))
    # One store: Kitchen K-1 11 + K-2 8; none X-9 5 + G-1 12.
    assert {row.key: row.units_shipped for row in new["one"].items} == {"Kitchen": 19, None: 17}
    # Both: Kitchen 19 + the other's K-1 11; Garden its G-1; none 17 + its K-2 8 and X-9 5.
    assert {row.key: row.units_shipped for row in new["both"].items} == {
        "Kitchen": 30,
        "Garden": 12,
        None: 30,
    }
