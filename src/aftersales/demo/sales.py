"""Simulate a year of Amazon orders per store: daily demand, seasonality, order lifecycle."""

from __future__ import annotations

import functools
import itertools
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from aftersales.demo.catalog import Listing, Store
from aftersales.demo.ids import IdFactory, jitter, poisson, share
from aftersales.demo.markets import Marketplace
from aftersales.demo.phrases import PLACES, Place

UTC = UTC
WEEKDAY_FACTOR = (1.05, 1.0, 0.98, 0.97, 0.92, 0.95, 1.13)
# Local purchase hour weights (0..23): quiet nights, busy evenings.
HOUR_WEIGHTS = (2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 7, 7, 6, 6, 6, 7, 8, 9, 9, 8, 6, 4)
_HOUR_CUMULATIVE = tuple(itertools.accumulate(HOUR_WEIGHTS))


@dataclass(slots=True)
class Order:
    """One Amazon order (one or more lines) with its fulfilment timeline."""

    order_id: str
    marketplace: Marketplace
    purchased: datetime
    channel: str
    service_level: str
    place: Place
    is_business: bool
    purchase_order_number: str
    status: str = "Shipped"
    shipped: datetime | None = None
    shipment_id: str = ""
    lines: list[OrderLine] = field(default_factory=list)


@dataclass(slots=True)
class OrderLine:
    """One order item; money amounts are hundredths of the marketplace currency."""

    order: Order
    listing: Listing
    quantity: int
    item_price: int
    item_tax: int
    shipping_price: int
    shipping_tax: int
    promotion_discount: int
    promotion_id: str
    order_item_id: str
    fulfillment_center: str
    last_updated: datetime

    @property
    def cancelled(self) -> bool:
        return self.order.status == "Cancelled"

    @property
    def shipped(self) -> datetime | None:
        return self.order.shipped

    def unit_price(self) -> int:
        return self.item_price // self.quantity

    def unit_tax(self) -> int:
        return self.item_tax // self.quantity

    def unit_discount(self) -> int:
        return self.promotion_discount // self.quantity

    def commission(self) -> int:
        """Referral fee charged on the line (positive number)."""
        base = self.item_price - self.promotion_discount + self.shipping_price
        return max(30, share(base, self.listing.marketplace.commission_basis_points))


@dataclass
class SalesYear:
    """All orders of one store, oldest first, plus the clock they were simulated against."""

    store: Store
    start: date
    end: date
    as_of: datetime
    orders: list[Order]
    _lines: list[OrderLine] | None = field(default=None, repr=False)

    def lines(self) -> list[OrderLine]:
        """Every order line, oldest order first (computed once, orders never change after)."""
        if self._lines is None:
            self._lines = [line for order in self.orders for line in order.lines]
        return self._lines


@functools.cache
def _black_friday(year: int) -> date:
    first = date(year, 11, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(days=22)


@functools.cache
def _prime_day(year: int) -> date:
    first = date(year, 7, 1)
    first_tuesday = first + timedelta(days=(1 - first.weekday()) % 7)
    return first_tuesday + timedelta(days=7)


def season_factor(day: date) -> float:
    """Demand multiplier for a calendar day: Q4 peak, Prime Day, January lull."""
    black_friday = _black_friday(day.year)
    prime_day = _prime_day(day.year)
    if black_friday - timedelta(days=3) <= day <= black_friday + timedelta(days=4):
        return 2.3
    if day in (prime_day, prime_day + timedelta(days=1)):
        return 2.8
    if day.month == 12:
        if day.day <= 20:
            return 1.55
        return 0.7 if day.day == 25 else 1.05
    if day.month == 11:
        return 1.2
    if day.month == 10:
        return 1.05
    if day.month == 1:
        return 0.82
    if day.month == 2:
        return 0.9
    return 1.0


def promotion_share(day: date) -> float:
    black_friday = _black_friday(day.year)
    prime_day = _prime_day(day.year)
    if day in (prime_day, prime_day + timedelta(days=1)):
        return 0.35
    if black_friday - timedelta(days=3) <= day <= black_friday + timedelta(days=4):
        return 0.3
    return 0.05


class _OrderBuilder:
    """Turns daily unit demand of one marketplace into orders and lines."""

    def __init__(self, rng: random.Random, ids: IdFactory, as_of: datetime) -> None:
        self.rng = rng
        self.ids = ids
        self.as_of = as_of

    def purchase_time(self, day: date, marketplace: Marketplace) -> datetime:
        hour = self.rng.choices(range(24), cum_weights=_HOUR_CUMULATIVE, k=1)[0]
        local = datetime.combine(day, time(hour, self.rng.randrange(60), self.rng.randrange(60)))
        return (local - timedelta(hours=marketplace.utc_offset_hours)).replace(tzinfo=UTC)

    def new_order(self, listing: Listing, purchased: datetime) -> Order:
        rng = self.rng
        marketplace = listing.marketplace
        channel = "Merchant" if listing.fbm else "Amazon"
        if channel == "Amazon":
            level = rng.choices(
                ("Standard", "Expedited", "SecondDay", "NextDay"), weights=(55, 25, 15, 5), k=1
            )[0]
        else:
            level = "Standard" if rng.random() < 0.9 else "Expedited"
        business = rng.random() < 0.05
        po_number = f"PO-{self.ids.digits(6)}" if business and rng.random() < 0.5 else ""
        order = Order(
            order_id=self.ids.order_id(rng.choice(marketplace.order_prefixes)),
            marketplace=marketplace,
            purchased=purchased,
            channel=channel,
            service_level=level,
            place=rng.choice(PLACES[marketplace.code]),
            is_business=business,
            purchase_order_number=po_number,
        )
        return order

    def add_line(self, order: Order, listing: Listing, quantity: int, day: date) -> None:
        rng = self.rng
        marketplace = listing.marketplace
        item_price = listing.price * quantity
        discount = 0
        promotion_id = ""
        if rng.random() < promotion_share(day):
            discount = share(item_price, rng.choice((1000, 1500, 2000, 2500)))
            if marketplace.is_yen:
                discount = discount // 100 * 100
            promotion_id = f"Coupon {self.ids.alnum(13)} {self.ids.digits(13)}"
        shipping = 0
        if listing.fbm and rng.random() < 0.2:
            shipping = 499 if not marketplace.is_yen else 50000
        rate = order.place.tax_basis_points
        if marketplace.tax_included:
            tax = (item_price - discount) * rate // (10000 + rate)
            shipping_tax = shipping * rate // (10000 + rate)
        else:
            tax = share(item_price - discount, rate)
            shipping_tax = share(shipping, rate)
        if marketplace.is_yen:
            tax = tax // 100 * 100
            shipping_tax = shipping_tax // 100 * 100
        order.lines.append(
            OrderLine(
                order=order,
                listing=listing,
                quantity=quantity,
                item_price=item_price,
                item_tax=tax,
                shipping_price=shipping,
                shipping_tax=shipping_tax,
                promotion_discount=discount,
                promotion_id=promotion_id,
                order_item_id=self.ids.number(14),
                fulfillment_center=rng.choice(marketplace.fulfillment_centers),
                last_updated=order.purchased,
            )
        )

    def settle_status(self, order: Order) -> None:
        """Decide cancellation and shipping relative to the report clock."""
        rng = self.rng
        age = self.as_of - order.purchased
        if rng.random() < 0.015:
            order.status = "Cancelled"
            cancelled_at = order.purchased + jitter(rng, 0.2, 20)
            for line in order.lines:
                line.last_updated = min(cancelled_at, self.as_of)
            return
        if order.channel == "Amazon":
            ship_at = order.purchased + jitter(rng, 4, 30)
        else:
            ship_at = order.purchased + jitter(rng, 18, 60)
        if ship_at > self.as_of:
            if age < timedelta(hours=2):
                order.status = "Pending"
            else:
                order.status = "Shipping" if order.channel == "Amazon" else "Unshipped"
            return
        order.status = "Shipped"
        order.shipped = ship_at
        order.shipment_id = self.ids.shipment_id()
        delivered = ship_at + jitter(rng, 30, 96)
        for line in order.lines:
            line.last_updated = min(delivered, self.as_of)


def _split_units(rng: random.Random, units: int) -> list[int]:
    parts: list[int] = []
    while units > 0:
        draw = rng.random()
        quantity = 1 if draw < 0.86 else (2 if draw < 0.98 else 3)
        quantity = min(quantity, units)
        parts.append(quantity)
        units -= quantity
    return parts


def simulate_sales(store: Store, seed: int, end: date) -> SalesYear:
    """Simulate one year of orders for every listing of the store."""
    start = end - timedelta(days=364)
    as_of = datetime.combine(end, time(23, 59, 59), tzinfo=UTC)
    rng = random.Random(f"{seed}:sales:{store.name}")
    builder = _OrderBuilder(rng, IdFactory(random.Random(f"{seed}:order-ids:{store.name}")), as_of)
    orders: list[Order] = []
    days = [start + timedelta(days=offset) for offset in range(365)]
    for marketplace in store.marketplaces:
        listings = [item for item in store.listings if item.marketplace.code == marketplace.code]
        for index, day in enumerate(days):
            trend = 0.9 + 0.2 * index / 364
            base = WEEKDAY_FACTOR[day.weekday()] * trend * season_factor(day)
            day_units: list[tuple[Listing, int]] = []
            for listing in listings:
                if not listing.available(day):
                    continue
                boost = 1.0
                if day.month in (11, 12):
                    boost = 1.0 + (listing.product.category.q4_boost - 1.0) * 0.5
                units = poisson(rng, listing.daily_rate * base * boost)
                for quantity in _split_units(rng, units):
                    day_units.append((listing, quantity))
            rng.shuffle(day_units)
            current: Order | None = None
            for listing, quantity in day_units:
                joinable = (
                    current is not None
                    and rng.random() < 0.07
                    and current.channel == ("Merchant" if listing.fbm else "Amazon")
                    and all(line.listing is not listing for line in current.lines)
                )
                if current is None or not joinable:
                    purchased = builder.purchase_time(day, marketplace)
                    if purchased > as_of:
                        continue
                    current = builder.new_order(listing, purchased)
                    orders.append(current)
                builder.add_line(current, listing, quantity, day)
    orders.sort(key=lambda order: (order.purchased, order.order_id))
    for order in orders:
        builder.settle_status(order)
    return SalesYear(store=store, start=start, end=end, as_of=as_of, orders=orders)
