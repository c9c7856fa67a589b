"""Write an entity's records as JSON lines or CSV, values in a portable text form."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, TextIO

from sqlalchemy import Table
from sqlalchemy.orm import Session

from aftersales.amazon import marketplaces
from aftersales.exceptions import InvalidInput
from aftersales.exports import repository as export_repository
from aftersales.kit.i18n import N_
from aftersales.models import (
    FbaReturn,
    InventorySnapshot,
    Order,
    OrderItem,
    Product,
    Refund,
    Reimbursement,
    RemovalOrder,
    RemovalShipment,
    SellerFeedback,
    SellerReturn,
    ShipmentItem,
)
from aftersales.stores import service as store_service


class ExportFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


ENTITIES: dict[str, Any] = {
    "orders": Order,
    "order-items": OrderItem,
    "shipments": ShipmentItem,
    "returns": FbaReturn,
    "seller-returns": SellerReturn,
    "reimbursements": Reimbursement,
    "refunds": Refund,
    "inventory": InventorySnapshot,
    "removal-orders": RemovalOrder,
    "removal-shipments": RemovalShipment,
    "feedback": SellerFeedback,
    "products": Product,
}


def _portable(value: Any) -> Any:
    if isinstance(value, Decimal):
        # 59.9800 → "59.98", 100.0000 → "100": the stored scale is not the amount's.
        return format(value.normalize(), "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def records(
    session: Session, *, entity: str, store: str | None = None, marketplace: str | None = None
) -> Iterator[dict[str, Any]]:
    model = ENTITIES.get(entity)
    if model is None:
        raise InvalidInput(
            N_("unknown entity %(entity)r; choose one of: %(choices)s"),
            entity=entity,
            choices=", ".join(ENTITIES),
        )
    store_ids = [store_service.get_store(session, name=store).id] if store else None
    marketplace_id = None
    if marketplace:
        found = marketplaces.resolve(marketplace)
        if found is None:
            raise InvalidInput(N_("unknown marketplace %(code)s"), code=marketplace)
        marketplace_id = found.id
    table: Table = model.__table__
    for row in export_repository.stream_rows(
        session, table, store_ids=store_ids, marketplace_id=marketplace_id
    ):
        yield {name: _portable(value) for name, value in row.items()}


def write(rows: Iterator[dict[str, Any]], output: TextIO, fmt: ExportFormat) -> int:
    count = 0
    if fmt is ExportFormat.JSONL:
        for row in rows:
            output.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            count += 1
        return count
    writer: csv.DictWriter[str] | None = None
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(output, fieldnames=list(row))
            writer.writeheader()
        flat = {
            k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
            for k, v in row.items()
        }
        writer.writerow(flat)
        count += 1
    return count
