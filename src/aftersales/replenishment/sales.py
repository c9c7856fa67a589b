"""Keeping the daily-sales table current: after an orders import, and on demand."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from aftersales.amazon.reports import catalog as reports
from aftersales.db import statistics
from aftersales.models import DailySales, FirstSale
from aftersales.replenishment import sales_repository

# Report types whose rows are order lines (see sales_repository for why only these count).
ORDER_REPORT_TYPES = frozenset(reports.ALL_ORDERS.all_types())


def after_import(session: Session, *, store_id: int, batch_id: int, report_type: str) -> int:
    """Recompute the days an orders import wrote or changed lines of; 0 for other reports."""
    if report_type not in ORDER_REPORT_TYPES:
        return 0
    days = sales_repository.batch_purchase_days(session, batch_id=batch_id)
    if days is None:
        return 0
    return sales_repository.rebuild(session, store_id=store_id, first=days[0], last=days[1])


def rebuild_stores(session: Session, *, store_ids: Sequence[int]) -> dict[int, int]:
    """Rebuild every day of the given stores (for databases imported before the table)."""
    written = {
        store_id: sales_repository.rebuild(session, store_id=store_id, first=None, last=None)
        for store_id in store_ids
    }
    statistics.refresh(session, DailySales, FirstSale)
    return written
