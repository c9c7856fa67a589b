"""Rows of the order, shipment, return, reimbursement, removal and feedback reports."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from aftersales.demo.ids import IdFactory, iso, jitter, money
from aftersales.demo.markets import Marketplace
from aftersales.demo.merchant import Feedback, MerchantReturn
from aftersales.demo.returns import CustomerReturn, Reimbursement
from aftersales.demo.sales import Order, OrderLine, SalesYear
from aftersales.demo.stock import RemovalOrder

Rows = list[list[str]]

SHIP_COUNTRY = {"US": "US", "CA": "CA", "UK": "GB", "DE": "DE", "JP": "JP"}


def _ship_country(order: Order) -> str:
    if order.marketplace.code == "US" and order.place.state == "PR":
        return "PR"
    return SHIP_COUNTRY[order.marketplace.code]


def _item_status(order: Order) -> str:
    if order.status == "Cancelled":
        return ""
    return "Shipped" if order.status == "Shipped" else "Unshipped"


def _discount(line: OrderLine) -> str:
    return money(-line.promotion_discount) if line.promotion_discount else "0.00"


def all_orders_rows(
    sales: SalesYear, marketplace: Marketplace, updated: dict[str, datetime]
) -> Rows:
    """GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL rows of one marketplace."""
    rows: Rows = []
    for order in sales.orders:
        if order.marketplace is not marketplace:
            continue
        pending = order.status == "Pending"
        cancelled = order.status == "Cancelled"
        for line in order.lines:
            last = max(line.last_updated, updated.get(order.order_id, line.last_updated))
            priced = not pending
            rows.append(
                [
                    order.order_id,
                    "",
                    iso(order.purchased),
                    iso(last),
                    order.status,
                    order.channel,
                    marketplace.sales_channel,
                    "WebsiteOrderChannel" if order.channel == "Merchant" else "",
                    order.service_level,
                    line.listing.title,
                    line.listing.sku,
                    line.listing.product.asin,
                    _item_status(order),
                    "0" if cancelled else str(line.quantity),
                    marketplace.currency if priced else "",
                    money(line.item_price) if priced else "",
                    money(line.item_tax) if priced and not cancelled else "",
                    money(line.shipping_price) if priced and not cancelled else "",
                    money(line.shipping_tax) if priced and not cancelled else "",
                    "0.00" if priced and not cancelled else "",
                    "0.00" if priced and not cancelled else "",
                    _discount(line) if priced and not cancelled else "",
                    "0.00" if priced and not cancelled else "",
                    order.place.city,
                    order.place.state,
                    order.place.postal_code,
                    _ship_country(order),
                    line.promotion_id,
                    "",
                    "true" if order.is_business else "false",
                    order.purchase_order_number,
                    "BusinessPrice" if order.is_business else "",
                    "false",
                ]
            )
    return rows


def fulfilled_shipment_rows(sales: SalesYear, seed: int) -> Rows:
    """FBA shipments of the last 30 days; buyer PII columns are left empty as SP-API does."""
    rng = random.Random(f"{seed}:shipments:{sales.store.name}")
    ids = IdFactory(random.Random(f"{seed}:shipment-ids:{sales.store.name}"))
    since = sales.as_of - timedelta(days=30)
    rows: Rows = []
    shipped = [
        order
        for order in sales.orders
        if order.shipped is not None and order.shipped >= since and order.channel == "Amazon"
    ]
    shipped.sort(key=lambda order: (order.shipped or order.purchased, order.order_id))
    for order in shipped:
        assert order.shipped is not None
        marketplace = order.marketplace
        carrier = rng.choice(marketplace.outbound_carriers)
        tracking = ids.tracking(carrier)
        paid = order.purchased + jitter(rng, 0.01, 0.5)
        reported = order.shipped + jitter(rng, 1, 4)
        arrival = order.shipped + jitter(rng, 24 * 2, 24 * 5)
        for line in order.lines:
            rows.append(
                [
                    order.order_id,
                    "",
                    order.shipment_id,
                    ids.shipment_id(),
                    line.order_item_id,
                    "",
                    iso(order.purchased),
                    iso(paid),
                    iso(order.shipped),
                    iso(reported),
                    "",
                    "",
                    "",
                    line.listing.sku,
                    line.listing.title,
                    str(line.quantity),
                    marketplace.currency,
                    money(line.item_price),
                    money(line.item_tax),
                    money(line.shipping_price),
                    money(line.shipping_tax),
                    "0.00",
                    "0.00",
                    order.service_level,
                    "",
                    "",
                    "",
                    "",
                    order.place.city,
                    order.place.state,
                    order.place.postal_code,
                    _ship_country(order),
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    _discount(line),
                    "0.00",
                    carrier,
                    tracking,
                    iso(arrival),
                    line.fulfillment_center,
                    "AFN",
                    marketplace.sales_channel,
                ]
            )
    return rows


def fba_return_rows(returns: list[CustomerReturn], marketplace: Marketplace) -> Rows:
    """GET_FBA_FULFILLMENT_CUSTOMER_RETURNS_DATA rows: one per license plate number."""
    received = [
        item
        for item in returns
        if item.received is not None and item.line.listing.marketplace is marketplace
    ]
    received.sort(key=lambda item: (item.received or item.requested, item.lpn))
    rows: Rows = []
    for item in received:
        assert item.received is not None
        listing = item.line.listing
        rows.append(
            [
                iso(item.received),
                item.line.order.order_id,
                listing.sku,
                listing.product.asin,
                listing.product.fnsku,
                listing.title,
                "1",
                item.fulfillment_center,
                item.disposition,
                item.reason,
                item.status,
                item.lpn,
                item.comment,
            ]
        )
    return rows


def reimbursement_rows(items: list[Reimbursement], marketplace: Marketplace) -> Rows:
    """GET_FBA_REIMBURSEMENTS_DATA rows of one marketplace."""
    rows: Rows = []
    for item in items:
        listing = item.listing
        if listing.marketplace is not marketplace:
            continue
        rows.append(
            [
                iso(item.approved),
                item.reimbursement_id,
                item.case_id,
                item.order_id,
                item.reason,
                listing.sku,
                listing.product.fnsku,
                listing.product.asin,
                listing.title,
                "NewItem",
                marketplace.currency,
                money(item.amount_per_unit),
                money(item.amount_total),
                str(item.quantity_cash),
                str(item.quantity_inventory),
                str(item.quantity_cash + item.quantity_inventory),
                item.original_id,
                item.original_type,
            ]
        )
    return rows


def _removals_of(removals: list[RemovalOrder], marketplace: Marketplace) -> list[RemovalOrder]:
    return [
        order
        for order in removals
        if order.lines and order.lines[0].listing.marketplace is marketplace
    ]


def removal_order_rows(removals: list[RemovalOrder], marketplace: Marketplace) -> Rows:
    """GET_FBA_FULFILLMENT_REMOVAL_ORDER_DETAIL_DATA rows of one marketplace."""
    rows: Rows = []
    for order in _removals_of(removals, marketplace):
        for line in order.lines:
            rows.append(
                [
                    iso(order.requested),
                    order.order_id,
                    order.order_type,
                    "Standard",
                    order.status,
                    iso(order.last_updated),
                    line.listing.sku,
                    line.listing.product.fnsku,
                    line.disposition,
                    str(line.requested),
                    str(line.cancelled),
                    str(line.disposed),
                    str(line.shipped),
                    str(line.in_process),
                    money(line.fee) if order.status != "Pending" else "",
                    marketplace.currency,
                ]
            )
    return rows


def removal_shipment_rows(removals: list[RemovalOrder], marketplace: Marketplace) -> Rows:
    """GET_FBA_FULFILLMENT_REMOVAL_SHIPMENT_DETAIL_DATA rows: one per parcel and SKU."""
    rows: Rows = []
    for order in _removals_of(removals, marketplace):
        for line in order.lines:
            for parcel in line.shipments:
                rows.append(
                    [
                        iso(order.requested),
                        order.order_id,
                        iso(parcel.shipped),
                        line.listing.sku,
                        line.listing.product.fnsku,
                        line.disposition,
                        str(parcel.quantity),
                        parcel.carrier,
                        parcel.tracking,
                        order.order_type,
                    ]
                )
    return rows


def feedback_rows(items: list[Feedback], marketplace: Marketplace) -> Rows:
    """GET_SELLER_FEEDBACK_DATA rows with the marketplace's localized short date."""
    return [
        [
            item.day.strftime(marketplace.feedback_date_format),
            str(item.rating),
            item.comment,
            item.response,
            item.order_id,
            item.rater_email,
        ]
        for item in items
        if item.marketplace is marketplace
    ]


def _yes_no(flag: bool) -> str:
    return "Y" if flag else "N"


def fbm_return_rows(items: list[MerchantReturn], marketplace: Marketplace) -> Rows:
    """GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE rows (seller-fulfilled returns)."""
    rows: Rows = []
    for item in items:
        line = item.line
        if line.listing.marketplace is not marketplace:
            continue
        order_amount = line.item_price - line.promotion_discount
        if not marketplace.tax_included:
            order_amount += line.item_tax
        rows.append(
            [
                line.order.order_id,
                iso(line.order.purchased),
                iso(item.requested),
                item.status,
                item.rma_id,
                "",
                "AmazonPrePaidLabel",
                money(item.label_cost),
                marketplace.currency,
                item.carrier,
                item.tracking_id,
                item.paid_by,
                _yes_no(item.a_to_z),
                _yes_no(item.prime),
                line.listing.product.asin,
                line.listing.sku,
                line.listing.title,
                str(item.quantity),
                item.reason_code,
                _yes_no(item.in_policy),
                "C-Returns",
                item.resolution,
                "",
                iso(item.delivered) if item.delivered else "",
                money(order_amount),
                str(line.quantity),
                item.safet_reason,
                item.safet_claim_id,
                item.safet_state,
                iso(item.safet_created) if item.safet_created else "",
                money(item.safet_amount) if item.safet_amount is not None else "",
                money(item.refund_amount) if item.refunded is not None else "",
            ]
        )
    return rows
