"""Daily-sales rows written as an orders import keeps them: with each listing's first day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy.orm import Session

from aftersales.models import DailySales
from aftersales.replenishment import sales_repository


def add_daily_sales(
    db: Session, *, store_id: int, marketplace_id: str, sku: str, units: Mapping[date, int]
) -> None:
    """One row per day (units = shipped units = orders), then the store's first days."""
    for day, count in units.items():
        db.add(
            DailySales(
                store_id=store_id,
                marketplace_id=marketplace_id,
                sku=sku,
                day=day,
                units=count,
                units_shipped=count,
                orders=count,
            )
        )
    db.flush()
    sales_repository.refresh_first_days(db, store_id=store_id, first=None)
