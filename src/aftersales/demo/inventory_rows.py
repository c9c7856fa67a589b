"""Rows of the inventory snapshot reports: MYI, AFN inventory, inventory planning, restock."""

from __future__ import annotations

import random
from datetime import date, timedelta

from aftersales.demo.ids import money
from aftersales.demo.markets import Marketplace
from aftersales.demo.stock import Position

Rows = list[list[str]]
CUBIC_METERS_PER_CUBIC_FOOT = 0.0283168
# Country codes as the restock report shows them (ISO, so the UK is GB).
RESTOCK_COUNTRY = {"US": "US", "CA": "CA", "UK": "GB", "DE": "DE", "JP": "JP"}


def _alert(position: Position) -> str:
    if position.out_of_stock or position.fulfillable == 0:
        return "out_of_stock"
    if position.velocity and position.fulfillable / position.velocity < 14:
        return "low_stock"
    return ""


def _cover(units: int, velocity: float) -> str:
    return f"{units / velocity:.1f}" if velocity else ""


def myi_rows(positions: list[Position], marketplace: Marketplace) -> Rows:
    """GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA rows of one marketplace."""
    rows: Rows = []
    for position in positions:
        listing = position.listing
        if listing.marketplace is not marketplace:
            continue
        rows.append(
            [
                listing.sku,
                listing.product.fnsku,
                listing.product.asin,
                listing.title,
                "New",
                money(listing.price),
                "No",
                "",
                "Yes",
                str(position.warehouse),
                str(position.fulfillable),
                str(position.unsellable),
                str(position.reserved),
                str(position.warehouse + position.inbound),
                f"{listing.product.volume_cubic_feet:.2f}",
                str(position.inbound_working),
                str(position.inbound_shipped),
                str(position.inbound_receiving),
                str(position.researching),
                "0",
                "0",
            ]
        )
    return rows


def afn_rows(positions: list[Position], marketplace: Marketplace) -> Rows:
    """GET_AFN_INVENTORY_DATA rows: one per SKU and warehouse condition."""
    rows: Rows = []
    for position in positions:
        listing = position.listing
        if listing.marketplace is not marketplace:
            continue
        product = listing.product
        rows.append(
            [
                listing.sku,
                product.fnsku,
                product.asin,
                "NewItem",
                "SELLABLE",
                str(position.fulfillable),
            ]
        )
        if position.unsellable:
            rows.append(
                [
                    listing.sku,
                    product.fnsku,
                    product.asin,
                    "NewItem",
                    "UNSELLABLE",
                    str(position.unsellable),
                ]
            )
    return rows


def _age_months(position: Position) -> list[int]:
    """Split fulfillable units into 30-day age slices (newest first), oldest left over."""
    remaining = position.fulfillable
    monthly = round(position.velocity * 30)
    if monthly <= 0:
        return [remaining] + [0] * 12
    months: list[int] = []
    for _ in range(12):
        take = min(remaining, monthly)
        months.append(take)
        remaining -= take
    months.append(remaining)
    return months


def planning_rows(positions: list[Position], snapshot: date, seed: int, store: str) -> Rows:
    """GET_FBA_INVENTORY_PLANNING_DATA rows of every marketplace of the store."""
    rng = random.Random(f"{seed}:planning:{store}")
    rows: Rows = []
    for position in positions:
        listing = position.listing
        marketplace = listing.marketplace
        product = listing.product
        months = _age_months(position)
        velocity = position.velocity
        shipped = position.units_shipped
        volume = product.volume_cubic_feet
        unit = marketplace.volume_unit
        if unit == "cubic meters":
            volume = volume * CUBIC_METERS_PER_CUBIC_FOOT
        stored_units = position.fulfillable + position.reserved + position.unsellable
        storage_volume = volume * stored_units
        storage_cost = int(product.volume_cubic_feet * stored_units * 87 * marketplace.price_factor)
        aged_over_year = months[12]
        excess = max(0, position.fulfillable - round(velocity * 90))
        if position.out_of_stock:
            action = "Restock"
        elif excess and position.days_of_cover > 150:
            action = "Create removal order" if rng.random() < 0.4 else "Create a sale"
        else:
            action = "No action required"
        sale_price = money(listing.price * 85 // 100) if action == "Create a sale" else ""
        average_stock = max(1.0, position.fulfillable + shipped[90] / 2)
        rows.append(
            [
                snapshot.isoformat(),
                listing.sku,
                product.fnsku,
                product.asin,
                listing.title,
                "New",
                str(position.fulfillable),
                str(position.pending_removal),
                str(sum(months[0:3])),
                str(sum(months[3:6])),
                str(sum(months[6:9])),
                str(sum(months[9:12])),
                str(aged_over_year),
                marketplace.currency,
                "0",
                "0.00",
                str(aged_over_year),
                money(
                    int(aged_over_year * product.volume_cubic_feet * 690 * marketplace.price_factor)
                ),
                str(shipped[7]),
                str(shipped[30]),
                str(shipped[60]),
                str(shipped[90]),
                _alert(position),
                money(listing.price),
                money(listing.price),
                money(listing.price),
                "",
                action,
                str(round(velocity * 60)),
                sale_price,
                "14" if sale_price else "",
                str(excess) if action == "Create removal order" else "0",
                money(storage_cost if action != "No action required" else 0),
                f"{shipped[90] / average_stock:.2f}",
                f"{volume:.4f}",
                unit,
                "Standard",
                f"{storage_volume:.4f}",
                marketplace.code,
                product.category.product_group,
                str(
                    max(150, int(2_000_000 / (1 + listing.daily_rate * 40)) + rng.randint(0, 5000))
                ),
                _cover(position.fulfillable, velocity) or "0",
                str(excess),
                f"{position.fulfillable / (shipped[30] / 30 * 7):.1f}" if shipped[30] else "",
                f"{position.fulfillable / (shipped[90] / 90 * 7):.1f}" if shipped[90] else "",
                money(listing.price),
                money(position.sales_shipped[7]),
                money(position.sales_shipped[30]),
                money(position.sales_shipped[60]),
                money(position.sales_shipped[90]),
                str(months[0]),
                str(months[1]),
                str(months[2]),
                str(sum(months[6:11])),
                str(months[11]),
                money(storage_cost),
                str(position.inbound),
                str(position.inbound_working),
                str(position.inbound_shipped),
                str(position.inbound_receiving),
                "Y" if shipped[90] == 0 and velocity == 0 else "N",
                str(position.reserved),
                str(position.unsellable),
            ]
        )
    return rows


def restock_rows(positions: list[Position], snapshot: date, seed: int, store: str) -> Rows:
    """GET_RESTOCK_INVENTORY_RECOMMENDATIONS_REPORT rows of every marketplace of the store."""
    rng = random.Random(f"{seed}:restock:{store}")
    rows: Rows = []
    for position in positions:
        listing = position.listing
        marketplace = listing.marketplace
        velocity = position.velocity
        supply = position.fulfillable + position.inbound
        target = round(velocity * 90)
        quantity = max(0, target - supply - position.reserved_orders)
        if quantity and velocity:
            ship_date = (snapshot + timedelta(days=rng.randint(0, 10))).isoformat()
            action = "Replenish now" if position.fulfillable / velocity < 30 else "Replenish soon"
        else:
            quantity = 0
            ship_date = "none"
            action = "No action required"
        rows.append(
            [
                RESTOCK_COUNTRY[marketplace.code],
                listing.title,
                listing.product.fnsku,
                listing.sku,
                listing.product.asin,
                "New",
                "unassigned",
                "",
                marketplace.currency,
                money(listing.price),
                money(position.sales_shipped[30]),
                str(position.units_shipped[30]),
                str(position.warehouse + position.inbound),
                str(position.inbound),
                str(position.fulfillable),
                str(position.fc_transfer),
                str(position.fc_processing),
                str(position.reserved_orders),
                str(position.unsellable),
                str(position.inbound_working),
                str(position.inbound_shipped),
                str(position.inbound_receiving),
                "Amazon",
                _cover(supply, velocity),
                _cover(position.fulfillable, velocity),
                _alert(position),
                str(quantity),
                ship_date,
                action,
                f"{listing.product.volume_cubic_feet:.4f} ft3",
            ]
        )
    return rows
