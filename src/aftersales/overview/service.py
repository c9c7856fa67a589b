"""Overview per store and marketplace, with the return rate derived from the counts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from aftersales.overview import repository as overview_repository
from aftersales.stores import service as store_service


def summary(session: Session, *, store: str | None = None) -> list[dict[str, Any]]:
    store_ids = [store_service.get_store(session, name=store).id] if store else None
    rows = overview_repository.per_marketplace(session, store_ids)
    for row in rows:
        shipped = row.get("units_shipped", 0)
        returned = row.get("units_returned", 0)
        row["return_rate"] = (
            (Decimal(returned) / Decimal(shipped) * 100).quantize(Decimal("0.1"))
            if shipped
            else None
        )
    return rows
