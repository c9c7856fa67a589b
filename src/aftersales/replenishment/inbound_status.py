"""What the inbound page shows: each listing's inbound units by status (working, shipped,
receiving) and day first seen, and the day they reach FBA with how it was found
(``inbound_eta``), for the stores and marketplaces in scope. Transports call these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
from sqlalchemy.orm import Session

from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput
from aftersales.kit.i18n import N_, format_date
from aftersales.kit.i18n import gettext as _
from aftersales.kit.scope import Scope
from aftersales.kit.tabular import Column
from aftersales.replenishment import inbound_eta
from aftersales.replenishment import service as replenishment_service
from aftersales.replenishment.calc import MODE_LABELS, ShippingMode

STATUS_LABELS = {
    "working": N_("inbound, not shipped yet (working)"),
    "shipped": N_("inbound, in transit (shipped)"),
    "receiving": N_("inbound, being received at the FC"),
}


@dataclass(frozen=True)
class InboundLot:
    store_id: int
    store_name: str
    marketplace_id: str
    marketplace_code: str
    sku: str
    status: str
    quantity: int
    since: date  # first seen in this status (a shipped plan's: the day it left)
    day: date  # reaches FBA
    basis: str  # how ``day`` was found, worded
    shipment: str | None = None  # the shipped inbound plan's shipment ID (or name)
    plan_id: int | None = None

    @property
    def status_label(self) -> str:
        return _(STATUS_LABELS[self.status])


def basis(
    status: str,
    since: date,
    *,
    mode: str,
    transit: int,
    receiving: int,
    as_of: date,
    shipment: str | None = None,
) -> str:
    """How an inbound lot's arrival day was found (``inbound_eta.arrivals``), with the
    numbers filled in, in the reader's language."""
    numbers = {
        "since": format_date(since),
        "transit": transit,
        "mode": _(MODE_LABELS[ShippingMode(mode)]),
        "receiving": receiving,
        "shipment": shipment or "",
    }
    if shipment is not None:
        if since + timedelta(days=transit) < as_of:
            return _(
                "shipment %(shipment)s left %(since)s, overdue (due after %(transit)s days "
                "%(mode)s): today + %(receiving)s receiving days",
                **numbers,
            )
        return _(
            "shipment %(shipment)s left %(since)s + %(transit)s days %(mode)s + %(receiving)s "
            "receiving days",
            **numbers,
        )
    if status == "working":
        return _(
            "not shipped yet: today + %(transit)s days %(mode)s + %(receiving)s receiving days",
            **numbers,
        )
    if status == "shipped":
        if since + timedelta(days=transit) < as_of:
            return _(
                "shipped by %(since)s, overdue (due after %(transit)s days %(mode)s): today + "
                "%(receiving)s receiving days",
                **numbers,
            )
        return _(
            "shipped by %(since)s + %(transit)s days %(mode)s + %(receiving)s receiving days",
            **numbers,
        )
    if since + timedelta(days=receiving) < as_of:
        return _("receiving since %(since)s, overdue: today", **numbers)
    return _("receiving since %(since)s + %(receiving)s receiving days", **numbers)


def parse_statuses(values: Sequence[str]) -> tuple[str, ...]:
    for value in values:
        if value not in STATUS_LABELS:
            raise InvalidInput(
                N_("unknown inbound status %(status)s"), status=value, field="status"
            )
    return tuple(values)


@dataclass(frozen=True)
class InboundFilter:
    scope: Scope
    store_id: int | None = None
    marketplace_ids: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    sku_prefix: str = ""


def _lots_of(frame: pl.DataFrame, filters: InboundFilter) -> pl.DataFrame:
    markets = set(filters.scope.marketplace_ids) or None
    if filters.marketplace_ids:
        markets = (
            set(filters.marketplace_ids) & markets if markets else set(filters.marketplace_ids)
        )
    if markets is not None:
        frame = frame.filter(pl.col("marketplace_id").is_in(sorted(markets)))
    if filters.statuses:
        frame = frame.filter(pl.col("status").is_in(filters.statuses))
    if filters.sku_prefix:
        frame = frame.filter(pl.col("sku").str.starts_with(filters.sku_prefix))
    return frame


def inbound_lots(
    session: Session, *, filters: InboundFilter, store_names: dict[int, str], as_of: date
) -> list[InboundLot]:
    """Every inbound lot in scope, soonest arrival first."""
    store_ids = filters.scope.store_ids
    if filters.store_id is not None:
        store_ids = tuple(s for s in store_ids if s == filters.store_id)
    lots: list[InboundLot] = []
    for store_id in store_ids:
        frame = replenishment_service.inbound_schedule(session, store_id=store_id, as_of=as_of)
        for row in _lots_of(frame, filters).iter_rows(named=True):
            market = marketplaces.by_id(row["marketplace_id"])
            lots.append(
                InboundLot(
                    store_id=store_id,
                    store_name=store_names.get(store_id, str(store_id)),
                    marketplace_id=row["marketplace_id"],
                    marketplace_code=market.code if market else row["marketplace_id"],
                    sku=row["sku"],
                    status=row["status"],
                    quantity=row["quantity"],
                    since=row["since"],
                    day=row["day"],
                    basis=basis(
                        row["status"],
                        row["since"],
                        mode=row["mode"],
                        transit=row["transit_days"],
                        receiving=row["receiving_days"],
                        as_of=as_of,
                        shipment=row["shipment"],
                    ),
                    shipment=row["shipment"],
                    plan_id=row["plan_id"],
                )
            )
    return sorted(lots, key=lambda lot: (lot.day, lot.store_name, lot.marketplace_code, lot.sku))


def totals(lots: Sequence[InboundLot]) -> list[tuple[str, int]]:
    """Units per status, in the order they move."""
    return [
        (status, sum(lot.quantity for lot in lots if lot.status == status))
        for status in inbound_eta.STATUSES
    ]


EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("store_name", N_("Store")),
    Column("marketplace_code", N_("Marketplace")),
    Column("sku", N_("SKU")),
    Column("status_label", N_("Status")),
    Column("quantity", N_("Units")),
    Column("since", N_("First seen")),
    Column("shipment", N_("Shipment")),
    Column("day", N_("Reaches FBA")),
    Column("basis", N_("How the day is found")),
)
