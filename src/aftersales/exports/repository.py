"""SQL for exports: stream the rows of one entity, filtered by store and marketplace."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from aftersales.models import MarketplaceRow, Store


def stream_rows(
    session: Session,
    table: Table,
    *,
    store_ids: list[int] | None,
    marketplace_id: str | None,
    batch_size: int = 5_000,
) -> Iterator[dict[str, Any]]:
    store = Store.__table__
    market = MarketplaceRow.__table__
    columns = [c for c in table.c if c.name not in ("store_id", "marketplace_id")]
    statement = select(store.c.name.label("store"), *columns).join(
        store, store.c.id == table.c.store_id
    )
    if "marketplace_id" in table.c:
        statement = statement.add_columns(market.c.code.label("marketplace")).outerjoin(
            market, market.c.id == table.c.marketplace_id
        )
        if marketplace_id:
            statement = statement.where(table.c.marketplace_id == marketplace_id)
    if store_ids is not None:
        statement = statement.where(table.c.store_id.in_(store_ids))
    statement = statement.order_by(table.c.store_id, table.c.id)
    result = session.execute(statement.execution_options(yield_per=batch_size))
    for row in result.mappings():
        yield dict(row)
