"""The returns explorer's figures on crafted data, both backends: grouped units and rates
computed by hand, a SKU against its previous period and year, categories from the newest
planning row, filters, and the reason mix against the category."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from aftersales.amazon.return_reasons import Responsible
from aftersales.exceptions import InvalidInput
from aftersales.kit.pagination import PageRequest
from aftersales.kit.scope import Scope
from aftersales.models import InventorySnapshot, Store
from aftersales.returns_analytics import explorer_filters, explorer_mix, explorer_service
from aftersales.returns_analytics.explorer_schemas import (
    NO_CATEGORY,
    ExplorerFilters,
    ExplorerPage,
    GroupBy,
    Interval,
)
from aftersales.returns_analytics.service import SkuNotFound
from aftersales.stores import service as store_service
from tests.orders.builders import CA, Line, add_order
from tests.returns.builders import add_return
from tests.returns_analytics.builders import as_imported

FIRST, LAST = date(2026, 5, 2), date(2026, 5, 31)


@pytest.fixture(autouse=True)
def _fresh_category_cache() -> None:
    # Rolled-back tests reuse store ids with the same (empty) data version.
    explorer_service.clear_cache()


def _planning(
    session: Session, store: Store, *, sku: str, on: date, group: str | None, market: str = "US"
) -> None:
    session.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id="ATVPDKIKX0DER" if market == "US" else CA,
            natural_key=f"planning|{market}|{on}|{sku}",
            source="planning",
            snapshot_date=on,
            sku=sku,
            fulfillable=5,
            extra={"currency": "USD", **({"product-group": group} if group else {})},
        )
    )
    session.flush()


def build_explorer(session: Session, store: Store, *, prefix: str = "A") -> None:
    """Period 2026-05-02..31 (30 days), previous 2026-04-02..05-01.

    Shipped: K-1 10 (05-10) + 10 (04-10) + 20 (2025-08-01); K-2 5 (05-12, CA); K-3 10
    (05-13); G-1 8 (05-15); an unshipped K-1 line of 7 does not count.
    Returned: K-1 3 DEFECTIVE at PHX6 (05-20), 1 UNWANTED_ITEM at TEB9 (05-25), 1 UNWANTED
    (04-20), 1 DEFECTIVE (2025-09-01); K-2 1 UNWANTED (05-21, CA); K-3 3 UNWANTED (05-26);
    G-1 2 DEFECTIVE, customer damaged (05-22).
    Categories: K-1 Kitchen (newer than its Garden row), K-2 Kitchen (its newest row has no
    product group), K-3 Kitchen, G-1 none. Products and daily sales as an import leaves them.
    """

    def order(number: int, when: str, lines: list[Line], **options: str) -> None:
        add_order(session, store, order_id=f"{prefix}-{number}", when=when, lines=lines, **options)

    order(1, "2026-05-10T08:00:00", [Line("K-1", 10, asin="B0K1")])
    order(2, "2026-04-10T08:00:00", [Line("K-1", 10, asin="B0K1")])
    order(3, "2025-08-01T08:00:00", [Line("K-1", 20, asin="B0K1")])
    order(4, "2026-05-11T08:00:00", [Line("K-1", 7, asin="B0K1", item_status="Unshipped")])
    order(
        5, "2026-05-12T08:00:00", [Line("K-2", 5, asin="B0K2", currency="CAD")], marketplace_id=CA
    )
    order(6, "2026-05-13T08:00:00", [Line("K-3", 10, asin="B0K3")])
    order(7, "2026-05-15T08:00:00", [Line("G-1", 8, asin="B0G1")])

    def returned(when: str, sku: str, reason: str, quantity: int = 1, **options: str) -> None:
        fc = options.pop("fc", "ABE2")
        row = add_return(
            session,
            store,
            when=when,
            sku=sku,
            asin=f"B0{sku.replace('-', '')}",
            reason=reason,
            quantity=quantity,
            lpn=f"{prefix}{when}{sku}",
            **options,  # type: ignore[arg-type]
        )
        row.fulfillment_center_id = fc
        session.flush()

    returned("2026-05-20T10:00:00", "K-1", "DEFECTIVE", 3, fc="PHX6", disposition="DEFECTIVE")
    returned("2026-05-25T10:00:00", "K-1", "UNWANTED_ITEM", fc="TEB9")
    returned("2026-04-20T10:00:00", "K-1", "UNWANTED_ITEM")
    returned("2025-09-01T10:00:00", "K-1", "DEFECTIVE")
    returned("2026-05-21T10:00:00", "K-2", "UNWANTED_ITEM", fc="YYZ4", marketplace_id=CA)
    returned("2026-05-26T10:00:00", "K-3", "UNWANTED_ITEM", 3)
    returned("2026-05-22T10:00:00", "G-1", "DEFECTIVE", 2, disposition="CUSTOMER_DAMAGED")

    _planning(session, store, sku="K-1", on=date(2026, 4, 1), group="Garden")
    _planning(session, store, sku="K-1", on=date(2026, 5, 1), group="Kitchen")
    _planning(session, store, sku="K-2", on=date(2026, 4, 15), group="Kitchen", market="CA")
    _planning(session, store, sku="K-2", on=date(2026, 5, 1), group=None, market="CA")
    _planning(session, store, sku="K-3", on=date(2026, 5, 1), group="Kitchen")
    as_imported(session, store)


def explore(
    session: Session,
    scope: Scope,
    group_by: GroupBy = GroupBy.SKU,
    *,
    first: date = FIRST,
    sort: str | None = None,
    page_size: int = 50,
    **filters: object,
) -> ExplorerPage:
    period = explorer_filters.period_of(date_from=first, date_to=LAST, days=None, today=LAST)
    return explorer_service.explore(
        session,
        scope=scope,
        filters=ExplorerFilters.model_validate(filters),
        period=period,
        group_by=group_by,
        interval=None,
        sort=explorer_service.parse_sort(sort, group_by=group_by),
        page=PageRequest(page=1, page_size=page_size),
    )


@pytest.fixture
def scope(session: Session, store: Store) -> Scope:
    build_explorer(session, store)
    other = store_service.add_store(session, name="other-na", region="NA")
    # Another store sells and returns the same SKUs, with G-1 in a category: never counted.
    build_explorer(session, other, prefix="B")
    _planning(session, other, sku="G-1", on=date(2026, 5, 1), group="Garden")
    return Scope(store_ids=(store.id,))


def test_groups_by_sku_with_rates_and_history(session: Session, scope: Scope) -> None:
    page = explore(session, scope)
    assert page.period.days == 30
    assert (page.totals.units_returned, page.totals.units_shipped) == (10, 33)
    assert page.totals.return_rate == pytest.approx(10 / 33)
    # 90 days (03-03..05-31): K-1's April return and April order join.
    assert [(w.days, w.units_returned, w.units_shipped) for w in page.totals.windows] == [
        (30, 10, 33),
        (90, 11, 43),
    ]
    rows = {row.key: row for row in page.items}
    assert [row.key for row in page.items] == ["K-1", "K-3", "G-1", "K-2"]
    k1 = rows["K-1"]
    assert (k1.units_returned, k1.units_shipped, k1.return_rate) == (4, 10, 0.4)
    assert (k1.units_returned_90_days, k1.return_rate_90_days) == (5, 0.25)
    assert k1.history is not None
    assert (k1.history.previous_start, k1.history.previous_end) == (
        date(2026, 4, 2),
        date(2026, 5, 1),
    )
    assert k1.history.previous_return_rate == pytest.approx(0.1)
    # 365 days (2025-06-01..): returned 1 + 1 + 4, shipped 20 + 10 + 10.
    assert k1.history.return_rate_365_days == pytest.approx(6 / 40)
    assert k1.history.higher_than == ["previous", "90_days", "365_days"]
    assert k1.history.materially_higher
    k2 = rows["K-2"]
    assert (k2.units_returned, k2.units_shipped, k2.return_rate) == (1, 5, 0.2)
    assert k2.history is not None
    assert k2.history.previous_return_rate is None
    assert not k2.history.materially_higher
    assert rows["G-1"].return_rate == 0.25


def test_sorting_and_paging(session: Session, scope: Scope) -> None:
    page = explore(session, scope, sort="-return_rate", page_size=2)
    assert [row.key for row in page.items] == ["K-1", "K-3"]
    assert page.total == 4
    ascending = explore(session, scope, sort="return_rate")
    assert [row.key for row in ascending.items] == ["K-2", "G-1", "K-3", "K-1"]
    # The change against the previous period: only K-1 sold then; the others follow by SKU.
    by_change = explore(session, scope, sort="-change")
    assert [row.key for row in by_change.items] == ["K-1", "G-1", "K-2", "K-3"]
    # Every row of any page carries its history.
    second = explorer_service.explore(
        session,
        scope=scope,
        filters=ExplorerFilters(),
        period=explorer_filters.period_of(date_from=FIRST, date_to=LAST, days=None, today=LAST),
        group_by=GroupBy.SKU,
        interval=None,
        sort=explorer_service.parse_sort(None, group_by=GroupBy.SKU),
        page=PageRequest(page=2, page_size=3),
    )
    [k2] = second.items
    assert k2.key == "K-2"
    assert k2.history is not None
    assert k2.history.previous_units_shipped == 0
    with pytest.raises(InvalidInput):
        explore(session, scope, sort="nonsense")


def test_groups_by_category_from_the_newest_planning_row(session: Session, scope: Scope) -> None:
    page = explore(session, scope, GroupBy.CATEGORY)
    rows = {row.key: row for row in page.items}
    assert set(rows) == {"Kitchen", None}
    assert (rows["Kitchen"].units_returned, rows["Kitchen"].units_shipped) == (8, 25)
    assert rows["Kitchen"].return_rate == pytest.approx(0.32)
    assert rows[None].label == NO_CATEGORY
    assert (rows[None].units_returned, rows[None].units_shipped) == (2, 8)
    only_none = explore(session, scope, category=NO_CATEGORY)
    assert [row.key for row in only_none.items] == ["G-1"]
    assert (only_none.totals.units_returned, only_none.totals.units_shipped) == (2, 8)


def test_returns_only_groups_divide_by_all_shipped_units(session: Session, scope: Scope) -> None:
    page = explore(session, scope, GroupBy.REASON)
    assert not page.shipped_by_group
    rows = {row.key: row for row in page.items}
    assert rows["DEFECTIVE"].units_returned == 5
    assert rows["DEFECTIVE"].units_shipped is None
    assert rows["DEFECTIVE"].return_rate == pytest.approx(5 / 33)
    assert rows["UNWANTED_ITEM"].return_rate == pytest.approx(5 / 33)
    fcs = explore(session, scope, GroupBy.FC)
    assert {row.key: row.units_returned for row in fcs.items} == {
        "PHX6": 3,
        "TEB9": 1,
        "YYZ4": 1,
        "ABE2": 5,
    }
    responsible = explore(session, scope, GroupBy.RESPONSIBILITY)
    assert {row.key: row.units_returned for row in responsible.items} == {
        "product_quality": 5,
        "buyer": 5,
    }
    markets = explore(session, scope, GroupBy.MARKETPLACE)
    assert {row.label: (row.units_returned, row.units_shipped) for row in markets.items} == {
        "US": (9, 28),
        "CA": (1, 5),
    }


def test_returns_only_filters_keep_the_shipped_units(session: Session, scope: Scope) -> None:
    buyer = explore(session, scope, responsibility=Responsible.BUYER)
    assert (buyer.totals.units_returned, buyer.totals.units_shipped) == (5, 33)
    assert {row.key for row in buyer.items} == {"K-1", "K-2", "K-3"}
    at_phx6 = explore(session, scope, fc="phx6")
    assert [(row.key, row.units_returned) for row in at_phx6.items] == [("K-1", 3)]
    damaged = explore(session, scope, disposition="CUSTOMER_DAMAGED")
    assert [row.key for row in damaged.items] == ["G-1"]
    # The prefix matches SKUs and ASINs (any case for the ASIN), on both sides.
    by_prefix = explore(session, scope, q="K-")
    assert (by_prefix.totals.units_returned, by_prefix.totals.units_shipped) == (8, 25)
    by_asin = explore(session, scope, q="b0g")
    assert (by_asin.totals.units_returned, by_asin.totals.units_shipped) == (2, 8)


def test_weeks_and_months(session: Session, scope: Scope) -> None:
    weeks = explore(session, scope, GroupBy.WEEK)
    assert weeks.interval == Interval.WEEK
    assert [(row.key, row.units_returned, row.units_shipped) for row in weeks.items] == [
        ("2026-05-04", 0, 10),
        ("2026-05-11", 0, 23),
        ("2026-05-18", 6, 0),
        ("2026-05-25", 4, 0),
    ]
    # The first week is cut to the period: Saturday 2 and Sunday 3 May.
    assert (weeks.trend[0].start, weeks.trend[0].end) == (date(2026, 5, 2), date(2026, 5, 3))
    months = explore(session, scope, GroupBy.MONTH, first=date(2026, 4, 1))
    assert [(row.label, row.units_returned, row.units_shipped) for row in months.items] == [
        ("2026-04", 1, 10),
        ("2026-05", 10, 33),
    ]


def test_category_mix_of_a_sku_and_of_the_filtered_set(session: Session, scope: Scope) -> None:
    period = explorer_filters.period_of(date_from=FIRST, date_to=LAST, days=None, today=LAST)
    mix = explorer_mix.category_mix(
        session, scope=scope, filters=ExplorerFilters(), period=period, sku="K-1"
    )
    assert mix.categories == ["Kitchen"]
    assert (mix.units, mix.category_units) == (4, 8)
    lines = {line.reason: line for line in mix.reasons}
    assert lines["DEFECTIVE"].share == 0.75
    assert lines["DEFECTIVE"].category_share == pytest.approx(3 / 8)
    assert lines["DEFECTIVE"].over_represented
    assert lines["UNWANTED_ITEM"].share == 0.25
    assert lines["UNWANTED_ITEM"].category_share == pytest.approx(5 / 8)
    assert not lines["UNWANTED_ITEM"].over_represented
    # A SKU without a product group is compared with the other SKUs without one.
    unknown = explorer_mix.category_mix(
        session, scope=scope, filters=ExplorerFilters(), period=period, sku="G-1"
    )
    assert unknown.categories == [NO_CATEGORY]
    assert (unknown.units, unknown.category_units) == (2, 2)
    filtered = explorer_mix.category_mix(
        session, scope=scope, filters=ExplorerFilters(fc="PHX6"), period=period
    )
    assert filtered.categories == ["Kitchen"]
    assert (filtered.units, filtered.category_units) == (3, 8)
    with pytest.raises(SkuNotFound):
        explorer_mix.category_mix(
            session, scope=scope, filters=ExplorerFilters(), period=period, sku="NOT-MINE"
        )


def test_period_presets_and_bad_periods() -> None:
    today = date(2026, 5, 31)
    preset = explorer_filters.period_of(date_from=None, date_to=None, days=30, today=today)
    assert (preset.date_from, preset.date_to) == (date(2026, 5, 2), today)
    default = explorer_filters.period_of(date_from=None, date_to=None, days=None, today=today)
    assert default.days == 90
    with pytest.raises(InvalidInput, match="start date"):
        explorer_filters.period_of(
            date_from=date(2026, 6, 1), date_to=today, days=None, today=today
        )
    with pytest.raises(InvalidInput):
        explorer_filters.period_of(
            date_from=date(2020, 1, 1), date_to=today, days=None, today=today
        )
