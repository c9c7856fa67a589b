"""Simulate removal orders for unsellable stock, the FBA inventory position at the end date,
and the weekly positions before it (as a seller who downloads the inventory report weekly
has them)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from aftersales.demo.catalog import Listing
from aftersales.demo.ids import IdFactory, jitter
from aftersales.demo.returns import CustomerReturn, ReturnsYear
from aftersales.demo.sales import SalesYear


@dataclass(slots=True)
class RemovalShipment:
    """A parcel of a removal order on its way back to the seller."""

    shipped: datetime
    quantity: int
    carrier: str
    tracking: str


@dataclass(slots=True)
class RemovalLine:
    """One SKU and disposition of a removal order, with its quantity breakdown."""

    listing: Listing
    disposition: str
    requested: int
    cancelled: int = 0
    disposed: int = 0
    shipped: int = 0
    in_process: int = 0
    fee: int = 0
    shipments: list[RemovalShipment] = field(default_factory=list)


@dataclass(slots=True)
class RemovalOrder:
    """A removal (return to seller) or disposal order covering one or more SKUs."""

    order_id: str
    order_type: str
    requested: datetime
    status: str
    last_updated: datetime
    lines: list[RemovalLine]


@dataclass(slots=True)
class Position:
    """Inventory of one FBA listing at the end date, bucket by bucket."""

    listing: Listing
    fulfillable: int
    unsellable: int
    reserved_orders: int
    fc_transfer: int
    fc_processing: int
    inbound_working: int
    inbound_shipped: int
    inbound_receiving: int
    researching: int
    pending_removal: int
    out_of_stock: bool
    days_of_cover: float
    units_shipped: dict[int, int]
    sales_shipped: dict[int, int]

    @property
    def reserved(self) -> int:
        return self.reserved_orders + self.fc_transfer + self.fc_processing

    @property
    def warehouse(self) -> int:
        return self.fulfillable + self.unsellable + self.reserved

    @property
    def inbound(self) -> int:
        return self.inbound_working + self.inbound_shipped + self.inbound_receiving

    @property
    def velocity(self) -> float:
        return self.units_shipped[30] / 30


@dataclass
class StockYear:
    """Removal orders and the end-date inventory of one store."""

    removals: list[RemovalOrder]
    positions: list[Position]


def removal_fee_per_unit(listing: Listing) -> int:
    weight = listing.product.weight_kg
    usd = 0.97 if weight < 0.25 else 1.46 if weight < 0.5 else 2.20 if weight < 1 else 3.13
    usd += max(0.0, weight - 1) * 0.75
    value = usd * listing.marketplace.price_factor
    if listing.marketplace.is_yen:
        return round(value) * 100
    return round(value * 100)


class _RemovalPlanner:
    def __init__(self, sales: SalesYear, seed: int) -> None:
        name = sales.store.name
        self.sales = sales
        self.as_of = sales.as_of
        self.rng = random.Random(f"{seed}:removals:{name}")
        self.ids = IdFactory(random.Random(f"{seed}:removal-ids:{name}"))

    def status_for(self, requested: datetime) -> str:
        age = self.as_of - requested
        if age >= timedelta(days=25):
            return "Cancelled" if self.rng.random() < 0.08 else "Completed"
        if age >= timedelta(days=8):
            return "In Process"
        return "Pending"

    def order_id(self, marketplace_code: str, requested: datetime) -> str:
        if self.rng.random() < 0.5:
            return self.ids.removal_order_id()
        serial = self.ids.digits(3)
        return f"RMV-{marketplace_code}-{requested:%y%m%d}-{serial}"

    def fill(self, order: RemovalOrder, line: RemovalLine) -> None:
        rng = self.rng
        quantity = line.requested
        returning = order.order_type == "Return"
        if order.status == "Cancelled":
            line.cancelled = quantity
        elif order.status == "Pending":
            line.in_process = quantity
        elif order.status == "Completed":
            if returning:
                line.cancelled = 1 if quantity >= 3 and rng.random() < 0.15 else 0
                line.shipped = quantity - line.cancelled
            else:
                line.disposed = quantity
        else:
            done = quantity // 2
            if returning:
                line.shipped = done
            else:
                line.disposed = done
            line.in_process = quantity - done
        line.fee = removal_fee_per_unit(line.listing) * (line.disposed + line.shipped)
        if line.shipped:
            self.ship(order, line)

    def ship(self, order: RemovalOrder, line: RemovalLine) -> None:
        rng = self.rng
        carrier = line.listing.marketplace.removal_carrier
        if carrier == "UPS" and rng.random() < 0.3:
            carrier = "USPS"
        parts = [line.shipped]
        if line.shipped >= 2 and rng.random() < 0.3:
            first = rng.randint(1, line.shipped - 1)
            parts = [first, line.shipped - first]
        for part in parts:
            shipped = order.requested + jitter(rng, 24 * 4, 24 * 14)
            shipped = min(shipped, order.last_updated)
            line.shipments.append(
                RemovalShipment(
                    shipped=shipped,
                    quantity=part,
                    carrier=carrier,
                    tracking=self.ids.tracking(carrier),
                )
            )

    def last_updated(self, order: RemovalOrder) -> datetime:
        rng = self.rng
        if order.status == "Completed":
            moment = order.requested + jitter(rng, 24 * 10, 24 * 24)
        elif order.status == "Cancelled":
            moment = order.requested + jitter(rng, 6, 24 * 5)
        elif order.status == "In Process":
            moment = order.requested + jitter(rng, 24 * 4, 24 * 7)
        else:
            moment = order.requested + jitter(rng, 0, 12)
        return min(moment, self.as_of)

    def plan(self, returns: list[CustomerReturn]) -> list[RemovalOrder]:
        rng = self.rng
        start = datetime.combine(self.sales.start, datetime.min.time(), tzinfo=self.as_of.tzinfo)
        orders: list[RemovalOrder] = []
        sweep = start + timedelta(days=25)
        while sweep < self.as_of:
            for marketplace in self.sales.store.marketplaces:
                requested = sweep + jitter(rng, 0, 24 * 3)
                if requested > self.as_of:
                    continue
                held: dict[int, list[CustomerReturn]] = {}
                order_of: dict[int, Listing] = {}
                for item in returns:
                    listing = item.line.listing
                    if (
                        listing.marketplace is marketplace
                        and item.removable
                        and item.received is not None
                        and item.received <= requested - timedelta(days=3)
                    ):
                        held.setdefault(id(listing), []).append(item)
                        order_of[id(listing)] = listing
                chosen = [key for key in held if rng.random() < 0.55]
                if chosen:
                    orders.append(
                        self.unsellable_order(
                            marketplace.code, requested, [(order_of[k], held[k]) for k in chosen]
                        )
                    )
                if rng.random() < 0.3:
                    orders.append(self.sellable_order(marketplace.code, requested))
            sweep += timedelta(days=rng.randint(26, 34))
        return orders

    def unsellable_order(
        self, code: str, requested: datetime, groups: list[tuple[Listing, list[CustomerReturn]]]
    ) -> RemovalOrder:
        rng = self.rng
        order_type = "Disposal" if rng.random() < 0.6 else "Return"
        order = RemovalOrder(
            order_id=self.order_id(code, requested),
            order_type=order_type,
            requested=requested,
            status=self.status_for(requested),
            last_updated=requested,
            lines=[],
        )
        order.last_updated = self.last_updated(order)
        for listing, units in groups:
            line = RemovalLine(listing=listing, disposition="Unsellable", requested=len(units))
            self.fill(order, line)
            order.lines.append(line)
            done = line.disposed + line.shipped
            # Processed units leave FBA; queued ones stay unsellable until processed.
            for index, unit in enumerate(units[: done + line.in_process]):
                unit.removal_order_id = order.order_id
                unit.removal_done = index < done
                if index < line.disposed:
                    unit.status = "Disposed of"
        return order

    def sellable_order(self, code: str, requested: datetime) -> RemovalOrder:
        rng = self.rng
        order = RemovalOrder(
            order_id=self.order_id(code, requested),
            order_type="Return",
            requested=requested,
            status=self.status_for(requested),
            last_updated=requested,
            lines=[],
        )
        order.last_updated = self.last_updated(order)
        candidates = [
            listing
            for listing in self.sales.store.listings
            if listing.marketplace.code == code
            and not listing.fbm
            and listing.daily_rate < 0.6
            and listing.launch <= requested.date()
        ]
        for listing in rng.sample(candidates, min(len(candidates), rng.randint(1, 3))):
            line = RemovalLine(
                listing=listing, disposition="Sellable", requested=rng.randint(5, 30)
            )
            self.fill(order, line)
            order.lines.append(line)
        return order


def _positions(
    sales: SalesYear, returns: ReturnsYear, removals: list[RemovalOrder], seed: int
) -> list[Position]:
    rng = random.Random(f"{seed}:inventory:{sales.store.name}")
    as_of = sales.as_of
    end = sales.end
    windows = (7, 30, 60, 90)
    units: dict[int, dict[int, int]] = {}
    revenue: dict[int, dict[int, int]] = {}
    open_orders: dict[int, int] = {}
    for line in sales.lines():
        key = id(line.listing)
        if line.cancelled:
            continue
        if line.shipped is None:
            open_orders[key] = open_orders.get(key, 0) + line.quantity
            continue
        age = as_of - line.shipped
        for window in windows:
            if age <= timedelta(days=window):
                bucket = units.setdefault(key, dict.fromkeys(windows, 0))
                bucket[window] += line.quantity
                money = revenue.setdefault(key, dict.fromkeys(windows, 0))
                money[window] += line.item_price - line.promotion_discount
    unsellable: dict[int, int] = {}
    for item in returns.returns:
        if item.unsellable_in_stock:
            key = id(item.line.listing)
            unsellable[key] = unsellable.get(key, 0) + 1
    pending: dict[int, int] = {}
    for order in removals:
        for removal_line in order.lines:
            if removal_line.in_process:
                key = id(removal_line.listing)
                pending[key] = pending.get(key, 0) + removal_line.in_process
    positions: list[Position] = []
    for listing in sales.store.listings:
        if listing.fbm:
            continue
        key = id(listing)
        shipped_units = units.get(key, dict.fromkeys(windows, 0))
        velocity = shipped_units[30] / 30
        out = not listing.available(end)
        if out:
            fulfillable = 0
            cover = 0.0
        else:
            cover = rng.uniform(12, 110) if rng.random() < 0.9 else rng.uniform(150, 320)
            fulfillable = max(2, round(velocity * cover)) if velocity else rng.randint(15, 60)
        inbound = (out and rng.random() < 0.7) or rng.random() < 0.2
        batch = max(10, round(max(velocity, 0.5) * rng.uniform(30, 60)))
        stage = rng.choice(("working", "shipped", "receiving")) if inbound else ""
        positions.append(
            Position(
                listing=listing,
                fulfillable=fulfillable,
                unsellable=unsellable.get(key, 0),
                reserved_orders=open_orders.get(key, 0),
                fc_transfer=rng.randint(0, max(0, fulfillable // 25)) if fulfillable else 0,
                fc_processing=rng.randint(0, 2) if fulfillable and rng.random() < 0.2 else 0,
                inbound_working=batch if stage == "working" else 0,
                inbound_shipped=batch if stage == "shipped" else 0,
                inbound_receiving=batch if stage == "receiving" else 0,
                researching=1 if rng.random() < 0.04 else 0,
                pending_removal=pending.get(key, 0),
                out_of_stock=out,
                days_of_cover=round(fulfillable / velocity, 1) if velocity else 0.0,
                units_shipped=shipped_units,
                sales_shipped=revenue.get(key, dict.fromkeys(windows, 0)),
            )
        )
    return positions


def simulate_stock(sales: SalesYear, returns: ReturnsYear, seed: int) -> StockYear:
    """Plan monthly removals of unsellable returns, then take the end-date inventory."""
    planner = _RemovalPlanner(sales, seed)
    removals = planner.plan(returns.returns)
    removals.sort(key=lambda order: (order.requested, order.order_id))
    positions = _positions(sales, returns, removals, seed)
    return StockYear(removals=removals, positions=positions)


# Weekly inventory reports before the end date: enough for the 30-day velocity windows' stock
# checks and for dating inbound units in transit.
HISTORY_WEEKS = 6


def _inbound_timeline(position: Position, end: date, rng: random.Random) -> list[tuple[date, str]]:
    """When the end date's inbound batch entered each status (working, shipped, receiving)."""
    if position.inbound_receiving:
        receiving = end - timedelta(days=rng.randint(1, 9))
        shipped = receiving - timedelta(days=rng.randint(20, 40))
        return [(shipped - timedelta(days=rng.randint(3, 10)), "working"),
                (shipped, "shipped"), (receiving, "receiving")]  # fmt: skip
    if position.inbound_shipped:
        shipped = end - timedelta(days=rng.randint(3, 40))
        return [(shipped - timedelta(days=rng.randint(3, 10)), "working"), (shipped, "shipped")]
    if position.inbound_working:
        return [(end - timedelta(days=rng.randint(1, 12)), "working")]
    return []


def inventory_history(
    stock: StockYear, end: date, seed: int, store: str, weeks: int = HISTORY_WEEKS
) -> list[tuple[date, list[Position]]]:
    """The positions of the ``weeks`` weekly report days before ``end``, oldest first: out of
    stock on the listing's stock-out days, otherwise a plausible cover of its sales; the end
    date's inbound batch in the status it had that day."""
    rng = random.Random(f"{seed}:inventory-history:{store}")
    timelines = [_inbound_timeline(position, end, rng) for position in stock.positions]
    history = []
    for week in range(weeks, 0, -1):
        day = end - timedelta(days=7 * week)
        positions = []
        for position, timeline in zip(stock.positions, timelines, strict=True):
            batch = position.inbound
            status = next((s for since, s in reversed(timeline) if since <= day), "")
            out = not position.listing.available(day)
            velocity = position.velocity
            cover = rng.uniform(15, 110)
            fulfillable = (
                0 if out else max(2, round(velocity * cover)) if velocity else rng.randint(15, 60)
            )
            positions.append(
                replace(
                    position,
                    fulfillable=fulfillable,
                    reserved_orders=0,
                    fc_transfer=0,
                    fc_processing=0,
                    inbound_working=batch if status == "working" else 0,
                    inbound_shipped=batch if status == "shipped" else 0,
                    inbound_receiving=batch if status == "receiving" else 0,
                    out_of_stock=out,
                    days_of_cover=round(fulfillable / velocity, 1) if velocity else 0.0,
                )
            )
        history.append((day, positions))
    return history
