"""Builders for removal order lines, removal shipments and inventory snapshots."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

from sqlalchemy.orm import Session

from aftersales.models import InventorySnapshot, RemovalOrder, RemovalShipment, Store

US = "ATVPDKIKX0DER"
_sequence = itertools.count(1)


def _moment(when: datetime | str) -> datetime:
    return datetime.fromisoformat(when).replace(tzinfo=UTC) if isinstance(when, str) else when


def add_removal(
    session: Session,
    store: Store,
    *,
    when: datetime | str,
    sku: str = "SKU-1",
    requested: int = 1,
    shipped: int = 0,
    disposed: int = 0,
    cancelled: int = 0,
    order_type: str = "Return",
    status: str = "Pending",
    order_id: str | None = None,
    updated: datetime | str | None = None,
) -> RemovalOrder:
    number = next(_sequence)
    order_id = order_id or f"RMV-{number:05d}"
    row = RemovalOrder(
        store_id=store.id,
        marketplace_id=US,
        natural_key=f"{order_id}|{sku}|FN{sku}|Unsellable",
        request_date=_moment(when),
        order_id=order_id,
        order_type=order_type,
        order_status=status,
        last_updated_date=_moment(updated) if updated else None,
        sku=sku,
        fnsku=f"FN{sku}",
        disposition="Unsellable",
        requested_quantity=requested,
        cancelled_quantity=cancelled,
        disposed_quantity=disposed,
        shipped_quantity=shipped,
        in_process_quantity=requested - shipped - disposed - cancelled,
    )
    session.add(row)
    session.flush()
    return row


def add_removal_shipment(
    session: Session, removal: RemovalOrder, *, when: datetime | str, quantity: int = 1
) -> None:
    number = next(_sequence)
    session.add(
        RemovalShipment(
            store_id=removal.store_id,
            marketplace_id=removal.marketplace_id,
            natural_key=f"{removal.order_id}|{removal.sku}|{number}",
            request_date=removal.request_date,
            order_id=removal.order_id,
            shipment_date=_moment(when),
            sku=removal.sku,
            fnsku=removal.fnsku,
            disposition=removal.disposition,
            shipped_quantity=quantity,
            carrier="UPS",
            tracking_number=f"1Z{number:08d}",
            removal_order_type=removal.order_type,
        )
    )
    session.flush()


def add_snapshot(
    session: Session, store: Store, *, on: date, sku: str = "SKU-1", unfulfillable: int = 1
) -> None:
    session.add(
        InventorySnapshot(
            store_id=store.id,
            marketplace_id=US,
            natural_key=f"myi|{US}|{on}|{sku}",
            source="myi",
            snapshot_date=on,
            sku=sku,
            fulfillable=5,
            unfulfillable=unfulfillable,
        )
    )
    session.flush()
