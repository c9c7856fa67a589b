"""Units already on their way to Amazon, per SKU of a plan: the inbound buckets (working,
shipped, receiving) of the latest imported inventory report, read only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy.orm import Session

from aftersales.inbound import repository as inbound_repository
from aftersales.inbound.schemas import InboundStock
from aftersales.models import InboundPlan
from aftersales.models.inventory import gives_inbound, source_rank


def inbound_stock(
    session: Session, *, plan: InboundPlan, skus: Sequence[str]
) -> list[InboundStock]:
    """Per SKU, of the reports that give inbound units (the AFN report does not) the newest
    day's and, on a tie, the most complete (MYI first); without any, the newest report."""
    rows = inbound_repository.inbound_snapshots(
        session, store_id=plan.store_id, marketplace_id=plan.marketplace_id, skus=skus
    )
    by_sku: dict[str, list[inbound_repository.ResultRow]] = defaultdict(list)
    for row in rows:
        by_sku[row.sku].append(row)

    def rank(source: str) -> tuple[int, str]:
        return (source_rank(source), source)

    stock: list[InboundStock] = []
    for sku in sorted(by_sku):
        candidates = [row for row in by_sku[sku] if gives_inbound(row)] or by_sku[sku]
        newest = max(row.snapshot_date for row in candidates)
        source = min((r.source for r in candidates if r.snapshot_date == newest), key=rank)
        chosen = [r for r in candidates if r.snapshot_date == newest and r.source == source]

        def total(name: str, rows: list[inbound_repository.ResultRow] = chosen) -> int | None:
            values = [getattr(row, name) for row in rows if getattr(row, name) is not None]
            return sum(values) if values else None

        stock.append(
            InboundStock(
                sku=sku,
                snapshot_date=newest,
                source=source,
                working=total("inbound_working"),
                shipped=total("inbound_shipped"),
                receiving=total("inbound_receiving"),
                fulfillable=total("fulfillable"),
            )
        )
    return stock
