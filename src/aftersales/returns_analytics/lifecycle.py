"""Per-unit lifecycle of returns: order shipped → refund → received at the FC → restocked,
reimbursed or removal ordered → removal shipped or disposed, each step dated from the
imported reports; the board's counts per stage and its three work lists.

A unit here is one (store, order id, SKU) with a refund or an FBA return: refunds,
returns and reimbursements name the order and the SKU, so they match exactly. Removal
orders name only a SKU: see ``lifecycle_calc.match_removals`` (first in, first out).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from aftersales.amazon import returns_vocabulary as vocabulary
from aftersales.exceptions import NotFound
from aftersales.kit.i18n import N_, gettext
from aftersales.kit.query import day_start
from aftersales.kit.scope import Scope
from aftersales.models import FbaReturn, Refund, Reimbursement, RemovalOrder
from aftersales.returns_analytics import lifecycle_repository as repository
from aftersales.returns_analytics.lifecycle_calc import (
    STAGE_LABELS,
    RemovalLine,
    RemovalMatch,
    Stage,
    UnitFacts,
    UnsellableUnit,
    days_between,
    match_removals,
    stage_of,
    steps_of,
)
from aftersales.returns_analytics.lifecycle_schemas import (
    LifecycleBoard,
    LifecycleList,
    LifecycleStep,
    RefundedNotReceived,
    RemovalNotShipped,
    StageCount,
    UnitTimeline,
    UnsellableInStock,
)

DEFAULT_DAYS = 90
LIST_LIMIT = 500
PRINCIPAL = ("ItemPrice", "Principal")
SHIPPED = "shipped"

Key = tuple[int, str, str]  # store id, Amazon order id, SKU
StoreSku = tuple[int, str]


class UnitNotFound(NotFound):
    code = "unit_not_found"


@dataclass
class _Removals:
    """Which removal line took each unsellable unit, and the lines' shipment dates."""

    matches: dict[int, list[RemovalMatch | None]] = field(default_factory=dict)
    lines: dict[int, RemovalOrder] = field(default_factory=dict)
    first_shipped: dict[tuple[int, str, str], datetime] = field(default_factory=dict)


def _removals(session: Session, *, store_ids: Sequence[int], skus: Iterable[str]) -> _Removals:
    skus = set(skus)
    if not skus:
        return _Removals()
    units: dict[StoreSku, list[UnsellableUnit]] = defaultdict(list)
    for row in repository.returns_of_skus(session, store_ids=store_ids, skus=skus):
        if vocabulary.is_sellable(row.detailed_disposition) is False:
            units[(row.store_id, row.sku)].extend(
                UnsellableUnit(return_id=row.id, received_at=row.return_date)
                for _ in range(max(row.quantity, 1))
            )
    lines: dict[StoreSku, list[RemovalLine]] = defaultdict(list)
    by_id: dict[int, RemovalOrder] = {}
    for removal in repository.removals_of_skus(session, store_ids=store_ids, skus=skus):
        by_id[removal.id] = removal
        lines[(removal.store_id, removal.sku)].append(
            RemovalLine(
                id=removal.id,
                requested_at=removal.request_date,
                order_type=removal.order_type,
                status=removal.order_status,
                requested=removal.requested_quantity or 0,
                cancelled=removal.cancelled_quantity or 0,
                shipped=removal.shipped_quantity or 0,
                disposed=removal.disposed_quantity or 0,
            )
        )
    found = _Removals(lines=by_id)
    for store_sku, store_units in units.items():
        found.matches.update(match_removals(store_units, lines.get(store_sku, [])))
    found.first_shipped = repository.first_shipments(
        session, store_ids=store_ids, order_ids={line.order_id for line in by_id.values()}
    )
    return found


def _removal_dates(
    removals: _Removals, match: RemovalMatch | None
) -> tuple[RemovalOrder | None, datetime | None, datetime | None]:
    """(removal line, shipped at, disposed at) of a matched unit."""
    if match is None:
        return None, None, None
    line = removals.lines[match.removal_id]
    shipped_at = None
    if match.shipped:
        shipped_at = removals.first_shipped.get(
            (line.store_id, line.order_id, line.sku), line.last_updated_date or line.request_date
        )
    disposed_at = (line.last_updated_date or line.request_date) if match.disposed else None
    return line, shipped_at, disposed_at


def _is_shipped(status: str | None) -> bool:
    return (status or "").strip().lower().startswith(SHIPPED)


def _timelines(session: Session, *, scope: Scope, keys: set[Key]) -> dict[Key, UnitTimeline]:
    """The timeline of each unit, from every report row of its order and SKU in the scope."""
    if not keys:
        return {}
    order_ids = {order_id for _, order_id, _ in keys}
    refunds: dict[Key, list[Refund]] = defaultdict(list)
    for refund in repository.refunds_of_orders(session, scope=scope, order_ids=order_ids):
        refunds[(refund.store_id, str(refund.amazon_order_id), str(refund.sku))].append(refund)
    returns: dict[Key, list[FbaReturn]] = defaultdict(list)
    for row in repository.returns_of_orders(session, scope=scope, order_ids=order_ids):
        returns[(row.store_id, row.amazon_order_id, row.sku)].append(row)
    shipped: dict[Key, datetime] = {}
    marketplaces: dict[Key, str | None] = {}
    for item in repository.shipped_lines(session, scope=scope, order_ids=order_ids):
        key = (item.store_id, item.amazon_order_id, item.sku)
        marketplaces.setdefault(key, item.marketplace_id)
        if item.purchase_date is not None and (
            _is_shipped(item.item_status) or _is_shipped(item.order_status)
        ):
            shipped[key] = item.purchase_date
    reimbursements: dict[Key, list[Reimbursement]] = defaultdict(list)
    for paid in repository.reimbursements_of_orders(session, scope=scope, order_ids=order_ids):
        reimbursements[(paid.store_id, str(paid.amazon_order_id), str(paid.sku or ""))].append(paid)
    unsellable_skus = {
        key[2]
        for key in keys
        for row in returns.get(key, [])
        if vocabulary.is_sellable(row.detailed_disposition) is False
    }
    removals = _removals(session, store_ids=scope.store_ids, skus=unsellable_skus)

    timelines: dict[Key, UnitTimeline] = {}
    for key in keys:
        store_id, order_id, sku = key
        key_refunds = sorted(
            refunds.get(key, []), key=lambda r: r.posted_date or datetime.max.replace(tzinfo=UTC)
        )
        key_returns = sorted(returns.get(key, []), key=lambda r: (r.return_date, r.id))
        key_paid = sorted(reimbursements.get(key, []), key=lambda r: r.approval_date)
        if not key_refunds and not key_returns and key not in shipped:
            continue
        first_return = key_returns[0] if key_returns else None
        principal = [
            r.amount for r in key_refunds if (r.amount_type, r.amount_description) == PRINCIPAL
        ]
        match = removals.matches.get(first_return.id, [None])[0] if first_return else None
        line, removal_shipped_at, disposed_at = _removal_dates(removals, match)
        facts = UnitFacts(
            shipped_at=shipped.get(key),
            refunded_at=next((r.posted_date for r in key_refunds if r.posted_date), None),
            received_at=first_return.return_date if first_return else None,
            sellable=(
                vocabulary.is_sellable(first_return.detailed_disposition) if first_return else None
            ),
            reimbursed_at=key_paid[0].approval_date if key_paid else None,
            removal_ordered_at=line.request_date if line else None,
            removal_shipped_at=removal_shipped_at,
            disposed_at=disposed_at,
        )
        stage = stage_of(facts)
        disposition = first_return.detailed_disposition if first_return else None
        timelines[key] = UnitTimeline(
            store_id=store_id,
            marketplace_id=(
                first_return.marketplace_id
                if first_return
                else key_refunds[0].marketplace_id
                if key_refunds
                else marketplaces.get(key)
            ),
            amazon_order_id=order_id,
            sku=sku,
            shipped_at=facts.shipped_at,
            refunded_at=facts.refunded_at,
            refund_amount=-sum(principal, Decimal(0)) if principal else None,
            refund_currency=key_refunds[0].currency if key_refunds else None,
            received_at=facts.received_at,
            disposition=disposition,
            disposition_label=vocabulary.disposition_label(disposition),
            license_plate_numbers=[
                r.license_plate_number for r in key_returns if r.license_plate_number
            ],
            reimbursed_at=facts.reimbursed_at,
            reimbursed_amount=(
                sum((r.amount_total or Decimal(0) for r in key_paid), Decimal(0))
                if key_paid
                else None
            ),
            reimbursed_currency=key_paid[0].currency if key_paid else None,
            removal_order_id=line.order_id if line else None,
            removal_ordered_at=facts.removal_ordered_at,
            removal_shipped_at=facts.removal_shipped_at,
            disposed_at=facts.disposed_at,
            stage=stage,
            stage_label=gettext(STAGE_LABELS[stage]),
            steps=[
                LifecycleStep(stage=step, label=gettext(STAGE_LABELS[step]), at=at)
                for step, at in steps_of(facts)
            ],
        )
    return timelines


def _sorted_by_key(timelines: dict[Key, UnitTimeline]) -> list[UnitTimeline]:
    return [timelines[key] for key in sorted(timelines)]


def unit_timeline(
    session: Session, *, scope: Scope, amazon_order_id: str, sku: str
) -> UnitTimeline:
    """One unit's timeline; 404 when the scope has no refund, return or order line of it."""
    keys = {(store_id, amazon_order_id, sku) for store_id in scope.store_ids}
    found = _sorted_by_key(_timelines(session, scope=scope, keys=keys))
    if not found:
        raise UnitNotFound(
            N_("no refund, return or order line of %(sku)s in order %(order)s"),
            sku=sku,
            order=amazon_order_id,
        )
    return found[0]


@dataclass(frozen=True)
class Period:
    """UTC days [date_from, date_to], and the day ages are counted to."""

    date_from: date
    date_to: date
    as_of: date

    @property
    def start(self) -> datetime:
        return day_start(self.date_from)

    @property
    def end(self) -> datetime:
        return day_start(self.date_to + timedelta(days=1))

    @property
    def as_of_moment(self) -> datetime:
        return day_start(self.as_of)


def period_of(*, date_from: date | None, date_to: date | None, as_of: date | None) -> Period:
    today = as_of or datetime.now(UTC).date()
    last = date_to or today
    first = date_from or last - timedelta(days=DEFAULT_DAYS - 1)
    return Period(date_from=min(first, last), date_to=last, as_of=today)


def _keys_in(session: Session, *, scope: Scope, period: Period) -> set[Key]:
    keys: set[Key] = set()
    for refund in repository.refunds_posted(
        session, scope=scope, start=period.start, end=period.end
    ):
        keys.add((refund.store_id, str(refund.amazon_order_id), str(refund.sku)))
    for row in repository.returns_received(
        session, scope=scope, start=period.start, end=period.end
    ):
        keys.add((row.store_id, row.amazon_order_id, row.sku))
    return keys


def refunded_not_received(
    timelines: Iterable[UnitTimeline], *, period: Period
) -> list[RefundedNotReceived]:
    """Units refunded in the period that no FBA return report shows received (yet), the
    oldest refund first. A partial return (2 refunded, 1 back) counts as received."""
    waiting = [
        unit
        for unit in timelines
        if unit.received_at is None
        and unit.refunded_at is not None
        and period.start <= unit.refunded_at < period.end
    ]
    waiting.sort(key=lambda unit: (unit.refunded_at, unit.store_id, unit.amazon_order_id))
    return [
        RefundedNotReceived(
            unit=unit,
            days_since_refund=days_between(unit.refunded_at, period.as_of_moment),  # type: ignore[arg-type]
        )
        for unit in waiting
    ]


def unsellable_in_stock(
    session: Session, *, scope: Scope, period: Period
) -> list[UnsellableInStock]:
    """Unsellable returns received in the period that no later removal of their SKU took
    (first in, first out) while the SKU's latest snapshot still has unfulfillable units."""
    received = [
        row
        for row in repository.returns_received(
            session, scope=scope, start=period.start, end=period.end
        )
        if vocabulary.is_sellable(row.detailed_disposition) is False
    ]
    skus = {row.sku for row in received}
    removals = _removals(session, store_ids=scope.store_ids, skus=skus)
    stock = repository.latest_unfulfillable(session, store_ids=scope.store_ids, skus=skus)
    found: list[UnsellableInStock] = []
    for row in received:
        if all(match is not None for match in removals.matches.get(row.id, [None])):
            continue
        snapshot = stock.get((row.store_id, row.sku))
        if snapshot is None or snapshot[1] <= 0:
            continue
        found.append(
            UnsellableInStock(
                store_id=row.store_id,
                marketplace_id=row.marketplace_id,
                amazon_order_id=row.amazon_order_id,
                sku=row.sku,
                license_plate_number=row.license_plate_number,
                received_at=row.return_date,
                disposition=row.detailed_disposition,
                disposition_label=vocabulary.disposition_label(row.detailed_disposition),
                days_since_received=days_between(row.return_date, period.as_of_moment),
                snapshot_date=snapshot[0],
                unfulfillable_units=snapshot[1],
            )
        )
    found.sort(key=lambda item: (item.received_at, item.store_id, item.amazon_order_id))
    return found


def removal_not_shipped(
    session: Session, *, scope: Scope, period: Period
) -> list[RemovalNotShipped]:
    """Return-type removal lines requested in the period that have shipped fewer units
    than requested (less cancelled and disposed); disposals never ship and are left out."""
    found: list[RemovalNotShipped] = []
    for removal in repository.removals_requested(
        session, scope=scope, start=period.start, end=period.end
    ):
        line = RemovalLine(
            id=removal.id,
            requested_at=removal.request_date,
            order_type=removal.order_type,
            status=removal.order_status,
            requested=removal.requested_quantity or 0,
            cancelled=removal.cancelled_quantity or 0,
            shipped=removal.shipped_quantity or 0,
            disposed=removal.disposed_quantity or 0,
        )
        if (removal.order_type or "").strip().lower() == "disposal":
            continue
        if line.shipped + line.disposed >= line.capacity:
            continue
        found.append(
            RemovalNotShipped(
                store_id=removal.store_id,
                marketplace_id=removal.marketplace_id,
                removal_order_id=removal.order_id,
                sku=removal.sku,
                fnsku=removal.fnsku,
                order_type=removal.order_type,
                order_status=removal.order_status,
                requested_at=removal.request_date,
                requested_quantity=line.requested,
                cancelled_quantity=line.cancelled,
                shipped_quantity=line.shipped,
                age_days=days_between(removal.request_date, period.as_of_moment),
            )
        )
    found.sort(key=lambda item: (item.requested_at, item.store_id, item.removal_order_id))
    return found


def board(
    session: Session,
    *,
    scope: Scope,
    period: Period,
    lists: Iterable[LifecycleList] = tuple(LifecycleList),
) -> LifecycleBoard:
    """Counts per stage of the period's units, each list's total, and the items (up to
    ``LIST_LIMIT``) of the lists asked for."""
    wanted = set(lists)
    timelines = _sorted_by_key(
        _timelines(session, scope=scope, keys=_keys_in(session, scope=scope, period=period))
    )
    counts: dict[Stage, int] = defaultdict(int)
    for unit in timelines:
        counts[unit.stage] += 1
    waiting = refunded_not_received(timelines, period=period)
    unsellable = unsellable_in_stock(session, scope=scope, period=period)
    not_shipped = removal_not_shipped(session, scope=scope, period=period)
    return LifecycleBoard(
        date_from=period.date_from,
        date_to=period.date_to,
        as_of=period.as_of,
        stages=[
            StageCount(stage=stage, label=gettext(STAGE_LABELS[stage]), units=counts[stage])
            for stage in Stage
        ],
        totals={
            LifecycleList.REFUNDED_NOT_RECEIVED: len(waiting),
            LifecycleList.UNSELLABLE_IN_STOCK: len(unsellable),
            LifecycleList.REMOVAL_NOT_SHIPPED: len(not_shipped),
        },
        limit=LIST_LIMIT,
        refunded_not_received=(
            waiting[:LIST_LIMIT] if LifecycleList.REFUNDED_NOT_RECEIVED in wanted else None
        ),
        unsellable_in_stock=(
            unsellable[:LIST_LIMIT] if LifecycleList.UNSELLABLE_IN_STOCK in wanted else None
        ),
        removal_not_shipped=(
            not_shipped[:LIST_LIMIT] if LifecycleList.REMOVAL_NOT_SHIPPED in wanted else None
        ),
    )
