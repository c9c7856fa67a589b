"""Dashboard figures for a scope, computed from imported orders, returns and inventory.

Shipped units come from the All Orders report (``OrderItem`` lines with item status
Shipped, dated by purchase date): it covers FBA and seller-fulfilled orders of every
marketplace, whereas the Amazon Fulfilled Shipments report (``ShipmentItem``) has FBA only
and is often not imported. Orders are ``Order`` rows of that report whose status is
Shipping (partly shipped) or Shipped*, counted by purchase date. Returned units are FBA returns dated by the day the fulfilment
centre processed them. Days are UTC calendar days; windows end at ``as_of`` included.
Units of several stores and marketplaces are added up; no money is summed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from aftersales.amazon import returns_vocabulary as vocabulary
from aftersales.dashboard import repository as dashboard_repository
from aftersales.dashboard.repository import ResultRow
from aftersales.dashboard.schemas import (
    Dashboard,
    InventoryHealth,
    MarketplaceFigures,
    ReasonCount,
    ReturnedSku,
    TrendPoint,
    WindowFigures,
)
from aftersales.imports import service as import_service
from aftersales.kit.cache import VersionedCache
from aftersales.kit.i18n import current_locale
from aftersales.kit.scope import Scope
from aftersales.models.inventory import gives_inbound, source_rank

WINDOWS_DAYS = (7, 30, 90)
TREND_DAYS = 90
TOP_SKUS_DAYS = 30
TOP_SKUS = 10
TOP_REASONS = 3
SUPPLY_SALES_DAYS = 30
INVENTORY_ROWS = 20


@dataclass(slots=True)
class _Day:
    orders: int = 0
    units_shipped: int = 0
    units_returned: int = 0
    unsellable: int = 0


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _rate(returned: int, shipped: int) -> float | None:
    return returned / shipped if shipped else None


def _daily(
    session: Session, scope: Scope, first_day: date, as_of: date
) -> dict[str | None, dict[date, _Day]]:
    """Daily figures per marketplace id from ``first_day`` to ``as_of``."""
    start, end = _start_of(first_day), _start_of(as_of + timedelta(days=1))
    days: dict[str | None, dict[date, _Day]] = defaultdict(lambda: defaultdict(_Day))
    every_day = [first_day + timedelta(days=n) for n in range((as_of - first_day).days + 1)]
    for row in dashboard_repository.daily_by_marketplace(session, scope=scope, days=every_day):
        if not (row.orders or row.units_shipped or row.units_returned):
            continue
        bucket = days[row.marketplace_id][_as_date(row.day_start)]
        bucket.orders += int(row.orders or 0)
        bucket.units_shipped += int(row.units_shipped or 0)
        bucket.units_returned += int(row.units_returned or 0)
        bucket.unsellable += int(row.unsellable or 0)
    for (
        day,
        orders,
        shipped,
        returned,
        unsellable,
    ) in dashboard_repository.daily_without_marketplace(session, scope=scope, start=start, end=end):
        bucket = days[None][_as_date(day)]
        bucket.orders += orders
        bucket.units_shipped += shipped
        bucket.units_returned += returned
        bucket.unsellable += unsellable
    return days


def _window(days: Iterable[dict[date, _Day]], length: int, as_of: date) -> WindowFigures:
    start = as_of - timedelta(days=length - 1)
    total = _Day()
    for by_day in days:
        for day, figures in by_day.items():
            if start <= day <= as_of:
                total.orders += figures.orders
                total.units_shipped += figures.units_shipped
                total.units_returned += figures.units_returned
                total.unsellable += figures.unsellable
    return WindowFigures(
        days=length,
        start=start,
        end=as_of,
        orders=total.orders,
        units_shipped=total.units_shipped,
        units_returned=total.units_returned,
        return_rate=_rate(total.units_returned, total.units_shipped),
        unsellable_units=total.unsellable,
    )


def _trend(days: Iterable[dict[date, _Day]], as_of: date) -> list[TrendPoint]:
    shipped: dict[date, int] = defaultdict(int)
    returned: dict[date, int] = defaultdict(int)
    for by_day in days:
        for day, figures in by_day.items():
            shipped[day] += figures.units_shipped
            returned[day] += figures.units_returned
    first = as_of - timedelta(days=TREND_DAYS - 1)
    points = []
    for offset in range(TREND_DAYS):
        day = first + timedelta(days=offset)
        points.append(
            TrendPoint(
                day=day,
                units_shipped=shipped[day],
                units_returned=returned[day],
                return_rate=_rate(returned[day], shipped[day]),
            )
        )
    return points


def _by_marketplace(
    session: Session, days: dict[str | None, dict[date, _Day]], as_of: date
) -> list[MarketplaceFigures]:
    codes = dashboard_repository.marketplace_codes(
        session, ids=[market for market in days if market is not None]
    )
    breakdown = [
        MarketplaceFigures(
            marketplace_id=market,
            marketplace_code=codes.get(market) if market else None,
            windows=[_window([by_day], length, as_of) for length in WINDOWS_DAYS],
        )
        for market, by_day in days.items()
    ]
    return sorted(
        breakdown, key=lambda item: (item.marketplace_code is None, item.marketplace_code or "")
    )


def _top_returned_skus(session: Session, scope: Scope, as_of: date) -> list[ReturnedSku]:
    start = _start_of(as_of - timedelta(days=TOP_SKUS_DAYS - 1))
    end = _start_of(as_of + timedelta(days=1))
    top = dashboard_repository.most_returned_skus(
        session, scope=scope, start=start, end=end, limit=TOP_SKUS
    )
    skus = [row.sku for row in top]
    names = dashboard_repository.product_names(session, scope=scope, skus=skus)
    shipped = dashboard_repository.shipped_units_of_skus(
        session, scope=scope, start=start, end=end, skus=skus
    )
    reasons: dict[str, list[ReasonCount]] = defaultdict(list)
    for row in dashboard_repository.reasons_of_skus(
        session, scope=scope, start=start, end=end, skus=skus
    ):
        reasons[row.sku].append(
            ReasonCount(
                reason=row.reason,
                label=vocabulary.reason_label(row.reason),
                units=int(row.units or 0),
            )
        )
    result = []
    for row in top:
        units = int(row.units or 0)
        ranked = sorted(reasons[row.sku], key=lambda item: (-item.units, item.reason or "~"))
        result.append(
            ReturnedSku(
                sku=row.sku,
                product_name=names.get(row.sku),
                units_returned=units,
                units_shipped=shipped.get(row.sku, 0),
                return_rate=_rate(units, shipped.get(row.sku, 0)),
                top_reasons=ranked[:TOP_REASONS],
            )
        )
    return result


def _sum(values: Iterable[int | None]) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _inventory(session: Session, scope: Scope, as_of: date) -> tuple[list[InventoryHealth], int]:
    listings: dict[tuple[int, str | None, str], list[ResultRow]] = defaultdict(list)
    for row in dashboard_repository.latest_inventory(
        session,
        scope=scope,
        as_of=as_of,
        sales_start=_start_of(as_of - timedelta(days=SUPPLY_SALES_DAYS - 1)),
        sales_end=_start_of(as_of + timedelta(days=1)),
    ):
        listings[(row.store_id, row.marketplace_id, row.sku)].append(row)
    health = []
    for rows in listings.values():
        chosen = _latest_source(rows)
        # The reserved and inbound units from the newest report that gives them: the AFN
        # report gives neither, and a newer one must not hide the MYI report's.
        reserved = _latest_source([row for row in rows if row.reserved is not None] or chosen)
        inbound = _latest_source([row for row in rows if gives_inbound(row)] or chosen)
        shipped = int(chosen[0].units_shipped or 0)
        average = shipped / SUPPLY_SALES_DAYS
        fulfillable = _sum(row.fulfillable for row in chosen)
        first = chosen[0]
        health.append(
            InventoryHealth(
                store_id=first.store_id,
                store_name=first.store_name,
                marketplace_id=first.marketplace_id,
                marketplace_code=first.marketplace_code,
                sku=first.sku,
                fnsku=next((row.fnsku for row in chosen if row.fnsku), None),
                asin=next((row.asin for row in chosen if row.asin), None),
                source=first.source,
                snapshot_date=first.snapshot_date,
                fulfillable=fulfillable,
                unfulfillable=_sum(row.unfulfillable for row in chosen),
                reserved=_sum(row.reserved for row in reserved),
                inbound=_sum(
                    value
                    for row in inbound
                    for value in (row.inbound_working, row.inbound_shipped, row.inbound_receiving)
                ),
                units_shipped_30_days=shipped,
                average_daily_units=average,
                days_of_supply=(fulfillable or 0) / average if average else None,
            )
        )
    health.sort(
        key=lambda item: (
            item.days_of_supply is None,
            item.days_of_supply or 0.0,
            item.sku,
            item.marketplace_code or "",
            item.store_name,
        )
    )
    return health[:INVENTORY_ROWS], len(health)


def _latest_source(rows: Sequence[ResultRow]) -> list[ResultRow]:
    """The rows of the most recent snapshot; on a tie, of the most complete report."""
    newest = max(row.snapshot_date for row in rows)

    source = min(
        (row.source for row in rows if row.snapshot_date == newest),
        key=lambda name: (source_rank(name), name),
    )
    return [row for row in rows if row.snapshot_date == newest and row.source == source]


# Dashboards are the same for everyone looking at the same stores and day until the next
# import: they are computed once per (scope, day, data version, language).
_cache: VersionedCache[Dashboard] = VersionedCache(max_entries=256)


def get_dashboard(session: Session, *, scope: Scope, as_of: date) -> Dashboard:
    """The dashboard of ``scope`` for the windows ending at ``as_of``.

    Served from memory while no import has touched the scope's stores since it was
    computed (the newest import batch id is part of the key); labels depend on the language.
    """
    version = import_service.data_version(session, store_ids=scope.store_ids)
    key = (scope.store_ids, scope.marketplace_ids, as_of, version, current_locale())
    return _cache.get_or_compute(key, lambda: compute_dashboard(session, scope=scope, as_of=as_of))


def compute_dashboard(session: Session, *, scope: Scope, as_of: date) -> Dashboard:
    """The figures straight from the database (no cache)."""
    first_day = as_of - timedelta(days=max(*WINDOWS_DAYS, TREND_DAYS) - 1)
    days = _daily(session, scope, first_day, as_of)
    inventory, inventory_count = _inventory(session, scope, as_of)
    return Dashboard(
        as_of=as_of,
        windows=[_window(days.values(), length, as_of) for length in WINDOWS_DAYS],
        by_marketplace=_by_marketplace(session, days, as_of),
        trend=_trend(days.values(), as_of),
        top_returned_skus_days=TOP_SKUS_DAYS,
        top_returned_skus=_top_returned_skus(session, scope, as_of),
        inventory=inventory,
        inventory_sku_count=inventory_count,
    )


def clear_cache() -> None:
    _cache.clear()
